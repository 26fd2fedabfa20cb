"""Espace équipe: staff sign in here; the public pages never offer editing."""

import streamlit as st

from ui import data
from ui.auth import sign_in_form, signed_in
from ui.layout import plain

st.title("Espace équipe")
st.caption("Réservé à l'équipe qui tient la carte à jour : import de tableurs, ajout et correction d'initiatives.")
if signed_in():
    st.success("Vous êtes connecté·e.")
    st.page_link("app_pages/contribuer.py", label="Contribuer", icon=":material/edit_note:")
    problems = data.load_problems()
    if problems:
        st.error("Les couches publiées ne sont pas toutes lisibles :\n\n" + "\n".join(f"- {plain(p)}" for p in problems)
                 + "\n\nPour les reconstruire à partir du catalogue et des sources livrées : "
                   "`python -m geo build --offline` (ou `make data` avec le réseau).", icon=":material/build:")
else:
    sign_in_form()
