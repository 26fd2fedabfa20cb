"""Offline: Marseille's streets from an OpenStreetMap index; the street's centre, precision ``street``."""

from __future__ import annotations

from pathlib import Path

from geo.files import read_json
from geo.position import Position, Query, today
from geo.territory import MARSEILLE
from geo.text import normalise, word_ngrams


class StreetIndexStep:
    """Find a Marseille street named in the address."""

    name = "osm-streets"

    def __init__(self, path: Path):
        self._by_name = {
            normalise(street["name"]): (street["name"], street["centroid"][1], street["centroid"][0])
            for street in read_json(path)
        }

    def locate(self, query: Query) -> Position | None:
        if query.commune.insee != MARSEILLE:
            return None
        for ngram in word_ngrams(query.address):
            if ngram in self._by_name:
                name, lat, lon = self._by_name[ngram]
                return Position(lat, lon, "street", self.name, f"{name} (centre de la voie), Marseille",
                                None, today())
        return None
