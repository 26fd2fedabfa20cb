"""Offline: Marseille's streets from an OpenStreetMap index; the street's centre, precision ``street``."""

from __future__ import annotations

import re
from pathlib import Path

from geo.files import read_json
from geo.position import Position, Query, today
from geo.territory import MARSEILLE
from geo.text import normalise, word_ngrams

_ARTICLE = re.compile(r"^(?:la|le|les|l) ")


class StreetIndexStep:
    """Find a Marseille street named in the address."""

    name = "osm-streets"

    def __init__(self, path: Path):
        streets = read_json(path)
        self._by_name = {
            normalise(street["name"]): (street["name"], street["centroid"][1], street["centroid"][0])
            for street in streets
        }
        # "Canebière" for "La Canebière": the name without its article, when no other street takes it
        for key, value in list(self._by_name.items()):
            bare = _ARTICLE.sub("", key)
            self._by_name.setdefault(bare, value)
        # Quarters ("Noailles"): the mean of their streets' centres, a rough point inside the quarter
        quarters: dict[str, list] = {}
        for street in streets:
            quarters.setdefault(street["quartier"], []).append(street["centroid"])
        self._quarters = {normalise(name): (name.title(), sum(c[1] for c in points) / len(points),
                                            sum(c[0] for c in points) / len(points))
                          for name, points in quarters.items() if name}

    def locate(self, query: Query) -> Position | None:
        if query.commune.insee != MARSEILLE:
            return None
        for ngram in word_ngrams(query.address):
            if ngram in self._by_name:
                name, lat, lon = self._by_name[ngram]
                return Position(lat, lon, "street", self.name, f"{name} (centre de la voie), Marseille",
                                None, today())
        return None

    def quarter(self, text: str) -> Position | None:
        """A quarter of Marseille named in ``text`` ("Noailles"), at the mean of its streets' centres."""
        for ngram in word_ngrams(text):
            if ngram in self._quarters:
                name, lat, lon = self._quarters[ngram]
                return Position(lat, lon, "place", self.name, f"quartier {name}, Marseille (position approximative)",
                                None, today())
        return None
