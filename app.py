"""Carte des Possibles: the map of the social and solidarity economy of Aix-Marseille-Provence."""

import streamlit as st

from geo import logs
from ui.auth import keep_in_browser, signed_in
from ui.chrome import SITE, french_chrome
from ui.filters import draw_for_page

logs.configure()

st.set_page_config(page_title=SITE, page_icon="🗺️", layout="wide")

carte = st.Page("app_pages/carte.py", title="Carte", icon=":material/map:", default=True)
territoire = st.Page("app_pages/territoire.py", title="Territoire", icon=":material/insights:")
donnees = st.Page("app_pages/donnees.py", title="Données", icon=":material/table:")
public = [carte, st.Page("app_pages/autour_de_moi.py", title="Autour de moi", icon=":material/near_me:"), territoire,
          donnees, st.Page("app_pages/accessibilite.py", title="Accessibilité", icon=":material/accessibility_new:")]
# Editing exists only for signed-in staff: signed out, the Contribuer page is not even registered.
staff = [st.Page("app_pages/equipe.py", title="Espace équipe", icon=":material/lock:")]
staff_signed_in = signed_in()
if staff_signed_in:
    staff.append(st.Page("app_pages/contribuer.py", title="Contribuer", icon=":material/edit_note:"))
navigation = st.navigation({"Carte des Possibles": public, "Équipe": staff})
french_chrome(navigation.title)
if staff_signed_in:
    keep_in_browser()
if navigation in (carte, territoire, donnees):  # the pages that filter: their filters belong to the app
    draw_for_page()
navigation.run()
