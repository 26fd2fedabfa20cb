"""The initiatives as a table, with the same columns everywhere."""

from __future__ import annotations

import pandas as pd
import streamlit as st


def initiatives_table(table: pd.DataFrame, *, details: bool = False) -> None:
    """A sortable table of the selection; ``details`` adds how and by whom each position was produced."""
    columns = ["name", "category_label", "commune", "full_address", "themes_label", "award", "year"]
    if details:
        columns += ["description", "precision_label", "provider", "position_label", "source", "website"]
    st.dataframe(
        table[columns], hide_index=True, width="stretch",
        column_config={
            "name": st.column_config.TextColumn("Nom", width="medium", pinned=True),
            "category_label": "Catégorie",
            "commune": "Commune",
            "full_address": st.column_config.TextColumn("Adresse", width="medium"),
            "themes_label": "Thèmes",
            "award": "Distinction",
            "year": st.column_config.NumberColumn("Année", format="%d"),
            "description": st.column_config.TextColumn("Description", width="large"),
            "precision_label": st.column_config.TextColumn("Précision", help="adresse, rue, lieu ou commune"),
            "provider": st.column_config.TextColumn("Position fournie par"),
            "position_label": "Position trouvée",
            "source": st.column_config.TextColumn("Source", width="medium"),
            "website": st.column_config.LinkColumn("Site web", validate=r"^https?://", display_text="ouvrir"),
        },
    )
