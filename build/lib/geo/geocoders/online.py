"""What the online steps share: turning a service URL into geopy's scheme and domain."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlsplit

from geopy.adapters import RequestsAdapter

from geo import settings

# One HTTP try per call: retries are ours (geo.geocoders.retry), so that they are counted,
# reported and honour Retry-After, instead of urllib3 retrying silently underneath.
SINGLE_TRY_ADAPTER = partial(RequestsAdapter, max_retries=0)


def geopy_options(options: dict) -> dict:
    """Our defaults for a geopy geocoder: a real user agent (Nominatim's usage policy asks for one; set
    CARTE_USER_AGENT to add a contact) and single-try HTTP."""
    return {"user_agent": settings.current().user_agent, "adapter_factory": SINGLE_TRY_ADAPTER, **options}


def scheme_and_domain(base_url: str) -> tuple[str, str]:
    """("https", "data.geopf.fr/geocodage") from "https://data.geopf.fr/geocodage/"."""
    parts = urlsplit(base_url)
    return parts.scheme or "https", (parts.netloc + parts.path).rstrip("/")
