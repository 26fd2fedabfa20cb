"""Offline: named places whose OpenStreetMap point ships in ``data/places.csv`` (Mucem, Baumettes)."""

from __future__ import annotations

import csv
from pathlib import Path

from geo.position import Position, Query, today
from geo.text import normalise, word_ngrams


class PlaceIndexStep:
    """Find a known place named in the address; precision ``place``."""

    name = "osm-places"

    def __init__(self, path: Path):
        self._by_alias: dict[str, tuple[str, float, float]] = {}
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for alias in [row["name"], *row["aliases"].split(";")]:
                    self._by_alias[normalise(alias)] = (row["name"], float(row["lat"]), float(row["lon"]))

    def locate(self, query: Query) -> Position | None:
        for ngram in word_ngrams(query.address):
            if ngram in self._by_alias:
                name, lat, lon = self._by_alias[ngram]
                return Position(lat, lon, "place", self.name, f"{name}, {query.commune.name}", None, today())
        return None
