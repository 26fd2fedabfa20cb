"""Where a visitor starts from: an address typed in, located through the BAN when online and the
offline indexes otherwise, and always within the métropole."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from cachetools import TTLCache
from geopy.exc import GeopyError

from geo import logs
from geo.chain import OUTLINE_TOLERANCE_M
from geo.geocoders import Rejected
from geo.geocoders.geoplateforme import BanStep
from geo.geocoders.guard import ServiceGuard
from geo.geocoders.places import PlaceIndexStep
from geo.geocoders.retry import describe
from geo.geocoders.streets import StreetIndexStep
from geo.position import Position, Query
from geo.territory import MARSEILLE, Area, Territory
from geo.text import word_ngrams

_POSTCODE = re.compile(r"\b(\d{5})\b")
LOG = logs.get("geocodage")
MAX_LENGTH = 200


class StartNotFound(Exception):
    """The address could not be placed; the message says why, in French."""


@dataclass(frozen=True)
class StartPoint:
    lat: float
    lon: float
    label: str
    precision: str
    note: str = ""  # why the answer is less precise than asked (service unavailable, only the commune…)


OFFLINE_NOTE = "Service national d'adresses indisponible : position estimée hors ligne."


class AddressSearch:
    """The national address service for visitors: answers cached for every session (bounded), one short try
    and never a wait. The service's ``guard`` (shared with the staff's imports) keeps this server under
    ``per_second`` requests a second and leaves the service alone after a refusal (HTTP 429) or an incident;
    meanwhile, and whenever it fails, visitors get the offline answer with a word saying so."""

    def __init__(self, ban: BanStep, *, guard: ServiceGuard | None = None, per_second: float = 5.0,
                 cache_size: int = 2000, cache_seconds: float = 24 * 3600, max_pause: float = 300.0):
        self.ban = ban
        self.guard = guard or ServiceGuard("BAN", per_second=per_second, max_pause=max_pause)
        self.answers: TTLCache = TTLCache(maxsize=cache_size, ttl=cache_seconds)
        self._lock = threading.Lock()

    def search(self, text: str) -> tuple[Position | None, bool]:
        """(the position found or None, whether the service really answered)."""
        key = " ".join(text.lower().split())
        with self._lock:
            if key in self.answers:
                return self.answers[key], True
        if self.guard.recently_failed(key) or self.guard.turn(max_wait=0):
            return None, False
        try:
            found = self.ban.search(text)
        except Rejected:
            found = None
        except GeopyError as error:  # the visitor's address is not logged
            self.guard.failed(key, error)
            LOG.warning("BAN : %s pour une recherche de visiteur, réponse hors ligne", describe(error))
            return None, False
        self.guard.answered()
        with self._lock:
            self.answers[key] = found
        return found, True


# What everyone calls a few communes.
SHORT_NAMES = {"aix": "Aix-en-Provence", "salon": "Salon-de-Provence", "martigue": "Martigues",
               "pennes": "Les Pennes-Mirabeau", "plan de cuques": "Plan-de-Cuques"}


def area_named_in(text: str, territory: Territory) -> Area | None:
    """The arrondissement or commune a free-text address names. The commune named wins over a postcode that
    several communes share ("la ciotat 13600" is La Ciotat, not Ceyreste); a postcode alone gives its most
    populous commune, or in Marseille its arrondissement."""
    ngrams = word_ngrams(text, longest=5)
    named = next((area for area in map(territory.by_name, ngrams) if area is not None), None)
    if named is None:  # a usual short name only when no commune is named in full ("rue d'Aix, Marseille")
        named = next((territory.by_name(SHORT_NAMES[n]) for n in ngrams if n in SHORT_NAMES), None)
    by_postcode = [area for postcode in _POSTCODE.findall(text) for area in territory.by_postcode(postcode)]
    if named is not None:
        same = [a for a in by_postcode if a.commune_insee == named.commune_insee and a.is_arrondissement]
        return same[0] if same and not named.is_arrondissement else named
    if by_postcode:
        arrondissements = [a for a in by_postcode if a.is_arrondissement]
        return arrondissements[0] if arrondissements else max(by_postcode, key=lambda a: a.population)
    return None


def locate_address(text: str, territory: Territory, *, ban: AddressSearch | None,
                   streets: StreetIndexStep, places: PlaceIndexStep | None = None) -> StartPoint:
    """Place an address typed by a visitor, or raise ``StartNotFound`` with a clear message."""
    text = " ".join(text.split())[:MAX_LENGTH]
    if not text:
        raise StartNotFound("Saisissez une adresse, par exemple « 1 place Sadi-Carnot, Marseille ».")
    answered = ban is None  # offline by choice: nothing to apologise for
    if ban is not None:
        found, answered = ban.search(text)
        if found is not None:
            return _within_metropole(found, territory)
    offline = "" if answered else OFFLINE_NOTE
    area = area_named_in(text, territory)
    marseille = territory.communes[MARSEILLE]
    if area is None or area.commune_insee == MARSEILLE:  # a named place, street or quarter of Marseille
        query = Query(text, "", marseille, area or marseille)
        found = (places.locate(query) if places else None) or streets.locate(query) or streets.quarter(text)
        if found is not None and (area is None or territory.contains(area, found.lat, found.lon, OUTLINE_TOLERANCE_M)):
            return StartPoint(found.lat, found.lon, found.label, found.precision, offline)
    if area is None:
        raise StartNotFound(f"Adresse introuvable : « {text} ». Précisez la commune ou le code postal, "
                            "ou choisissez une commune dans la liste.")
    lat, lon = territory.reference_point(area)  # only the commune (or arrondissement) was understood
    note = " ".join(filter(None, [offline, f"Seule la commune a été reconnue : départ au centre de {area.name}."]))
    return StartPoint(lat, lon, area.name, "commune", note)


def start_at(lat: float, lon: float, label: str, territory: Territory, precision: str = "address") -> StartPoint:
    """A starting point, provided it lies within the métropole."""
    if territory.locate(lat, lon) is None:
        raise StartNotFound(f"« {label} » est hors de la Métropole Aix-Marseille-Provence.")
    return StartPoint(lat, lon, label, precision)


def _within_metropole(found: Position, territory: Territory) -> StartPoint:
    return start_at(found.lat, found.lon, found.label, territory, found.precision)
