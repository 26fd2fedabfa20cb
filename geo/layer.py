"""The cached GeoJSON layer (``data/initiatives.geojson``): writing it from geocoded rows and
reading it back as a table for the pages."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from geo.catalogue import COLUMNS
from geo.files import atomic_write_text, read_json
from geo.position import Position
from geo.territory import Area
from geo.vocabulary import split_themes

LAYER_FILE = "initiatives.geojson"
POSITION_FIELDS = ("precision", "provider", "position_label", "position_score", "position_date")


def feature(values: dict[str, str], area: Area, territory_name: str, position: Position) -> dict:
    """One RFC 7946 Feature: lon/lat order, every catalogue column plus how it was located."""
    properties = dict(values)
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


def read_layer(path: Path) -> pd.DataFrame:
    """The layer as one row per initiative, with ``lat`` and ``lon`` columns."""
    features = read_json(path)["features"]
    table = pd.DataFrame(
        [{**f["properties"], "lon": f["geometry"]["coordinates"][0], "lat": f["geometry"]["coordinates"][1]}
         for f in features],
        columns=[*COLUMNS, "conseil_de_territoire", *POSITION_FIELDS, "lat", "lon"],
    )
    return table
