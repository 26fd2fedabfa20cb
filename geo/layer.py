"""The cached GeoJSON layer (``data/initiatives.geojson``): writing it from geocoded rows and
reading it back as a table for the pages."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from geo.catalogue import COLUMNS
from geo.files import atomic_write_text
from geo.position import Position
from geo.territory import Area
from geo.vocabulary import split_themes

LAYER_FILE = "initiatives.geojson"
POSITION_FIELDS = ("precision", "provider", "position_label", "position_score", "position_date")
# Beyond the catalogue's columns: which data set an entry comes from, and what a source adds (fees).
SOURCE_FIELDS = ("dataset", "fees")


def feature(values: dict[str, str], area: Area, territory_name: str, position: Position, *,
            dataset: str = "catalogue", extra: dict | None = None) -> dict:
    """One RFC 7946 Feature: lon/lat order, every catalogue column plus how it was located and from
    which data set."""
    properties: dict[str, object] = dict(values)
    properties.update(dataset=dataset, **(extra or {}))
    properties["themes"] = split_themes(values["themes"])
    properties["insee"] = values["insee"] or area.insee
    properties["conseil_de_territoire"] = territory_name
    properties.update(
        precision=position.precision, provider=position.provider, position_label=position.label,
        position_score=position.score, position_date=position.date,
    )
    return {
        "type": "Feature",
        "id": values["id"],
        "geometry": {"type": "Point", "coordinates": [round(position.lon, 6), round(position.lat, 6)]},
        "properties": properties,
    }


def table_features(table: pd.DataFrame) -> list[dict]:
    """The Features of a layer table (``features_table``'s columns): the way back to GeoJSON."""
    names = [*COLUMNS, "conseil_de_territoire", *POSITION_FIELDS, *SOURCE_FIELDS]
    return [{"type": "Feature", "id": row["id"],
             "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
             "properties": {name: row[name] for name in names if row[name] is not None}}
            for row in table.astype(object).where(table.notna(), None).to_dict("records")]


def write_layer(path: Path, features: list[dict]) -> None:
    """Write the FeatureCollection atomically, one feature per line (compact, and diffs stay readable)."""
    lines = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    atomic_write_text(path, '{"type":"FeatureCollection","features":[\n' + lines + "\n]}\n")


_HEADER = '{"type":"FeatureCollection","features":['


def _features(path: Path):
    """The features of a layer, one at a time when it is written one per line (as ``write_layer``
    does), which keeps memory low for large layers; any other GeoJSON layout is read whole."""
    with open(path, encoding="utf-8") as handle:
        first = handle.readline()
        if first.strip() != _HEADER:
            yield from json.loads(first + handle.read())["features"]
            return
        for line in handle:
            line = line.strip().rstrip(",")
            if line and line != "]}":
                yield json.loads(line)


def read_layer(path: Path, names: Sequence[str] | None = None) -> pd.DataFrame:
    """The layer as one row per initiative, with ``lat`` and ``lon`` columns (and only the properties ``names``, when
    given)."""
    return features_table(_features(path), names)


def features_table(features, names: Sequence[str] | None = None) -> pd.DataFrame:
    """Layer features (any iterable) as one row per initiative, with ``lat`` and ``lon`` columns, and every property
    of a layer (or only ``names``)."""
    names = list(names) if names is not None else [*COLUMNS, "conseil_de_territoire", *POSITION_FIELDS,
                                                    *SOURCE_FIELDS]
    columns: dict[str, list] = {name: [] for name in [*names, "lat", "lon"]}
    for feature in features:
        properties = feature.get("properties") or {}
        for name in names:
            columns[name].append(properties.get(name))
        lon, lat = _coordinates(feature)
        columns["lon"].append(lon)
        columns["lat"].append(lat)
    table = pd.DataFrame(columns)
    if table.empty:  # keep text columns as text, so that an empty layer goes through the same code
        table = table.astype({name: object for name in names} | {"lat": float, "lon": float})
    return table


def _number(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) else math.nan


def _coordinates(feature: dict) -> tuple[float, float]:
    """(lon, lat) of a Point feature; NaN for what is missing or not a finite number."""
    coordinates = (feature.get("geometry") or {}).get("coordinates") or []
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        return math.nan, math.nan
    return _number(coordinates[0]), _number(coordinates[1])


def unusable(table: pd.DataFrame, categories) -> pd.Series:
    """Rows the map cannot draw: no finite position, or a category the vocabulary does not know."""
    return table["lat"].isna() | table["lon"].isna() | ~table["category"].isin(list(categories))
