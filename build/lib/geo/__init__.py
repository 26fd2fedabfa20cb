"""Carte des Possibles: the data side (catalogue, territory, geocoding, layer).

Pages import these pure functions; nothing here imports Streamlit.
"""
