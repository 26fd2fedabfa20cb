"""One place, once: when two open-data sources list the same place, the map shows the entry of the later file,
naming both sources. Two entries are the same place when they come from different sources, lie within
``NEAR_M`` of each other and share a significant word of their names (« Mairie de Quartier - Luynes » and
« Mairie annexe de Luynes »); two services in one building (the CCAS beside a mairie de quartier) share no such
word and stay apart. The team's catalogue is never merged: its entries are curated one by one."""

from __future__ import annotations

import math
import re

import pandas as pd
from geopy.distance import great_circle

from geo.layer import features_table
from geo.sources import CATALOGUE, datasets
from geo.text import fold

NEAR_M = 150
# Words that name a kind of place or a town, not one place.
_COMMON = frozenset((
    "de", "la", "le", "les", "l", "d", "du", "des", "et", "a", "au", "aux", "en", "sur", "aix", "provence",
    "marseille", "quartier", "mairie", "annexe", "maison", "centre", "espace", "point", "bibliotheque",
    "mediatheque", "social", "sociale", "socio", "culturel", "culturelle", "association", "numerique", "france",
    "services", "agence", "antenne",
))


def words(name: str) -> frozenset[str]:
    """The significant words of a place's name, folded."""
    return frozenset(w for w in re.split(r"[^a-z0-9]+", fold(name)) if len(w) > 1 and w not in _COMMON)


def _finite(*values) -> bool:
    try:
        return all(math.isfinite(float(value)) for value in values)
    except (TypeError, ValueError):
        return False


def same_places(table: pd.DataFrame, published: dict[str, str]) -> dict[int, int]:
    """For each row listed again by a later source, the row that stands for it (index → index). ``published``
    gives each dataset's date; a grid of ~200 m cells keeps the comparison to neighbours."""
    rows = [(i, str(dataset), (float(lat), float(lon)), words(str(name))) for i, dataset, lat, lon, name in zip(
        table.index, table["dataset"].tolist(), table["lat"].tolist(), table["lon"].tolist(), table["name"].tolist(),
        strict=True) if _finite(lat, lon) and dataset != CATALOGUE.key]
    cell = NEAR_M / 111_000 * 1.5
    grid: dict[tuple[int, int], list] = {}
    for row in rows:
        grid.setdefault((int(row[2][0] // cell), int(row[2][1] // cell)), []).append(row)
    kept: dict[int, int] = {}
    for i, dataset, point, name in rows:
        key = (int(point[0] // cell), int(point[1] // cell))
        for j, other, there, other_name in (r for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                                            for r in grid.get((key[0] + dx, key[1] + dy), [])):
            if other == dataset or not (name & other_name) or great_circle(point, there).m > NEAR_M:
                continue
            if (published.get(other, ""), -j) > (published.get(dataset, ""), -i):  # the later file stands
                kept[i] = j
    return kept


def merged(table: pd.DataFrame, published: dict[str, str], labels: dict[str, str]) -> tuple[pd.DataFrame, int]:
    """``table`` with each place listed by two sources once: the later entry, whose source names the other
    (« aussi publié par … »). Returns the table and how many entries were folded into another."""
    if table.empty or "dataset" not in table:
        return table, 0
    kept = same_places(table, published)
    if not kept:
        return table, 0
    table = table.copy()
    also: dict[int, list[str]] = {}
    for dropped, standing in kept.items():
        while standing in kept:  # a chain of three sources: the latest stands
            standing = kept[standing]
        dataset, name = str(table.at[dropped, "dataset"]), str(table.at[dropped, "name"])
        also.setdefault(standing, []).append(f"{labels.get(dataset, dataset)} (« {name} »)")
    for standing, others in also.items():
        table.at[standing, "source"] = f"{table.at[standing, 'source']!s} ; aussi publié par : {' ; '.join(others)}"
    return table.drop(index=list(kept)), len(kept)


def sources_shown(frames: list[pd.DataFrame]) -> tuple[pd.DataFrame, int]:
    """The open-data layers (in the registry's order) as one table, each place once."""
    table = pd.concat(frames, ignore_index=True) if frames else features_table([])
    return merged(table, {key: d.published for key, d in datasets().items()},
                  {key: d.short for key, d in datasets().items()})
