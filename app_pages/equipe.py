"""Espace équipe: staff sign in here; the public pages never offer editing."""

import streamlit as st

from ui.auth import sign_in_form

st.title("Espace équipe")
st.caption("Réservé à l'équipe qui tient la carte à jour : import de tableurs, ajout et correction d'initiatives.")
sign_in_form()
