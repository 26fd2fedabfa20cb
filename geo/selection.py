"""Filtering the initiatives by category, theme, commune, year and text. Pure pandas, vectorised."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.territory import MARSEILLE, is_arrondissement_code
from geo.text import fold, fold_series
from geo.vocabulary import APPROXIMATE_PRECISIONS, CATEGORIES, PRECISIONS, THEMES

THEME_PREFIX = "theme:"
_SEARCHED = ("name", "description", "address", "commune", "themes_label", "category_label", "award")


def prepare(table: pd.DataFrame) -> pd.DataFrame:
    """Add the derived columns the pages and the map use: labels, full address, one boolean column
    per theme, folded search text, and ``row`` (position in the layer). Vectorised: 100 000 rows
    take about a second, once per layer version."""
    table = table.reset_index(drop=True)
    table["row"] = table.index
    table["category_label"] = table["category"].map({key: c.label for key, c in CATEGORIES.items()})
    memberships = table["themes"].explode()
    for theme in THEMES:
        table[THEME_PREFIX + theme] = (memberships == theme).groupby(level=0).any()
    table["themes_label"] = memberships.map(THEMES).dropna().groupby(level=0).agg(", ".join).reindex(
        table.index, fill_value="")
    table["precision_label"] = table["precision"].map(PRECISIONS)
    table["approximate"] = table["precision"].isin(APPROXIMATE_PRECISIONS)
    place = (table["postcode"] + " " + table["commune"]).str.strip()
    table["full_address"] = (table["address"] + ", " + place).where(table["address"] != "", place)
    table["commune_insee"] = table["insee"].where(~table["insee"].map(is_arrondissement_code), MARSEILLE)
    table["year"] = pd.to_numeric(table["year"], errors="coerce").astype("Int64")
    searched = table[list(_SEARCHED)].fillna("").astype(str)
    table["search_text"] = fold_series(searched.iloc[:, 0].str.cat([searched[c] for c in _SEARCHED[1:]], sep=" "))
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
        keep &= table[[THEME_PREFIX + theme for theme in filters.themes]].any(axis=1)
    if filters.places:
        keep &= table["insee"].isin(filters.places) | table["commune_insee"].isin(filters.places)
    if filters.years:
        low, high = filters.years
        keep &= table["year"].between(low, high).fillna(False).astype(bool)
    words = fold(filters.text).split()
    if words:
        texts = table["search_text"][keep].tolist()
        found = [all(word in text for word in words) for text in texts]
        keep[keep] = found
    return table[keep]
