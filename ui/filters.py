"""The sidebar filters. Each widget is bound to a URL query parameter (Streamlit's
``bind="query-params"``), so the address bar is always a permalink to the current view."""

from __future__ import annotations

import threading

import pandas as pd
import streamlit as st

from geo.hours import now
from geo.selection import Filters
from geo.sources import datasets
from geo.territory import MARSEILLE, Territory
from geo.vocabulary import CATEGORIES, STATUSES, THEMES
from ui import data, reference

# Widget keys are the query parameter names.
TEXT, CATEGORY, THEME, PLACE, YEARS = "q", "categorie", "theme", "commune", "annees"
SOURCE, STATUS, OPEN_NOW = "source", "statut", "ouvert"
YEAR_HELP = "L'année du document qui cite l'initiative (communiqué, jeu de données), pas celle de sa création."


def place_options(territory: Territory) -> dict[str, str]:
    """INSEE code → label, ordered by conseil de territoire; Marseille followed by its arrondissements. Labels
    are names alone, so that typing "Marseille" and Enter picks Marseille, not the 18 communes of its conseil."""
    options: dict[str, str] = {}
    for commune in sorted(territory.communes.values(), key=lambda a: (a.territory, a.name)):
        options[commune.insee] = commune.name  # grouped by conseil de territoire by their order, not their label
        if commune.insee == MARSEILLE:
            for arrondissement in territory.arrondissements.values():
                options[arrondissement.insee] = arrondissement.name.replace(" Arrondissement", " arrondissement")
    return options


FILTER_KEYS = (TEXT, CATEGORY, THEME, PLACE, YEARS, SOURCE, STATUS, OPEN_NOW)
_YEAR_RANGE = "_filters_year_range"


def reset_filters() -> None:
    """Back to everything. The widgets are bound to the address bar and read their values back from it, so
    they are set to their defaults (which also clears them from the URL), not merely forgotten."""
    defaults = {TEXT: "", CATEGORY: [], THEME: [], PLACE: [], SOURCE: [], STATUS: [], OPEN_NOW: False}
    if _YEAR_RANGE in st.session_state:
        defaults[YEARS] = st.session_state[_YEAR_RANGE]
    for key, value in defaults.items():
        if key in st.session_state:
            st.session_state[key] = value


def _choose(label: str, options, key: str, label_of, placeholder: str) -> list:
    """A filter bound to the URL. No "Select all" row: typing a name and Enter picks the first match."""
    return st.multiselect(label, list(options), key=key, bind="query-params", select_all=False,
                          format_func=label_of, placeholder=placeholder)


# Filled by app.py for the page it is about to run, in the script's own thread.
_DRAWN = threading.local()


def draw_for_page() -> None:
    """Called by app.py before it runs a page that shows the filters: drawn by the app rather than by the page,
    the widgets are bound to the app, so their URL parameters survive a change of page and browser Back brings
    them back (Streamlit drops, on a page change, a parameter bound to another page's widget)."""
    _DRAWN.filters = sidebar_filters(data.initiatives(say=False), reference.territory())


def page_filters(table: pd.DataFrame, territory: Territory) -> Filters:
    """The filters app.py drew for this run; drawn here when the page runs on its own (tests)."""
    drawn, _DRAWN.filters = getattr(_DRAWN, "filters", None), None
    return drawn if drawn is not None else sidebar_filters(table, territory)


def sidebar_filters(table: pd.DataFrame, territory: Territory) -> Filters:
    """Draw the filters in the sidebar and return them."""
    years = table["year"].dropna()
    year_range = (int(years.min()), int(years.max())) if len(years) else (2019, 2023)
    st.session_state[_YEAR_RANGE] = year_range
    places = place_options(territory)
    with st.sidebar:
        st.header("Filtres")
        text = st.text_input("Recherche", key=TEXT, bind="query-params", max_chars=100,
                             placeholder="restaurant, jeunesse, Mucem…",
                             help="Cherche dans les noms, descriptions, adresses et thèmes, sans tenir compte des "
                                  "accents ni des majuscules.")
        categories = _choose("Catégorie", CATEGORIES, CATEGORY, lambda c: CATEGORIES[c].label, "Toutes")
        themes = _choose("Thème", THEMES, THEME, THEMES.get, "Tous")
        chosen_places = _choose("Commune ou arrondissement", places, PLACE, places.get, "Toute la Métropole")
        sources = {key: d.short for key, d in datasets().items()}
        chosen_sources = _choose("Source des données", sources, SOURCE, sources.get, "Toutes les sources")
        statuses = _choose("Statut", STATUSES, STATUS, STATUSES.get, "Tous (terminées comprises)")
        open_now = st.toggle("Ouvert maintenant", key=OPEN_NOW, bind="query-params",
                             help="Lieux dont les horaires disent qu'ils sont ouverts en ce moment (heure de Paris, "
                                  "jours fériés compris), puis ceux dont les horaires ne sont pas connus pour cette "
                                  "heure, à part : jamais comptés comme fermés.")
        chosen_years = year_range
        if year_range[0] < year_range[1]:
            chosen_years = st.slider("Année de la source", *year_range, value=year_range, key=YEARS,
                                     bind="query-params", help=YEAR_HELP)
        st.button("Effacer les filtres", on_click=reset_filters, width="stretch")
    return Filters(
        categories=tuple(categories), themes=tuple(themes), places=tuple(chosen_places),
        years=None if tuple(chosen_years) == year_range else tuple(chosen_years), text=text.strip(),
        datasets=tuple(chosen_sources), statuses=tuple(statuses), open_at=now() if open_now else None,
    )
