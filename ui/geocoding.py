"""The national address service (BAN) as this server uses it: one guard shared by the visitors' searches and
the staff's imports (its rate, its pauses, the queries that just failed), off when ``CARTE_GEOCODING=offline``."""

from __future__ import annotations

import streamlit as st

from geo.geocoders.geoplateforme import BanStep
from geo.geocoders.guard import GuardedStep, ServiceGuard
from geo.start import AddressSearch
from ui import settings


def _ban_url() -> str | None:
    """The national address service's address; None when ``CARTE_GEOCODING=offline`` keeps the app off
    the network."""
    current = settings.current()
    return current.ban_url if current.online else None



def address_geocoder() -> GuardedStep | None:
    """The BAN for the staff's imports and edits: two tries of 5 s, never more than 2 s of wait on a refusal,
    and the same pause as the visitors' searches (one guard per server)."""
    url = _ban_url()
    return GuardedStep(_ban(url), ban_guard(url)) if url else None



@st.cache_resource(show_spinner=False)
def _ban(url: str) -> BanStep:
    return BanStep(url, attempts=2, base_delay=0.5, max_wait=2, timeout=5, min_score=0.4)



@st.cache_resource(show_spinner=False)
def ban_guard(url: str) -> ServiceGuard:
    """The BAN's etiquette for this whole server: its rate, its pauses, the queries that just failed."""
    return ServiceGuard("BAN")


VISITOR_TIMEOUT_SECONDS = 3



def address_search() -> AddressSearch | None:
    """The BAN for visitors' searches: one try of at most 3 s, answers shared by every session."""
    url = _ban_url()
    return _address_search(url) if url else None



@st.cache_resource(show_spinner=False)
def _address_search(url: str) -> AddressSearch:
    return AddressSearch(BanStep(url, attempts=1, timeout=VISITOR_TIMEOUT_SECONDS, min_score=0.4),
                         guard=ban_guard(url))
