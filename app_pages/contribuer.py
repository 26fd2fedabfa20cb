"""Contribuer (staff only): import a spreadsheet, add, edit or delete an initiative, correct a
position, see the history and restore any version."""

import streamlit as st

from geo.database import storage
from ui import contribute, reference
from ui.auth import sign_out, signed_in

st.title("Contribuer")
if not signed_in():  # app.py does not even register this page signed out; this guards any other way in
    st.error("Cette page est réservée à l'équipe connectée. Connectez-vous depuis « Espace équipe ».",
             icon=":material/lock:")
    st.stop()
st.button("Se déconnecter", on_click=sign_out, icon=":material/logout:")
store = contribute.store()
if store is None:  # the database cannot be opened: said in French, nothing else to draw
    st.stop()
kept = storage(store.engine.url)
if not kept.lasting:  # never let staff edit what the next restart would silently throw away
    st.error(kept.text, icon=":material/cloud_off:")
    st.stop()
st.caption(kept.text)
if store.reseeded:  # a database file found empty at this start was filled anew from initiatives.csv
    st.warning(f"Au démarrage, la base du catalogue était vide ({store.reseeded}) : elle a été recréée depuis "
               "`data/initiatives.csv`. Si des modifications de l'équipe manquent, restaurez la dernière sauvegarde "
               "(`python -m geo backup` en fait une complète ; une copie du seul fichier `.sqlite`, sans ses "
               "fichiers `-wal` et `-shm`, peut être incomplète).", icon=":material/warning:")
# One section at a time, not st.tabs: the position map would stay blank in a hidden tab (streamlit-folium #128).
SECTIONS = {
    "Importer un tableur": lambda: contribute.import_section(store, reference.territory()),
    "Ajouter ou modifier": lambda: contribute.edit_section(store),
    "Corriger une position": lambda: contribute.position_section(store),
    "Historique": lambda: contribute.history_section(store),
}
section = st.segmented_control("Action", list(SECTIONS), default="Importer un tableur", key="contribuer_section",
                               required=True, label_visibility="collapsed")
contribute.section(section, SECTIONS[section])
