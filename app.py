"""Carte des Possibles: the map of the social and solidarity economy of Aix-Marseille-Provence."""

import streamlit as st

st.set_page_config(page_title="Carte des Possibles · ESS Aix-Marseille-Provence", page_icon="🗺️", layout="wide")

navigation = st.navigation([
    st.Page("app_pages/carte.py", title="Carte", icon=":material/map:", default=True),
    st.Page("app_pages/autour_de_moi.py", title="Autour de moi", icon=":material/near_me:"),
    st.Page("app_pages/territoire.py", title="Territoire", icon=":material/insights:"),
    st.Page("app_pages/donnees.py", title="Données", icon=":material/table:"),
])
navigation.run()
