"""The initiatives as a table, with the same columns everywhere."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.hours import now, today_line
from geo.text import number
from ui.filters import YEAR_HELP


def hours_today(table: pd.DataFrame) -> pd.Series:
    """Today's hours and whether each place is open now (each distinct expression evaluated once)."""
    moment = now()
    keys = list(zip(table["opening_hours"], table["walkable"], strict=True))
    lines = {key: today_line(key[0], moment, walkable=key[1]) for key in set(keys)}
    return pd.Series([lines[key] for key in keys], index=table.index, dtype=object)


# Rows sent to the browser at once: the shipped catalogue fits in one page; 100,000 initiatives no longer travel
# whole with every load and filter (20.5 MB of 27.5 MB, issue 20), but a page at a time.
PAGE_ROWS = 500
ORDERS = {"": "l'ordre du catalogue", "name": "nom", "commune": "commune", "category_label": "catégorie",
          "year": "année de la source, la plus récente d'abord"}


def _pages(count: int) -> list[str]:
    return [f"{number(start + 1)} à {number(min(start + PAGE_ROWS, count))}" for start in range(0, count, PAGE_ROWS)]


def _turn(key: str, step: int, last: int) -> None:
    st.session_state[key] = min(max(st.session_state.get(key, 0) + step, 0), last)


def page_of(table: pd.DataFrame, key: str) -> pd.DataFrame:
    """The rows of ``table`` to show: all of them up to ``PAGE_ROWS``; beyond, one page, in the order chosen for
    the whole selection (a column's header sorts the page shown only), with the way to the others. A new
    selection starts again at its first page."""
    if len(table) <= PAGE_ROWS:
        return table
    order = st.selectbox("Trier toute la liste par", list(ORDERS), format_func=ORDERS.get, key=f"{key}_ordre")
    if order:
        table = table.sort_values(order, ascending=order != "year", kind="stable", na_position="last",
                                  key=(lambda column: column.str.lower()) if order == "name" else None)
    pages, page_key = _pages(len(table)), f"{key}_page"
    rows = table.get("row", table.index.to_series())
    selection = (len(table), order, int(pd.util.hash_pandas_object(rows, index=False).sum()))
    if st.session_state.get(f"{key}_pour") != selection:  # another selection, or ordered otherwise: page 1
        st.session_state[f"{key}_pour"], st.session_state[page_key] = selection, 0
    st.session_state[page_key] = min(st.session_state.get(page_key, 0), len(pages) - 1)
    back, choice, forward = st.columns([1, 2, 1], vertical_alignment="bottom")
    back.button("Page précédente", key=f"{key}_avant", icon=":material/chevron_left:", width="stretch",
                on_click=_turn, args=(page_key, -1, len(pages) - 1), disabled=st.session_state[page_key] == 0)
    page = choice.selectbox("Lignes affichées", range(len(pages)), format_func=lambda i: pages[i], key=page_key)
    forward.button("Page suivante", key=f"{key}_apres", icon=":material/chevron_right:", width="stretch",
                   on_click=_turn, args=(page_key, 1, len(pages) - 1), disabled=page == len(pages) - 1)
    st.caption(f"Lignes {pages[page]} sur {number(len(table))} ({len(pages)} pages de {PAGE_ROWS}). Un clic sur le "
               "titre d'une colonne trie la page affichée ; les boutons de téléchargement donnent toute la sélection.")
    return table.iloc[page * PAGE_ROWS:(page + 1) * PAGE_ROWS]


def initiatives_table(table: pd.DataFrame, *, details: bool = False, key: str = "liste") -> None:
    """A sortable table of the selection, a page at a time beyond ``PAGE_ROWS`` rows; ``details`` adds how and by
    whom each position was produced."""
    table = page_of(table, key)
    columns = ["name", "category_label", "status_label", "commune", "full_address", "hours_today", "price", "access",
               "accessibility", "themes_label", "award", "year", "dataset_label"]
    if details:
        columns += ["description", "former_name", "status_note", "opened_label", "precision_label", "provider",
                    "position_label", "source", "address_source", "status_source", "hours_source", "price_source",
                    "access_source", "accessibility_source", "facts_label", "website"]
    shown = table[[c for c in columns if c != "hours_today"]].assign(hours_today=hours_today(table))[columns]
    st.dataframe(
        shown, hide_index=True, width="stretch",
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
