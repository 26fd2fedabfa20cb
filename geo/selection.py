"""Filtering the initiatives by category, theme, commune, year and text. Pure pandas, vectorised."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.territory import MARSEILLE, is_arrondissement_code
from geo.text import fold
from geo.vocabulary import APPROXIMATE_PRECISIONS, CATEGORIES, PRECISIONS, THEMES


def prepare(table: pd.DataFrame) -> pd.DataFrame:
    """Add the derived columns the pages and the map use (labels, full address, search text)."""
    table = table.copy()
    table["category_label"] = table["category"].map(lambda c: CATEGORIES[c].label)
    table["themes_label"] = table["themes"].map(lambda ts: ", ".join(THEMES.get(t, t) for t in ts))
    table["precision_label"] = table["precision"].map(PRECISIONS)
    table["approximate"] = table["precision"].isin(APPROXIMATE_PRECISIONS)
    place = (table["postcode"] + " " + table["commune"]).str.strip()
    table["full_address"] = [", ".join(p for p in parts if p) for parts in zip(table["address"], place, strict=True)]
    table["commune_insee"] = table["insee"].where(~table["insee"].map(is_arrondissement_code), MARSEILLE)
    table["year"] = pd.to_numeric(table["year"], errors="coerce").astype("Int64")
    searchable = table[["name", "description", "address", "commune", "themes_label", "category_label", "award"]]
    table["search_text"] = searchable.fillna("").agg(" ".join, axis=1).map(fold)
    return table


@dataclass(frozen=True)
class Filters:
    """What the visitor asked for; empty means "all"."""

    categories: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    places: tuple[str, ...] = ()  # INSEE codes: communes, or Marseille arrondissements
    years: tuple[int, int] | None = None
    text: str = ""

    def is_empty(self) -> bool:
        return self == Filters()


def select(table: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The initiatives matching every filter (one of the chosen values within each facet)."""
    keep = pd.Series(True, index=table.index)
    if filters.categories:
        keep &= table["category"].isin(filters.categories)
    if filters.themes:
        wanted = set(filters.themes)
        keep &= table["themes"].map(lambda themes: not wanted.isdisjoint(themes))
    if filters.places:
        keep &= table["insee"].isin(filters.places) | table["commune_insee"].isin(filters.places)
    if filters.years:
        low, high = filters.years
        keep &= table["year"].between(low, high).fillna(False).astype(bool)
    for word in fold(filters.text).split():
        keep &= table["search_text"].str.contains(word, regex=False)
    return table[keep]
