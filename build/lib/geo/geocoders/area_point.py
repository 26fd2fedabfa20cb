"""Offline, last resort: the inside point of the arrondissement or commune; precision ``commune``."""

from __future__ import annotations

from geo.position import Position, Query, today
from geo.territory import Territory


class AreaPointStep:
    """Always answers: a point that is inside the row's arrondissement or commune."""

    name = "area-point"

    def __init__(self, territory: Territory):
        self.territory = territory

    def locate(self, query: Query) -> Position:
        lat, lon = self.territory.reference_point(query.area)
        return Position(lat, lon, "commune", self.name, query.area.name, None, today())
