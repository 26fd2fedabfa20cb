"""Espace équipe: staff sign in here; the public pages never offer editing."""

import streamlit as st

from ui.auth import sign_in_form, signed_in

st.title("Espace équipe")
st.caption("Réservé à l'équipe qui tient la carte à jour : import de tableurs, ajout et correction d'initiatives.")
if signed_in():
    st.success("Vous êtes connecté·e.")
    st.page_link("app_pages/contribuer.py", label="Contribuer", icon=":material/edit_note:")
else:
    sign_in_form()
