"""Carte des Possibles: the map of the social and solidarity economy of Aix-Marseille-Provence."""

import streamlit as st

from geo import logs
from ui.auth import keep_in_browser, signed_in
from ui.chrome import SITE, french_chrome
from ui.filters import draw_for_page
from ui.pages import PAGES, SECTIONS

logs.configure()

st.set_page_config(page_title=SITE, page_icon="🗺️", layout="wide")

staff_signed_in = signed_in()
pages = {spec: st.Page(spec.path, title=spec.title, icon=spec.icon, default=spec.default)
         for spec in PAGES if staff_signed_in or not spec.signed_in}
navigation = st.navigation({title: [page for spec, page in pages.items() if spec.staff == staff]
                            for staff, title in SECTIONS.items()})
current = next(spec for spec, page in pages.items() if page == navigation)
french_chrome(navigation.title)
if staff_signed_in:
    keep_in_browser()
if current.filters:  # the pages that filter say so: their filters belong to the app
    draw_for_page()
navigation.run()
