"""What the online steps share: turning a service URL into geopy's scheme and domain."""

from __future__ import annotations

import os
from functools import partial
from urllib.parse import urlsplit

from geopy.adapters import RequestsAdapter

# Nominatim's usage policy asks for an identifying user agent; set CARTE_USER_AGENT to add a contact.
USER_AGENT = os.environ.get("CARTE_USER_AGENT", "carte-des-possibles/0.1 (carte ESS Aix-Marseille-Provence)")


# One HTTP try per call: retries are ours (geo.geocoders.retry), so that they are counted,
# reported and honour Retry-After, instead of urllib3 retrying silently underneath.
SINGLE_TRY_ADAPTER = partial(RequestsAdapter, max_retries=0)


def geopy_options(options: dict) -> dict:
    """Our defaults for a geopy geocoder: a real user agent and single-try HTTP."""
    return {"user_agent": USER_AGENT, "adapter_factory": SINGLE_TRY_ADAPTER, **options}


def scheme_and_domain(base_url: str) -> tuple[str, str]:
    """("https", "data.geopf.fr/geocodage") from "https://data.geopf.fr/geocodage/"."""
    parts = urlsplit(base_url)
    return parts.scheme or "https", (parts.netloc + parts.path).rstrip("/")
