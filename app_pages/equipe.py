"""Espace équipe: staff sign in here; the public pages never offer editing."""

import streamlit as st

from ui import data
from ui.auth import sign_in_form, signed_in
from ui.escape import plain

st.title("Espace équipe")
st.caption("Réservé à l'équipe qui tient la carte à jour : import de tableurs, ajout et correction d'initiatives.")
if signed_in():
    st.success("Vous êtes connecté·e.")
    st.page_link("app_pages/contribuer.py", label="Contribuer", icon=":material/edit_note:")
    problems = data.load_problems()
    if problems:
        st.error("Les couches publiées ne sont pas toutes lisibles :\n\n" + "\n".join(f"- {plain(p)}" for p in problems)
                 + "\n\nPour reconstruire les couches des sources livrées : `python -m geo sources`. Si la base du "
                   "catalogue est en cause : vérifiez `CARTE_DATABASE_URL` (ou `[connections.sql]`) et le journal du "
                   "serveur, ou remettez la dernière copie de `python -m geo backup`.", icon=":material/build:")
else:
    sign_in_form()
