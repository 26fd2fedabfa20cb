"""Popup details of a large layer as small JSON files the browser fetches on click: chunk ``k`` holds the
details of the initiatives whose ``slot`` is ``k * CHUNK`` to ``(k + 1) * CHUNK - 1``, keyed by ``slot - k * CHUNK``
(slots are stable from one published version to the next, so a new version rewrites only the chunks of the
initiatives that changed and links the others)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from geo.files import atomic_write_text
from geo.webmap.markers import DETAILS_CHUNK as CHUNK
from geo.webmap.markers import detail_records


def publish_details(table: pd.DataFrame, folder: Path, previous: Path | None = None,
                    changed: frozenset[int] | None = None) -> int:
    """Write the chunks of ``table`` (by its ``slot`` column, else ``row``) into ``folder``. With the folder of
    a previous version and the slots ``changed`` since, the other chunks are hard-linked from it. Returns the
    number of chunks written."""
    folder.mkdir(parents=True, exist_ok=True)
    slots = (table["slot"] if "slot" in table else table["row"]).to_numpy()
    chunks = slots // CHUNK
    dirty = None if changed is None or previous is None else {slot // CHUNK for slot in changed}
    written = 0
    for chunk in sorted(set(chunks.tolist())):
        path = folder / f"{chunk}.json"
        if path.exists():
            continue
        if dirty is not None and chunk not in dirty and (previous / path.name).exists():
            os.link(previous / path.name, path)
            continue
        inside = chunks == chunk
        records = detail_records(table[inside])
        payload = {int(slot - chunk * CHUNK): record for slot, record in zip(slots[inside], records, strict=True)}
        atomic_write_text(path, json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
        written += 1
    return written
