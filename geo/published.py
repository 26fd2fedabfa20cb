"""The published catalogue as the pages read it, kept in step with the store.

The first read takes every row; each later version only the rows written since and the ids deleted since,
spliced into the table held — after a save of one initiative, an app server reads and prepares one row, not
the whole catalogue. Each initiative keeps its ``slot`` from version to version (the popup-detail files are
chunked by slot, so only the chunks of changed rows are written again); ``row`` is its position in the table.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pandas as pd

from geo import logs
from geo.layer import features_table, unusable
from geo.selection import prepare
from geo.store import CatalogueStore
from geo.vocabulary import CATEGORIES

LOG = logs.get("publication")
# Beyond this share of the table changed at once (an import, a restore), a full read is as cheap.
FULL_READ_SHARE = 0.2
HISTORY = 50  # versions whose changed slots are remembered (for the popup-detail files)


@dataclass(frozen=True)
class Snapshot:
    """One published version: the prepared table (never mutated), the slots written since the previous
    snapshot (None: all of them), and what was left out of the map."""

    version: int
    table: pd.DataFrame
    changed_slots: frozenset[int] | None
    left_out: tuple[str, ...] = ()
    rows_read: int = 0


@dataclass
class PublishedCatalogue:
    store: CatalogueStore
    snapshot: Snapshot | None = None
    _changed: dict[int, frozenset[int] | None] = field(default_factory=dict)  # per version, the last few
    _next_slot: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def current(self) -> Snapshot:
        """The published version now (one small query when nothing changed)."""
        with self._lock:
            held = self.snapshot
            if held is None:
                self.snapshot = self._full()
            else:
                version, rows, gone = self.store.changes_since(held.version)
                if version == held.version:
                    return held
                if len(rows) + len(gone) > FULL_READ_SHARE * max(len(held.table), 1):
                    self.snapshot = self._full()
                else:
                    self.snapshot = self._splice(held, version, rows, gone)
            self._changed[self.snapshot.version] = self.snapshot.changed_slots
            for old in sorted(self._changed)[:-HISTORY]:
                del self._changed[old]
            return self.snapshot

    def changed_between(self, since: int, until: int) -> frozenset[int] | None:
        """The slots written after version ``since`` up to ``until`` (None: not known, rewrite everything)."""
        with self._lock:
            if since not in self._changed:  # not a version this server held, or forgotten
                return None
            changes = [self._changed[v] for v in self._changed if since < v <= until]
            known = [slots for slots in changes if slots is not None]
            if len(known) < len(changes):
                return None
            return frozenset().union(*known)

    def _full(self) -> Snapshot:
        version, table = self.store.layer_table()
        table, left_out = _usable(table)
        table = prepare(table)
        table["slot"] = table["row"]
        self._next_slot = len(table)
        self._changed.clear()
        LOG.info("catalogue publié lu en entier : version %d, %d initiatives", version, len(table))
        return Snapshot(version, table, None, left_out, len(table))

    def _splice(self, held: Snapshot, version: int, rows: pd.DataFrame, gone: set[str]) -> Snapshot:
        written = set(rows["id"]) | gone
        rows, left_out = _usable(rows)
        fresh = prepare(rows if len(rows) else features_table([]))
        slots = dict(zip(held.table["id"], held.table["slot"], strict=True))
        known = fresh["id"].map(slots)
        new = known.isna()
        known[new] = range(self._next_slot, self._next_slot + int(new.sum()))
        self._next_slot += int(new.sum())
        fresh["slot"] = known.astype(int)
        kept = held.table[~held.table["id"].isin(written)]
        table = pd.concat([kept, fresh], ignore_index=True).sort_values("slot", kind="stable", ignore_index=True)
        table["row"] = range(len(table))
        changed = frozenset(fresh["slot"]) | frozenset(held.table.loc[held.table["id"].isin(written), "slot"])
        LOG.info("catalogue publié : version %d, %d ligne(s) lue(s), %d supprimée(s)", version, len(rows), len(gone))
        return Snapshot(version, table, changed, held.left_out + left_out, len(rows))


def _usable(table: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Rows the map can draw, and the names of those it cannot (a category the vocabulary no longer has)."""
    bad = unusable(table, CATEGORIES)
    return table[~bad].reset_index(drop=True), tuple(table.loc[bad, "name"].astype(str))
