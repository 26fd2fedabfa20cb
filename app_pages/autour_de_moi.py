"""Autour de moi: the nearest initiatives (solidarity restaurants by default) from a starting point."""

from dataclasses import replace

import streamlit as st

from geo.hours import now
from geo.nearby import nearest
from geo.selection import Filters, not_known_open
from geo.vocabulary import CATEGORIES, NEEDS, NOT_PLACES, STATUSES
from ui import data, reference, start
from ui.escape import plain
from ui.layout import phone_first
from ui.maps import initiatives_map
from ui.nearby import PAGE, open_now_lists, results_list, shown_count

RADII = [1, 2, 5, 10, 20, 50, None]

territory = reference.territory()
phone_first()
st.title("Autour de moi")
st.html('<p class="carte-sous-titre">Les initiatives les plus proches d\'un point de départ, des plus proches aux '
        "plus lointaines. Distances à vol d'oiseau, temps de marche estimé à 4,5 km/h.</p>")
mode = start.picker(territory)

left, right = st.columns([3, 2])
# Only places one can walk into: a prize, a programme or a challenge is not "near" anyone.
PLACES = [c for c in CATEGORIES if c not in NOT_PLACES]
categories = left.multiselect("Catégories", PLACES, default=["restaurant-solidaire"], key="near_categories",
                              select_all=False, format_func=lambda c: CATEGORIES[c].label,
                              placeholder="Tous les lieux")
radius = right.select_slider("Rayon", RADII, value=10, key="near_radius",
                             format_func=lambda r: "toute la Métropole" if r is None else f"{r} km")
only_open = st.toggle("Ouvert maintenant", key="near_open",
                      help="Selon les horaires publiés, heure de Paris. Les lieux dont les horaires ne sont pas "
                           "connus sont listés à part, jamais comptés comme fermés.")
# What fewer people need folds away on a phone, so that the first screen reaches the answer sooner.
with st.expander("Besoins : prix solidaire, fauteuil, sans réservation ; initiatives terminées"):
    needs = st.pills("Besoins", list(NEEDS), format_func=lambda need: NEEDS[need][0], selection_mode="multi",
                     key="near_needs", help="Seulement les lieux dont une page le dit : une information absente "
                                            "n'est prise ni pour un oui ni pour un non.")
    with_ended = st.toggle("Inclure les initiatives terminées", key="near_ended")

chosen, problem = start.current()
if problem:
    st.warning(plain(problem), icon=":material/wrong_location:")
moment = now()
chosen_filters = Filters(categories=tuple(categories), walkable_only=True, needs=tuple(needs or ()),
                         statuses=() if with_ended else tuple(status for status in STATUSES if status != "ended"))
candidates = data.selection(replace(chosen_filters, open_at=moment) if only_open else chosen_filters)
# « Ouvert maintenant » never hides what it cannot know: those places come apart, after the open ones.
unsure = None
if only_open:
    every = data.selection(chosen_filters)
    unsure = every[not_known_open(every, moment)]
shown = PAGE
if chosen is None:
    results, view = candidates, {}
else:
    results = nearest(candidates, chosen.lat, chosen.lon, radius_km=radius)
    # The nearest few first, « Voir plus » for the next: a phone lists and the map draws what is read.
    shown = shown_count((chosen.lat, chosen.lon, tuple(categories), radius, only_open, tuple(needs or ()),
                         with_ended))
    view = {"center": (chosen.lat, chosen.lon), "zoom": 13 if radius and radius <= 5 else 11}
    if chosen.note:  # less precise than asked: say so, not as a success
        st.warning(f"Départ : {plain(chosen.label)}. {plain(chosen.note)}", icon=":material/wrong_location:")
    else:
        st.success(f"Départ : {plain(chosen.label)}", icon=":material/my_location:")

# The results right under the start point (on a phone, the map would push them a screen down), the map after.
# Both places always exist, so that the map keeps its place in the page and is never remounted.
listing, place = st.container(), st.container()
with place:
    # The map always returns clicks: changing what it returns would remount it, and a click made during
    # the remount was lost.
    clicked = initiatives_map(results if chosen is None else results.head(shown), key="near_map", height=460,
                              cluster=chosen is None,
                              start=(chosen.lat, chosen.lon) if chosen else None,
                              returned_objects=("last_clicked",), **view)
start.follow_map_click(clicked, territory, active=mode == "map")

if chosen is not None:
    # Nothing within the radius: the nearest few anyway, whatever the distance
    beyond = nearest(candidates, chosen.lat, chosen.lon, limit=3) if results.empty and radius else None
    with listing:
        if needs and candidates.empty:
            said = " et ".join(f"« {NEEDS[need][0].lower()} »" for need in needs)
            st.info(f"Aucune initiative de ces catégories pour laquelle une page dit {said}. Une information "
                    "absente n'est pas un non : retirez ce besoin pour voir tous les lieux, et vérifiez auprès "
                    "d'eux.", icon=":material/search_off:")
        elif unsure is None:
            results_list(results, chosen, radius, beyond, shown)
        else:
            doubtful = nearest(unsure, chosen.lat, chosen.lon, radius_km=radius)
            open_now_lists(results, doubtful, chosen, radius, shown)
