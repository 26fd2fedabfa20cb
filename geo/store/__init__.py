"""The live catalogue, in its database (``geo.database``).

Every change — import, add, edit, delete, position correction, restore — is one transaction that writes the
rows with their positions, the revision recording it (who, when, before and after) and the published version.
A save that fails or is killed leaves the previous version whole; readers see a committed version, never half
of one. Saves queue behind a lock on the version row (``BEGIN IMMEDIATE`` in SQLite, ``FOR UPDATE`` in
PostgreSQL), so two saves of different initiatives both land, and an edit made from a stale revision of an
initiative is refused as a ``Conflict`` instead of overwriting the other person's work.

The store is one class built in layers, one module each: ``reading`` (reads), ``writing`` (the changes and
their transaction), ``seeding`` (filling a new database from the data folder); ``records`` turns an
initiative into its database row, ``results`` holds what a save answers.
"""

from __future__ import annotations

from pathlib import Path

from geo.database import database_url, make_engine
from geo.store.records import ADDRESS_FIELDS
from geo.store.results import UNCHANGED, Conflict, Revision, Saved, SaveRefused
from geo.store.seeding import MANUAL_FILE, Seeding
from geo.territory import Territory

__all__ = ["ADDRESS_FIELDS", "MANUAL_FILE", "UNCHANGED", "CatalogueStore", "Conflict", "Revision", "SaveRefused",
           "Saved"]


class CatalogueStore(Seeding):
    """The catalogue of one database; ``folder`` holds the reference files and the seed (initiatives.csv).
    A save locates its rows offline and from the geocode cache **before** its transaction opens (a restore's
    rows, known only inside, and a row changed between that read and the lock are located inside, the same
    way): the lock is held for writing, and the network is never asked while a write is held. Positions from an
    online service are asked before the save and reach it through that cache (``ui/contribute._located``)."""

    @classmethod
    def open(cls, folder: Path, territory: Territory, url: str | None = None) -> CatalogueStore:
        """The store of ``url`` (default: ``geo.database.database_url``), migrated and seeded."""
        store = cls(make_engine(url or database_url(folder)), territory, folder)
        store.prepare()
        return store
