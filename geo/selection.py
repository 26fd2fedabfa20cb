"""Filtering the initiatives by category, theme, commune, year and text. Pure pandas, vectorised."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.catalogue import COLUMNS, FACT_SOURCES
from geo.facts import freshness_text, newest_date
from geo.hours import open_mask, state_at
from geo.layer import SOURCE_FIELDS
from geo.phrases import opened_text, status_text
from geo.search import TextIndex
from geo.sources import CATALOGUE, datasets
from geo.territory import MARSEILLE, is_arrondissement_code
from geo.text import fold, fold_series
from geo.vocabulary import APPROXIMATE_PRECISIONS, CATEGORIES, NEEDS, NOT_PLACES, PRECISIONS, THEMES

THEME_PREFIX = "theme:"
_SEARCHED = ("name", "description", "address", "commune", "themes_label", "category_label", "award", "former_name")


def _labels(needed: pd.Series, make, *columns: pd.Series) -> pd.Series:
    """``make((value, …))`` for the rows where ``needed``, "" elsewhere."""
    labels = np.full(len(needed), "", dtype=object)
    if needed.any():
        labels[needed.to_numpy()] = [make(row) for row in zip(*(c[needed] for c in columns), strict=True)]
    return pd.Series(labels, index=needed.index, dtype=object)


def prepare(table: pd.DataFrame) -> pd.DataFrame:
    """Add the derived columns the pages and the map use: labels, full address, one boolean column
    per theme, folded search text, and ``row`` (position in the layer). Vectorised; done once per
    layer version (a few seconds for 100 000 rows, see docs/performance.md)."""
    table = table.reset_index(drop=True)
    table["row"] = table.index
    for column in (*COLUMNS, *SOURCE_FIELDS):  # layers written before a column existed, and sources
        if column not in table:
            table[column] = ""
        elif table[column].isna().any():
            table[column] = table[column].fillna("")
    table["dataset"] = table["dataset"].replace("", CATALOGUE.key)
    table["dataset_label"] = table["dataset"].map({key: d.short for key, d in datasets().items()})
    table["status"] = table["status"].replace("", "active")
    table["ended"] = table["status"] == "ended"
    # Computed for the few rows that need it: most are active, most have no opening date.
    table["status_label"] = _labels(table["status"] != "active", lambda row: status_text(*row),
                                    table["status"], table["status_date"])
    table["opened_label"] = _labels(table["opened"] != "", lambda row: opened_text(row[0]), table["opened"])
    # How fresh the practical facts are: the newest page they cite (few rows cite any).
    cited = (table[list(FACT_SOURCES.values())] != "").any(axis=1)
    table["facts_date"] = _labels(cited, lambda row: newest_date(*row), *(table[c] for c in FACT_SOURCES.values()))
    table["facts_label"] = _labels(cited, lambda row: freshness_text(row[0], True), table["facts_date"])
    table["walkable"] = ~table["category"].isin(NOT_PLACES)
    table["commune_level"] = table["precision"] == "commune"
    table["category_label"] = table["category"].map({key: c.label for key, c in CATEGORIES.items()})
    memberships = table["themes"].explode()
    codes = pd.Categorical(memberships, categories=list(THEMES)).codes
    present = np.zeros((len(table), len(THEMES)), dtype=bool)
    present[memberships.index.to_numpy()[codes >= 0], codes[codes >= 0]] = True
    for index, theme in enumerate(THEMES):
        table[THEME_PREFIX + theme] = present[:, index]
    table["themes_label"] = [", ".join(THEMES.get(t, t) for t in themes) for themes in table["themes"]]
    table["precision_label"] = table["precision"].map(PRECISIONS)
    table["approximate"] = table["precision"].isin(APPROXIMATE_PRECISIONS)
    place = (table["postcode"] + " " + table["commune"]).str.strip()
    table["full_address"] = (table["address"] + ", " + place).where(table["address"] != "", place)
    table["commune_insee"] = table["insee"].where(~table["insee"].map(is_arrondissement_code), MARSEILLE)
    table["year"] = pd.to_numeric(table["year"], errors="coerce").astype("Int64")
    searched = table[list(_SEARCHED)].fillna("").astype(str)
    folded = fold_series(searched.iloc[:, 0].str.cat(searched.iloc[:, 1:], sep=" "))
    table["search_text"] = pd.Series(folded.tolist(), dtype=object)  # plain str: fast to scan
    return table


@dataclass(frozen=True)
class Filters:
    """What the visitor asked for; empty means "all"."""

    categories: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    places: tuple[str, ...] = ()  # INSEE codes: communes, or Marseille arrondissements
    years: tuple[int, int] | None = None
    text: str = ""
    datasets: tuple[str, ...] = ()  # "catalogue", "mediation-numerique"…
    statuses: tuple[str, ...] = ()  # "active", "changed", "watch", "ended"
    open_at: dt.datetime | None = None  # only places open at this moment (Europe/Paris)
    walkable_only: bool = False  # leave out prizes, programmes, challenges (not places one walks into)
    needs: tuple[str, ...] = ()  # geo.vocabulary.NEEDS: each one a source says the place meets


def select(table: pd.DataFrame, filters: Filters, text_index: TextIndex | None = None) -> pd.DataFrame:
    """The initiatives matching every filter (one of the chosen values within each facet).

    ``text_index``, built over the whole prepared layer, makes the text search fast at any size;
    without it each kept row's text is scanned."""
    keep = pd.Series(True, index=table.index)
    if filters.categories:
        keep &= table["category"].isin(filters.categories)
    if filters.themes:
        keep &= table[[THEME_PREFIX + theme for theme in filters.themes]].any(axis=1)
    if filters.places:
        keep &= table["insee"].isin(filters.places) | table["commune_insee"].isin(filters.places)
    if filters.years:
        low, high = filters.years
        keep &= table["year"].between(low, high).fillna(False).astype(bool)
    if filters.datasets:
        keep &= table["dataset"].isin(filters.datasets)
    if filters.statuses:
        keep &= table["status"].isin(filters.statuses)
    if filters.walkable_only:
        keep &= table["walkable"]
    for need in filters.needs:
        _, column, value = NEEDS[need]
        keep &= table[column] == value
    if filters.open_at is not None:  # an initiative under watch or ended is never said open, whatever its hours
        keep &= ~table["status"].isin(("watch", "ended"))
        hours = table["opening_hours"].to_numpy()[keep.to_numpy()]
        keep.loc[keep] = np.asarray(open_mask(list(hours), filters.open_at), dtype=bool)
    words = fold(filters.text).split()
    if words and text_index is not None:
        keep &= text_index.matches(filters.text)[table["row"].to_numpy()]
    elif words:
        texts = table["search_text"].to_numpy()[keep.to_numpy()]
        keep.loc[keep] = np.fromiter((all(word in text for word in words) for text in texts), bool, len(texts))
    # No filter keeps every row (most page loads): the table itself, not a copy of each column taken row by row
    # (copy-on-write: a change to the selection never reaches the table).
    return table.copy(deep=False) if keep.all() else table[keep]


def not_known_open(table: pd.DataFrame, when: dt.datetime) -> pd.Series:
    """Which places « ouvert maintenant » cannot answer for at ``when``: no hours, hours a page gave without
    clock times (unknown at that moment), or an initiative under watch. Never said closed: shown apart."""
    states = {expression: state_at(expression, when) for expression in set(table["opening_hours"])}
    unknown = table["opening_hours"].map(lambda expression: states[expression] in (None, "unknown"))
    return (unknown | (table["status"] == "watch")) & (table["status"] != "ended") & table["walkable"]
