"""The cached GeoJSON layer (``data/initiatives.geojson``): writing it from geocoded rows and
reading it back as a table for the pages."""

from __future__ import annotations

import json
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
    properties = dict(values)
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


def read_layer(path: Path) -> pd.DataFrame:
    """The layer as one row per initiative, with ``lat`` and ``lon`` columns."""
    return features_table(_features(path))


def features_table(features) -> pd.DataFrame:
    """Layer features (any iterable) as one row per initiative, with ``lat`` and ``lon`` columns."""
    names = [*COLUMNS, "conseil_de_territoire", *POSITION_FIELDS, *SOURCE_FIELDS]
    columns: dict[str, list] = {name: [] for name in [*names, "lat", "lon"]}
    for feature in features:
        properties = feature["properties"]
        for name in names:
            columns[name].append(properties.get(name))
        columns["lon"].append(feature["geometry"]["coordinates"][0])
        columns["lat"].append(feature["geometry"]["coordinates"][1])
    return pd.DataFrame(columns)
