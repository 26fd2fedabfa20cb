"""The geocoding chain: cache, then online services, then offline fallbacks, first acceptable wins."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from geopy.exc import GeopyError

from geo import logs
from geo.cache import CACHE_FILE, GeocodeCache
from geo.geocoders import Rejected, Skipped
from geo.geocoders.area_point import AreaPointStep
from geo.geocoders.places import PlaceIndexStep
from geo.geocoders.retry import describe
from geo.geocoders.streets import StreetIndexStep
from geo.position import Position, Query
from geo.territory import Territory
from geo.vocabulary import PROVIDERS

# Commune outlines are simplified (a few hundred metres at worst on the coast), so an answer
# this close outside its commune is still kept.
OUTLINE_TOLERANCE_M = 150
LOG = logs.get("geocodage")


@dataclass
class Outcome:
    """Where a query ended up, and what went wrong on the way (for the build report)."""

    position: Position
    notes: list[str] = field(default_factory=list)
    from_cache: bool = False


class GeocodingChain:
    """Locate queries step by step; online answers are checked against the commune and cached."""

    def __init__(self, territory: Territory, *, cache: GeocodeCache | None = None,
                 online: tuple = (), offline: tuple = ()):
        self.territory = territory
        self.cache = cache
        self.online = tuple(online)
        self.offline = (*offline, AreaPointStep(territory))

    def locate(self, query: Query) -> Outcome:
        if query.address and self.cache is not None:
            cached = self.cache.get(query.key)
            if cached is not None:
                return Outcome(cached, from_cache=True)
        notes: list[str] = []
        steps = (*self.online, *self.offline) if query.address else self.offline[-1:]
        for step in steps:
            position = self._try(step, query, notes)
            if position is None:
                continue
            if step in self.online and self.cache is not None:
                self.cache.put(query.key, position)
            return Outcome(position, notes)
        raise AssertionError("the area point step always answers")  # pragma: no cover

    def _try(self, step, query: Query, notes: list[str]) -> Position | None:
        source = PROVIDERS.get(step.name, step.name)
        try:
            position = step.locate(query)
        except Rejected as reason:
            notes.append(f"{source} : réponse écartée, {reason}")
            return None
        except Skipped as reason:  # the guard said why once, in the log
            notes.append(f"{source} : non interrogé ({reason}), repli sur l'étape suivante")
            return None
        except GeopyError as error:
            notes.append(f"{source} : {describe(error)}, repli sur l'étape suivante")
            LOG.warning("%s : %s, repli sur l'étape suivante", source, describe(error))  # never the address
            return None
        if position is None:
            return None
        if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in (position.lat, position.lon)):
            notes.append(f"{source} : coordonnées illisibles ({position.lat!r}, {position.lon!r}), réponse écartée")
            return None
        area = self.outside(query, position.lat, position.lon)
        if area is not None:
            notes.append(f"{source} : réponse hors de {area.name} écartée ({position.label})")
            return None
        return position

    def outside(self, query: Query, lat: float, lon: float):
        """The query's commune, or in Marseille its arrondissement, that the point is not in (None: it is in
        both, within the outlines' tolerance)."""
        return next((area for area in dict.fromkeys((query.commune, query.area))
                     if not self.territory.contains(area, lat, lon, OUTLINE_TOLERANCE_M)), None)


def data_chain(folder: Path, territory: Territory, online: tuple = (), cache=None) -> GeocodingChain:
    """The chain over a data folder: its cache (or the catalogue database's, given), the given online steps,
    then its offline indexes."""
    return GeocodingChain(territory, cache=cache or GeocodeCache(Path(folder) / CACHE_FILE), online=online,
                          offline=(PlaceIndexStep(Path(folder) / "places.csv"),
                                   StreetIndexStep(Path(folder) / "marseille_streets.json")))
