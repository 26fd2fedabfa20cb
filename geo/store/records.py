"""An initiative as the database holds it: its catalogue fields, where it is, and the layer's columns."""

from __future__ import annotations

import pandas as pd

from geo.catalogue import COLUMNS, FIELD_LABELS
from geo.layer import POSITION_FIELDS
from geo.position import Position
from geo.vocabulary import split_themes

# Where a row's address is: a change of these re-locates it.
ADDRESS_FIELDS = ("address", "postcode", "commune", "insee")


def values_of(record) -> dict[str, str]:
    """The catalogue fields of a database row."""
    mapping = record._mapping if hasattr(record, "_mapping") else record
    return {column: mapping[column] for column in COLUMNS}


def layer_columns(table: pd.DataFrame) -> pd.DataFrame:
    """Database rows as ``geo.layer.features_table`` gives a layer: the area's INSEE code when the row has
    none, themes as lists, the data set."""
    table["insee"] = table["insee"].where(table["insee"] != "", table["area_insee"])
    table["themes"] = [split_themes(themes) for themes in table["themes"]]
    table["dataset"], table["fees"] = "catalogue", None
    columns = [*COLUMNS, "conseil_de_territoire", *POSITION_FIELDS, "dataset", "fees", "lat", "lon"]
    return table[columns]


def position_of(record) -> Position:
    return Position(record.lat, record.lon, record.precision, record.provider, record.position_label,
                    record.position_score, record.position_date)


def address_key(values, insee: bool = False) -> tuple:
    """What a position was located from: address, postcode, commune, and the INSEE code when asked (a shipped
    layer's INSEE code is the area's, checked apart)."""
    columns = ADDRESS_FIELDS if insee else ("address", "postcode", "commune")
    return tuple(str(values[column] or "") for column in columns)


def fields_text(changed: list[str]) -> str:
    return ", ".join(FIELD_LABELS.get(column, column) for column in changed)
