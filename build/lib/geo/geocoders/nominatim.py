"""OpenStreetMap's Nominatim through geopy, for named places ("Mucem"), at most one request
a second, bounded to the métropole."""

from __future__ import annotations

from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from geo.geocoders import Rejected
from geo.geocoders.online import geopy_options, scheme_and_domain
from geo.geocoders.retry import with_retries
from geo.position import Position, Query, today

DEFAULT_URL = "https://nominatim.openstreetmap.org"
_COMMUNE_TYPES = {"city", "town", "village", "municipality", "administrative", "county", "state"}


def precision_of(raw: dict) -> str | None:
    """How precise a Nominatim result is, or None for a whole commune or wider."""
    kind, category = raw.get("addresstype") or raw.get("type"), raw.get("class")
    if kind in _COMMUNE_TYPES or category == "boundary":
        return None
    if category == "highway":
        return "street"
    if category in {"building", "place"} and kind in {"house", "building"}:
        return "address"
    return "place"


class NominatimStep:
    """Geocode a named place with Nominatim, within the métropole's bounding box."""

    name = "nominatim"

    def __init__(self, bounds: tuple[float, float, float, float], base_url: str = DEFAULT_URL, *,
                 min_delay_seconds: float = 1.0, attempts: int = 3, base_delay: float = 1.0,
                 **options):
        scheme, domain = scheme_and_domain(base_url)
        geocoder = Nominatim(domain=domain, scheme=scheme, **geopy_options(options))
        self._geocode = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay_seconds,
                                    max_retries=0, swallow_exceptions=False)
        south, west, north, east = bounds
        self.viewbox = [(south, west), (north, east)]
        self.attempts = attempts
        self.base_delay = base_delay

    def locate(self, query: Query) -> Position | None:
        try:
            location = with_retries(
                lambda: self._geocode(query.text, viewbox=self.viewbox, bounded=True,
                                      country_codes="fr", addressdetails=True),
                attempts=self.attempts, base_delay=self.base_delay,
            )
        except (ValueError, TypeError, KeyError, IndexError) as error:  # an answer geopy cannot read
            raise Rejected(f"réponse illisible ({error.__class__.__name__})") from error
        if location is None:
            return None
        precision = precision_of(location.raw)
        if precision is None:
            raise Rejected(f"réponse trop vague ({location.address})")
        importance = location.raw.get("importance")
        return Position(location.latitude, location.longitude, precision, self.name,
                        location.address, round(float(importance), 4) if importance else None, today())
