"""A page that fails as a crafted widget value once made pages fail: with an uncaught error."""

import streamlit as st

st.title("Page d'essai")
raise ValueError("détail interne /srv/app/secret.py ligne 42")
