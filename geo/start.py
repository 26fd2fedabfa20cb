"""Where a visitor starts from: an address typed in, located through the BAN when online and the
offline indexes otherwise, and always within the métropole."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geopy.exc import GeopyError

from geo.geocoders import Rejected
from geo.geocoders.area_point import AreaPointStep
from geo.geocoders.geoplateforme import BanStep
from geo.geocoders.streets import StreetIndexStep
from geo.position import Position, Query
from geo.territory import Area, Territory
from geo.text import word_ngrams

_POSTCODE = re.compile(r"\b(\d{5})\b")
MAX_LENGTH = 200


class StartNotFound(Exception):
    """The address could not be placed; the message says why, in French."""


@dataclass(frozen=True)
class StartPoint:
    lat: float
    lon: float
    label: str
    precision: str


def area_named_in(text: str, territory: Territory) -> Area | None:
    """The arrondissement or commune a free-text address names by postcode or by name."""
    for postcode in _POSTCODE.findall(text):
        areas = territory.by_postcode(postcode)
        if areas:
            return next((a for a in areas if a.is_arrondissement), areas[0])
    for ngram in word_ngrams(text, longest=5):
        area = territory.by_name(ngram)
        if area is not None:
            return area
    return None


def locate_address(text: str, territory: Territory, *, ban: BanStep | None,
                   streets: StreetIndexStep) -> StartPoint:
    """Place an address typed by a visitor, or raise ``StartNotFound`` with a clear message."""
    text = " ".join(text.split())[:MAX_LENGTH]
    if not text:
        raise StartNotFound("Saisissez une adresse, par exemple « 1 place Sadi-Carnot, Marseille ».")
    if ban is not None:
        try:
            found = ban.search(text)
        except (GeopyError, Rejected):
            found = None
        if found is not None:
            return _within_metropole(found, territory)
    area = area_named_in(text, territory)
    if area is None:
        raise StartNotFound(f"Adresse introuvable : « {text} ». Précisez la commune ou le code postal, "
                            "ou choisissez une commune dans la liste.")
    query = Query(text, "", territory.commune_of(area), area)
    position = streets.locate(query) or AreaPointStep(territory).locate(query)
    return StartPoint(position.lat, position.lon, position.label, position.precision)


def start_at(lat: float, lon: float, label: str, territory: Territory, precision: str = "address") -> StartPoint:
    """A starting point, provided it lies within the métropole."""
    if territory.locate(lat, lon) is None:
        raise StartNotFound(f"« {label} » est hors de la Métropole Aix-Marseille-Provence.")
    return StartPoint(lat, lon, label, precision)


def _within_metropole(found: Position, territory: Territory) -> StartPoint:
    return start_at(found.lat, found.lon, found.label, territory, found.precision)
