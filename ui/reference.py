"""Reference files, cached per data folder (tests and the benchmark switch folders in one process): the
communes and arrondissements, their outlines for the base map, the offline indexes of streets and places."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo import logs
from geo.files import data_dir, read_json
from geo.geocoders.places import PlaceIndexStep
from geo.geocoders.streets import StreetIndexStep
from geo.territory import Territory, load_territory
from geo.webmap import assets
from geo.webmap.basemap import outlines_js, place_labels

LOG = logs.get("data")


def territory() -> Territory:
    """The communes and arrondissements; without them no page can work, so it says so and stops."""
    try:
        return load_territory(data_dir())  # cached by geo.territory, per folder
    except (OSError, ValueError, KeyError, TypeError) as error:
        LOG.error("référentiel des communes illisible dans %s : %s", data_dir(), error)
        st.error("La carte est momentanément indisponible : le référentiel des communes ne peut pas être lu. "
                 "L'équipe en est avertie par le journal du serveur.", icon=":material/report:")
        st.stop()


# Reference files, cached per data folder (tests and the benchmark switch folders in one process).
@st.cache_resource(show_spinner=False)
def _json(path: str):
    return read_json(Path(path))



@st.cache_resource(show_spinner=False)
def _outlines_js(path: str) -> str:
    return outlines_js(_json(path), place_labels(territory()))



def commune_outlines() -> dict:
    return _json(str(data_dir() / "communes.geojson"))



def arrondissement_outlines() -> dict:
    return _json(str(data_dir() / "arrondissements.geojson"))



def outlines() -> str:
    """The 92 commune outlines as GeoJSON text, for the base map."""
    return _outlines_js(str(data_dir() / "communes.geojson"))


def outlines_url() -> str:
    """Where the browser fetches ``outlines()``: published once per text under the static folder, so a page run
    sends its address instead of the outlines (172 kB of the 535 kB a Carte load sent, issue 20)."""
    return _published_outlines(str(data_dir() / "communes.geojson"))


@st.cache_resource(show_spinner=False)
def _published_outlines(path: str) -> str:
    return assets.publish_data(assets.STATIC_DIR, "contours", _outlines_js(path))



@st.cache_resource(show_spinner=False)
def _offline_index(kind: str, path: str) -> StreetIndexStep | PlaceIndexStep:
    return {"streets": StreetIndexStep, "places": PlaceIndexStep}[kind](Path(path))



def street_index() -> StreetIndexStep:
    """Marseille's streets and quarters (OpenStreetMap), for visitors' start points offline."""
    return _offline_index("streets", str(data_dir() / "marseille_streets.json"))



def place_index() -> PlaceIndexStep:
    """Named places with a sourced point (Mucem, Baumettes…), for visitors' start points."""
    return _offline_index("places", str(data_dir() / "places.csv"))
