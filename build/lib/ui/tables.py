"""The initiatives as a table, with the same columns everywhere."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.hours import now, today_line
from ui.filters import YEAR_HELP


def hours_today(table: pd.DataFrame) -> pd.Series:
    """Today's hours and whether each place is open now (each distinct expression evaluated once)."""
    moment = now()
    keys = list(zip(table["opening_hours"], table["walkable"], strict=True))
    lines = {key: today_line(key[0], moment, walkable=key[1]) for key in set(keys)}
    return pd.Series([lines[key] for key in keys], index=table.index, dtype=object)


def initiatives_table(table: pd.DataFrame, *, details: bool = False) -> None:
    """A sortable table of the selection; ``details`` adds how and by whom each position was produced."""
    table = table.assign(hours_today=hours_today(table))
    columns = ["name", "category_label", "status_label", "commune", "full_address", "hours_today", "price", "access",
               "accessibility", "themes_label", "award", "year", "dataset_label"]
    if details:
        columns += ["description", "former_name", "status_note", "opened_label", "precision_label", "provider",
                    "position_label", "source", "address_source", "status_source", "hours_source", "price_source",
                    "access_source", "accessibility_source", "facts_label", "website"]
    st.dataframe(
        table[columns], hide_index=True, width="stretch",
        column_config={
            "name": st.column_config.TextColumn("Nom", width="medium", pinned=True),
            "category_label": "Catégorie",
            "status_label": st.column_config.TextColumn("Statut", help="Vide : en activité selon nos sources"),
            "commune": "Commune",
            "full_address": st.column_config.TextColumn("Adresse", width="medium"),
            "hours_today": st.column_config.TextColumn("Aujourd'hui", width="medium",
                                                       help="Selon les horaires publiés, heure de Paris"),
            "price": st.column_config.TextColumn("Prix", width="medium"),
            "access": st.column_config.TextColumn("Pour y aller", width="medium"),
            "accessibility": st.column_config.TextColumn("Accessibilité", width="medium"),
            "hours_source": st.column_config.TextColumn("Source des horaires", width="medium"),
            "price_source": st.column_config.TextColumn("Source du prix", width="medium"),
            "access_source": st.column_config.TextColumn("Source des conditions d'accès", width="medium"),
            "accessibility_source": st.column_config.TextColumn("Source de l'accessibilité", width="medium"),
            "facts_label": st.column_config.TextColumn("Fraîcheur des informations pratiques", width="medium"),
            "themes_label": "Thèmes",
            "award": "Distinction",
            "year": st.column_config.NumberColumn("Année de la source", format="%d", help=YEAR_HELP),
            "dataset_label": "Données",
            "description": st.column_config.TextColumn("Description", width="large"),
            "former_name": "Ancien nom",
            "status_note": st.column_config.TextColumn("Fait daté", width="medium"),
            "opened_label": "Ouverture",
            "precision_label": st.column_config.TextColumn("Précision", help="adresse, rue, lieu ou commune"),
            "provider": st.column_config.TextColumn("Position fournie par"),
            "position_label": "Position trouvée",
            "source": st.column_config.TextColumn("Source", width="medium"),
            "address_source": st.column_config.TextColumn("Source de l'adresse", width="medium"),
            "status_source": st.column_config.TextColumn("Source du statut", width="medium"),
            "website": st.column_config.LinkColumn("Site web", validate=r"^https?://", display_text="ouvrir"),
        },
    )
