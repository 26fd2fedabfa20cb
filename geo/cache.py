"""The persistent geocode cache (``data/geocode_cache.json``): online answers keyed by the
normalised query, saved atomically after every new answer so an interrupted build loses nothing."""

from __future__ import annotations

import json
from pathlib import Path

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
        self._entries: dict[str, dict] = {}
        if self.path.exists():
            try:
                payload = read_json(self.path)
                self._entries = dict(payload["entries"])
            except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError) as error:
                raise CacheError(f"cache de géocodage illisible ({self.path.name} : {error}) ; "
                                 "corrigez-le ou supprimez-le") from error

    def get(self, key: str) -> Position | None:
        entry = self._entries.get(key)
        return Position.from_dict(entry) if entry else None

    def put(self, key: str, position: Position) -> None:
        """Remember an answer and save the whole cache at once."""
        self._entries[key] = position.as_dict()
        self.save()

    def save(self) -> None:
        """Write the cache file atomically (an empty cache too, so that it always ships)."""
        atomic_write_json(self.path, {"version": CACHE_VERSION, "entries": dict(sorted(self._entries.items()))})
