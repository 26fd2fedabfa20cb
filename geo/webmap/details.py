"""Popup details of a large layer as small JSON files the browser fetches on click: chunk ``k`` holds the
details of the initiatives whose ``slot`` is ``k * CHUNK`` to ``(k + 1) * CHUNK - 1``, keyed by ``slot - k * CHUNK``
(slots are stable from one published version to the next, so a new version rewrites only the chunks of the
initiatives that changed and links the others). Several servers may share one folder of static files (one
checkout): each names its folders after its process and clears only its own, and those of processes gone.

A folder's hours cover a fortnight from the Monday of the week it was published in (``hours_from``), so that
whatever the day this week, a card has today and the six days after it; a server publishes again each week (the
chunks without hours are linked, ``dated_slots``)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from geo import clock
from geo.files import atomic_write_text
from geo.webmap.markers import DETAILS_CHUNK as CHUNK
from geo.webmap.markers import MARKERS_FILE, detail_records, markers_file, to_js

HOURS_DAYS = 14  # a week from any day of the week the folder was published in


def hours_from(today: dt.date) -> dt.date:
    """The first day of the hours a folder published ``today`` holds: the Monday of this week."""
    return today - dt.timedelta(days=today.weekday())


def dated_slots(table: pd.DataFrame) -> frozenset[int]:
    """The slots of the initiatives whose details depend on the day (their hours): what a new week rewrites."""
    if "opening_hours" not in table:
        return frozenset()
    dated = table["opening_hours"].astype("string").fillna("").str.strip() != ""
    return frozenset((table["slot"] if "slot" in table else table["row"])[dated].tolist())


def publish_details(table: pd.DataFrame, folder: Path, previous: Path | None = None,
                    changed: frozenset[int] | None = None, today: dt.date | None = None) -> int:
    """Write the chunks of ``table`` (by its ``slot`` column, else ``row``) into ``folder``, with the hours of
    the fortnight from ``hours_from(today)`` (by default the clock's day). With the folder of a previous version
    and the slots ``changed`` since, the other chunks are hard-linked from it. Returns the number of chunks
    written. The marker columns of the whole table go beside them (``MARKERS_FILE``)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / MARKERS_FILE).exists():
        atomic_write_text(folder / MARKERS_FILE, to_js(markers_file(table)))
    slots = (table["slot"] if "slot" in table else table["row"]).to_numpy()
    chunks = slots // CHUNK
    dirty = None if changed is None or previous is None else {slot // CHUNK for slot in changed}
    todo = []
    for chunk in sorted(set(chunks.tolist())):
        path = folder / f"{chunk}.json"
        if path.exists():
            continue
        if previous is not None and dirty is not None and chunk not in dirty and (previous / path.name).exists():
            os.link(previous / path.name, path)
            continue
        todo.append(chunk)
    # The records of every chunk to write in one pass over their rows (a pass per chunk cost 440 selections of
    # the table at 220,000 initiatives).
    inside = np.isin(chunks, todo)
    payloads: dict[int, dict[int, dict]] = {chunk: {} for chunk in todo}
    records = detail_records(table[inside], hours_from(today or clock.today()), HOURS_DAYS)
    for slot, chunk, record in zip(slots[inside].tolist(), chunks[inside].tolist(), records, strict=True):
        payloads[chunk][slot - chunk * CHUNK] = record
    for chunk, payload in payloads.items():
        atomic_write_text(folder / f"{chunk}.json", json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
    return len(todo)


def server_folder(key: str, pid: int | None = None) -> str:
    """The name of this server's folder for the details of one version: its process, then the version's key."""
    return f"{pid or os.getpid()}-{key}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def clear_stale(root: Path, keep: set[str], pid: int | None = None, alive=_alive) -> list[str]:
    """Remove the folders in ``root`` that this server (``pid``) published and no longer needs (all but
    ``keep``), and those of servers whose process is gone; another live server's folders stay. Returns what
    was removed."""
    pid = pid or os.getpid()
    removed = []
    for folder in sorted(root.iterdir()) if root.exists() else ():
        if folder.name in keep:
            continue
        owner = folder.name.partition("-")[0]
        if owner == str(pid) or not owner.isdigit() or not alive(int(owner)):  # unnamed: an earlier release's
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed
