"""The national schemas our data is published in: one module per standard, each a pure function from the layer
table (``geo.layer.features_table``, or the app's prepared table) to that standard's records, saying which
entries it leaves out and why. Validated in the tests by each standard's own validator (docs/donnees.md)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import pandas as pd

from geo.sources import Dataset


@dataclass
class Published:
    """What an export wrote, and what it left out with the reason (« nom (identifiant) : raison »)."""

    records: dict[str, list[dict]]
    left_out: list[str] = field(default_factory=list)


LEFT_OUT_FILE = "non-exportees.txt"



def with_left_out(files: dict[str, bytes], result: Published) -> dict[str, bytes]:
    """A standard's files and the list of what was left out, with the reason."""
    return {**files, LEFT_OUT_FILE: "".join(f"{line}\n" for line in result.left_out).encode("utf-8")}


def to_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@dataclass(frozen=True)
class Known:
    """What an export needs besides the rows: the day each catalogue row was last written
    (``CatalogueStore.modified``) and the data sets (``geo.sources.datasets``: names, publication days)."""

    modified: Mapping[str, dt.date]
    datasets: Mapping[str, Dataset]

    def last_changed(self, row: dict) -> dt.date | None:
        """The day a row last changed at its producer: a catalogue row's last revision, a source's row its file's
        publication day; None when unknown."""
        if row["dataset"] == "catalogue":
            return self.modified.get(row["id"])
        dataset = self.datasets.get(row["dataset"])
        try:
            return dt.date.fromisoformat(dataset.published) if dataset else None
        except ValueError:
            return None


def text(value) -> str | None:
    """A cell as text, None when empty (or missing: NaN, None)."""
    value = "" if value is None or pd.isna(value) else str(value).strip()
    return value or None


def coordinates(row: dict) -> dict:
    """Latitude and longitude, unless the point is only its commune's centre (not where the place is)."""
    if row["precision"] == "commune":
        return {}
    return {"latitude": round(float(row["lat"]), 6), "longitude": round(float(row["lon"]), 6)}


def kept(table: pd.DataFrame, known: Known, why_not: Callable[[dict, dt.date | None], str],
         left_out: list[str]) -> Iterator[tuple[dict, dt.date]]:
    """Each row a standard takes, with the day it last changed; the others go to ``left_out`` with their reason
    (``why_not`` answers '' for a row it takes, and a reason for one without a date)."""
    for row in table.to_dict("records"):
        day = known.last_changed(row)
        reason = why_not(row, day)
        if reason:
            left_out.append(f"{row['name']} ({row['id']}) : {reason}")
            continue
        assert day is not None, "a row without a date has its reason"
        yield row, day
