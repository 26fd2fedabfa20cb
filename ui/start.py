"""Choosing where "Autour de moi" starts from: an address, a commune, the browser's location or a click
on the map. The chosen point (or why there is none) lives in the session."""

from __future__ import annotations

import streamlit as st
from streamlit_js_eval import get_geolocation

from geo.position import point_from
from geo.start import StartNotFound, StartPoint, locate_address, start_at
from geo.territory import Territory
from ui import geocoding, reference
from ui.filters import place_options

MODES = {"address": "Adresse", "commune": "Commune", "map": "Sur la carte", "browser": "Ma position"}


def current() -> tuple[StartPoint | None, str]:
    """The starting point and the problem to show, if any."""
    return st.session_state.get("start"), st.session_state.get("start_problem", "")


def _set(point: StartPoint | None, problem: str = "") -> None:
    st.session_state["start"], st.session_state["start_problem"] = point, problem


def _try(make) -> None:
    try:
        _set(make())
    except StartNotFound as not_found:
        _set(None, str(not_found))


def picker(territory: Territory) -> str:
    """The start-point controls for the chosen mode; returns the mode."""
    mode = st.segmented_control("Point de départ", list(MODES), format_func=MODES.get, default="address",
                                key="start_mode", required=True)
    if mode == "address":
        with st.form("address_form", border=False):
            text = st.text_input("Adresse", placeholder="1 place Sadi-Carnot, 13002 Marseille", max_chars=200)
            if st.form_submit_button("Chercher", icon=":material/search:"):
                with st.spinner("Recherche de l'adresse…"):
                    _try(lambda: locate_address(text, territory, ban=geocoding.address_search(),
                                                streets=reference.street_index(), places=reference.place_index()))
    elif mode == "commune":
        places = place_options(territory)
        code = st.selectbox("Commune ou arrondissement", list(places), format_func=places.get, index=None,
                            placeholder="Choisissez une commune")
        if code:
            area = territory.by_insee(code)
            _set(StartPoint(*territory.reference_point(area), f"{area.name} (point central)", "commune"))
    elif mode == "browser":
        location = get_geolocation(component_key="browser_location")
        coords = point_from(location.get("coords"), "latitude", "longitude") if isinstance(location, dict) else None
        if coords:
            _try(lambda: start_at(*coords, "Ma position", territory))
        elif location:
            st.warning("La localisation n'est pas disponible (autorisation refusée ?). Saisissez une adresse.")
        else:
            st.caption("Autorisez la localisation dans votre navigateur, ou choisissez « Adresse ».")
    else:
        st.caption("Cliquez sur la carte pour choisir le point de départ.")
    return mode


def follow_map_click(clicked: dict | None, territory: Territory, *, active: bool) -> None:
    """Take a new click on the map as the starting point (once per click) when ``active``; clicks made
    in other modes are only noted, so that switching to "Sur la carte" does not replay them."""
    point = point_from(clicked.get("last_clicked")) if isinstance(clicked, dict) else None
    if point and st.session_state.get("last_map_click") != point:
        st.session_state["last_map_click"] = point
        if active:
            _try(lambda: start_at(*point, "Point choisi sur la carte", territory))
            st.rerun()
