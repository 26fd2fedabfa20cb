"""Autour de moi: the nearest initiatives (solidarity restaurants by default) from a starting point."""

import streamlit as st
from streamlit_js_eval import get_geolocation

from geo.nearby import nearest
from geo.selection import Filters
from geo.start import StartNotFound, StartPoint, locate_address
from geo.vocabulary import CATEGORIES
from ui import data
from ui.filters import place_options
from ui.layout import plain
from ui.maps import initiatives_map
from ui.nearby import results_list

RADII = [1, 2, 5, 10, 20, 50, None]
MODES = {"address": "Adresse", "commune": "Commune", "map": "Sur la carte", "browser": "Ma position"}

table, territory = data.initiatives(), data.territory()
st.title("Autour de moi")
st.caption("Les initiatives les plus proches d'un point de départ, des plus proches aux plus lointaines. "
           "Distances à vol d'oiseau, temps de marche estimé à 4,5 km/h.")


def set_start(point: StartPoint | None, problem: str = "") -> None:
    st.session_state["start"], st.session_state["start_problem"] = point, problem


mode = st.segmented_control("Point de départ", list(MODES), format_func=MODES.get, default="address",
                            key="start_mode", required=True)
if mode == "address":
    with st.form("address_form", border=False):
        text = st.text_input("Adresse", placeholder="1 place Sadi-Carnot, 13002 Marseille", max_chars=200)
        if st.form_submit_button("Chercher", icon=":material/search:"):
            try:
                set_start(locate_address(text, territory, ban=data.address_geocoder(), streets=data.street_index()))
            except StartNotFound as not_found:
                set_start(None, str(not_found))
elif mode == "commune":
    places = place_options(territory)
    code = st.selectbox("Commune ou arrondissement", list(places), format_func=places.get, index=None,
                        placeholder="Choisissez une commune")
    if code:
        area = territory.by_insee(code)
        set_start(StartPoint(*territory.reference_point(area), f"{area.name} (point central)", "commune"))
elif mode == "browser":
    location = get_geolocation(component_key="browser_location")
    if location and "coords" in location:
        lat, lon = location["coords"]["latitude"], location["coords"]["longitude"]
        if territory.locate(lat, lon) is None:
            set_start(None, "Votre position est hors de la Métropole Aix-Marseille-Provence : saisissez une adresse.")
        else:
            set_start(StartPoint(lat, lon, "Ma position", "address"))
    elif location:
        st.warning("La localisation n'est pas disponible (autorisation refusée ?). Saisissez une adresse.")
    else:
        st.caption("Autorisez la localisation dans votre navigateur, ou choisissez « Adresse ».")
else:
    st.caption("Cliquez sur la carte pour choisir le point de départ.")

left, right = st.columns([3, 2])
categories = left.multiselect("Catégories", list(CATEGORIES), default=["restaurant-solidaire"], key="near_categories",
                              format_func=lambda c: CATEGORIES[c].label, placeholder="Toutes les catégories")
radius = right.select_slider("Rayon", RADII, value=10, key="near_radius",
                             format_func=lambda r: "toute la Métropole" if r is None else f"{r} km")

start: StartPoint | None = st.session_state.get("start")
if st.session_state.get("start_problem"):
    st.warning(plain(st.session_state["start_problem"]), icon=":material/wrong_location:")
candidates = data.selection(Filters(categories=tuple(categories)))
if start is None:
    results, view = candidates, {}
else:
    results = nearest(candidates, start.lat, start.lon, radius_km=radius)
    view = {"center": (start.lat, start.lon), "zoom": 13 if radius and radius <= 5 else 11}
    st.success(f"Départ : {plain(start.label)}", icon=":material/my_location:")

clicked = initiatives_map(results, key="near_map", height=460, cluster=start is None,
                          start=(start.lat, start.lon) if start else None,
                          returned_objects=("last_clicked",) if mode == "map" else (), **view)
point = (clicked or {}).get("last_clicked")
if mode == "map" and point and st.session_state.get("last_map_click") != point:
    st.session_state["last_map_click"] = point
    if territory.locate(point["lat"], point["lng"]) is None:
        set_start(None, "Ce point est hors de la Métropole Aix-Marseille-Provence.")
    else:
        set_start(StartPoint(point["lat"], point["lng"], "Point choisi sur la carte", "address"))
    st.rerun()

if start is not None:
    results_list(results, start, radius)
