"""The French national address service (BAN) on IGN's Géoplateforme, through geopy."""

from __future__ import annotations

import math
from functools import partial
from urllib.parse import urlencode

from geopy.geocoders import BANFrance
from geopy.geocoders.base import DEFAULT_SENTINEL

from geo.geocoders import Rejected
from geo.geocoders.online import geopy_options, scheme_and_domain
from geo.geocoders.retry import MAX_WAIT_SECONDS, with_retries
from geo.position import Position, Query, today
from geo.settings import BAN_URL

DEFAULT_URL = BAN_URL
# BAN result types and the precision they give; a whole municipality is no better than
# the offline commune point, so it is not kept.
_PRECISION_OF_TYPE = {"housenumber": "address", "street": "street", "locality": "place"}


class GeoplateformeBAN(BANFrance):
    """geopy's BANFrance on the Géoplateforme host, with BAN's postcode and citycode filters."""

    def __init__(self, *, domain: str = "data.geopf.fr/geocodage", **options):
        super().__init__(domain=domain, **options)

    def geocode(self, query, *, limit=None, postcode=None, citycode=None, exactly_one=True,
                timeout=DEFAULT_SENTINEL):
        """Like ``BANFrance.geocode``, restricted to a postcode or an INSEE city code."""
        params = {"q": query, "limit": limit, "postcode": postcode, "citycode": citycode}
        url = "?".join((self.geocode_api, urlencode({k: v for k, v in params.items() if v})))
        callback = partial(self._parse_json, exactly_one=exactly_one)
        return self._call_geocoder(url, callback, timeout=timeout)


class BanStep:
    """Geocode an address with the BAN, accepted above a score threshold."""

    name = "ban"

    def __init__(self, base_url: str = DEFAULT_URL, *, min_score: float = 0.6,
                 attempts: int = 3, base_delay: float = 1.0, max_wait: float = MAX_WAIT_SECONDS, **options):
        scheme, domain = scheme_and_domain(base_url)
        self.geocoder = GeoplateformeBAN(domain=domain, scheme=scheme, **geopy_options(options))
        self.min_score = min_score
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_wait = max_wait

    def locate(self, query: Query) -> Position | None:
        filters = {"postcode": query.postcode} if query.postcode else {"citycode": query.area.insee}
        return self.search(query.text, **filters)

    def search(self, text: str, **filters: str) -> Position | None:
        """Geocode free text, optionally filtered by ``postcode`` or ``citycode``."""
        try:
            location = with_retries(
                lambda: self.geocoder.geocode(text, limit=1, **filters),
                attempts=self.attempts, base_delay=self.base_delay, max_wait=self.max_wait,
            )
        except (ValueError, TypeError, KeyError, IndexError) as error:  # an answer geopy cannot read
            raise Rejected(f"réponse illisible ({error.__class__.__name__})") from error
        if location is None:
            return None
        properties = location.raw.get("properties", {})
        try:
            score = float(properties.get("score") or 0)
        except (TypeError, ValueError):
            score = math.nan
        if not math.isfinite(score):
            raise Rejected(f"score illisible ({properties.get('score')!r})")
        if score < self.min_score:
            raise Rejected(f"score {score:.2f} sous le seuil {self.min_score:.2f} ({location.address})")
        precision = _PRECISION_OF_TYPE.get(properties.get("type"))
        if precision is None:
            raise Rejected(f"réponse trop vague ({properties.get('type')} : {location.address})")
        return Position(location.latitude, location.longitude, precision, self.name,
                        location.address, round(score, 4), today())
