"""The persistent geocode cache (``data/geocode_cache.json``): online answers keyed by the normalised query.

Each new answer is appended as one line to a journal beside the cache (``geocode_cache.json.journal``), so
that an interrupted build loses nothing and a large first build stays linear; ``save`` folds the journal
into the cache file (written atomically) and removes it. Reading replays the journal over the cache."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from geo.database import geocode_cache
from geo.files import atomic_write_json, read_json
from geo.position import Position

CACHE_FILE = "geocode_cache.json"
CACHE_VERSION = 1


class CacheError(Exception):
    """The cache file exists but cannot be read; it is left untouched."""


class GeocodeCache:
    """Answers of online geocoders, so that a second build sends no request."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.journal = self.path.with_name(self.path.name + ".journal")
        self._entries: dict[str, dict] = {}
        if self.path.exists():
            try:
                payload = read_json(self.path)
                self._entries = dict(payload["entries"])
            except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError) as error:
                raise CacheError(f"cache de géocodage illisible ({self.path.name} : {error}) ; "
                                 "corrigez-le ou supprimez-le") from error
        if self.journal.exists():
            self._replay()

    def _replay(self) -> None:
        """Answers of an interrupted build; a last line cut by the interruption is skipped."""
        with open(self.journal, encoding="utf-8") as handle:
            for line in handle:
                try:
                    key, entry = json.loads(line)
                except (json.JSONDecodeError, ValueError, TypeError):
                    continue
                self._entries[key] = entry

    def entries(self) -> dict[str, dict]:
        return dict(self._entries)

    def get(self, key: str) -> Position | None:
        entry = self._entries.get(key)
        return Position.from_dict(entry) if entry else None

    def put(self, key: str, position: Position) -> None:
        """Remember an answer: one line appended to the journal (flushed, so a killed build keeps it)."""
        self._entries[key] = position.as_dict()
        with open(self.journal, "a", encoding="utf-8") as handle:
            handle.write(json.dumps([key, self._entries[key]], ensure_ascii=False) + "\n")

    def save(self) -> None:
        """Write the cache file atomically (an empty cache too, so that it always ships), then drop the journal."""
        atomic_write_json(self.path, {"version": CACHE_VERSION, "entries": dict(sorted(self._entries.items()))})
        self.journal.unlink(missing_ok=True)


class DatabaseCache:
    """The same answers in the catalogue database (``geo.database.geocode_cache``): on a connection (inside a
    save's transaction, so they commit with it) or an engine (one short write transaction per answer)."""

    def __init__(self, bind: sa.Connection | sa.Engine):
        self.bind = bind

    def get(self, key: str) -> Position | None:
        query = sa.select(geocode_cache.c.entry).where(geocode_cache.c.key == key)
        if isinstance(self.bind, sa.Engine):
            with self.bind.connect() as connection:
                entry = connection.execute(query).scalar()
        else:
            entry = self.bind.execute(query).scalar()
        return Position.from_dict(json.loads(entry)) if entry else None

    def put(self, key: str, position: Position) -> None:
        if isinstance(self.bind, sa.Engine):
            with self.bind.connect().execution_options(write=True) as connection, connection.begin():
                self._put(connection, key, position)
        else:
            self._put(self.bind, key, position)

    @staticmethod
    def _put(connection: sa.Connection, key: str, position: Position) -> None:
        connection.execute(sa.delete(geocode_cache).where(geocode_cache.c.key == key))
        connection.execute(sa.insert(geocode_cache).values(
            key=key, entry=json.dumps(position.as_dict(), ensure_ascii=False)))

    def save(self) -> None:
        """Nothing to fold: every answer is committed as it comes."""
