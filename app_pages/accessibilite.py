"""Accessibilité: the accessibility statement the law asks of a French public site (RGAA 4.1), and its grid."""

import pandas as pd
import streamlit as st

from ui.accessibility import grid, statement

st.markdown(statement())
st.header("Détail des 106 critères")
rows = pd.DataFrame(grid())
st.dataframe(rows, hide_index=True, width="stretch")
