"""A page that fails as a crafted widget value once made pages fail: with an uncaught error, after the app's
own chrome (which says Streamlit's generic message in French)."""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the repository, for ui.chrome
from ui.chrome import french_chrome

french_chrome("Essai")
st.title("Page d'essai")
raise ValueError("détail interne /srv/app/secret.py ligne 42")
