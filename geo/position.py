"""What the geocoding chain is asked (a ``Query``) and what it answers (a ``Position``)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from geo import clock
from geo.territory import Area
from geo.text import normalise


@dataclass(frozen=True)
class Query:
    """The address of one initiative, with the area it must fall in."""

    address: str
    postcode: str
    commune: Area
    area: Area

    @property
    def text(self) -> str:
        """The free-text address sent to geocoders: "1 place Sadi-Carnot, 13002 Marseille"."""
        where = " ".join(part for part in (self.postcode, self.commune.name) if part)
        return ", ".join(part for part in (self.address, where) if part)

    @property
    def key(self) -> str:
        """The cache key: the normalised query text."""
        return normalise(self.text)


@dataclass(frozen=True)
class Position:
    """A coordinate, how precise it is, who produced it and when."""

    lat: float
    lon: float
    precision: str
    provider: str
    label: str = ""
    score: float | None = None
    date: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> Position:
        return cls(**{name: values.get(name) for name in cls.__dataclass_fields__})  # type: ignore[arg-type]


def today() -> str:
    """Today's date, ISO format, as positions record it."""
    return clock.today().isoformat()


def point_from(value, lat: str = "lat", lon: str = "lng") -> tuple[float, float] | None:
    """A point a browser component sent (a map click ``{"lat": …, "lng": …}``, a geolocation's ``coords``), or
    None when it is anything else: what comes over the websocket may be crafted (``{"lat": "abc"}``, a list, an
    infinite number, a latitude of 900)."""
    if not isinstance(value, dict):
        return None
    try:
        point = float(value[lat]), float(value[lon])
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
    if isinstance(value[lat], bool) or isinstance(value[lon], bool):
        return None
    if not all(math.isfinite(v) for v in point) or abs(point[0]) > 90 or abs(point[1]) > 180:
        return None
    return point
