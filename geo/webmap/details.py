"""Popup details of a large layer as small JSON files the browser fetches on click: chunk ``k`` holds
the details of rows ``k * CHUNK`` to ``(k + 1) * CHUNK - 1`` of the layer."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from geo.files import atomic_write_text
from geo.webmap.markers import detail_records

CHUNK = 500


def publish_details(table: pd.DataFrame, folder: Path) -> None:
    """Write every chunk of ``table`` (ordered by its ``row`` column) into ``folder``, once."""
    folder.mkdir(parents=True, exist_ok=True)
    records = detail_records(table.sort_values("row"))
    for start in range(0, len(records), CHUNK):
        path = folder / f"{start // CHUNK}.json"
        if not path.exists():
            atomic_write_text(path, json.dumps(records[start:start + CHUNK], ensure_ascii=False,
                                               separators=(",", ":")))
