"""Contribuer (staff only): import a spreadsheet, add, edit or delete an initiative, correct a
position, undo the last save."""

import streamlit as st

from ui import contribute, data
from ui.auth import sign_out

st.title("Contribuer")
st.button("Se déconnecter", on_click=sign_out, icon=":material/logout:")
store = contribute.store()
importing, editing, placing, history = st.tabs(["Importer un tableur", "Ajouter ou modifier", "Corriger une position",
                                                "Historique"])
with importing:
    contribute.import_section(store, data.territory())
with editing:
    contribute.edit_section(store)
with placing:
    contribute.position_section(store)
with history:
    contribute.history_section(store)
