"""The guided tour: chosen initiatives one by one, the map flying to each with its story."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.escape import plain
from ui.maps import initiatives_map

DEFAULT_CATEGORIES = ("restaurant-solidaire", "laureat", "lieu-evenement")


def _step(delta: int, total: int) -> None:
    st.session_state["tour_step"] = (st.session_state.get("tour_step", 0) + delta) % total


def guided_tour(selection: pd.DataFrame, presenting: bool) -> None:
    names = dict(zip(selection["id"], selection["name"], strict=True))
    default = [i for i, c in zip(selection["id"], selection["category"], strict=True) if c in DEFAULT_CATEGORIES]
    if presenting:  # the audience sees the stops, not the picker
        chosen = [i for i in st.session_state.get("tour_ids", default or list(names)[:6]) if i in names]
    else:
        chosen = st.multiselect("Étapes de la visite", list(names), default=default or list(names)[:6],
                                format_func=names.get, key="tour_ids", select_all=False)
    if not chosen:
        st.info("Choisissez au moins une initiative pour la visite.")
        return
    stops = selection.set_index("id").loc[chosen].reset_index()
    step = st.session_state.get("tour_step", 0) % len(stops)
    current = stops.iloc[step]
    back, where, forward = st.columns([1, 3, 1])
    back.button("◀ Précédente", on_click=_step, args=(-1, len(stops)), width="stretch")
    where.markdown(f"<div style='text-align:center'>Étape <b>{step + 1}</b> sur {len(stops)}</div>",
                   unsafe_allow_html=True)
    forward.button("Suivante ▶", on_click=_step, args=(1, len(stops)), width="stretch", type="primary")
    story, place = st.columns([2, 3]) if not presenting else st.columns([1, 2])
    with story:
        st.header(plain(current["name"]))
        st.caption(f"{current['category_label']} · {plain(current['commune'])}")
        if current["award"]:
            st.markdown(f":material/emoji_events: **{plain(current['award'])}**")
        st.markdown(plain(current["description"]))
        if current["full_address"]:
            st.markdown(f":material/location_on: {plain(current['full_address'])}")
        if current["approximate"]:
            st.caption(f"Position approximative ({current['precision_label']})")
        st.caption(f"Source : {plain(current['source'])}")
    with place:
        # Never closer than the stop's precision allows: a commune-level stop is not shown at street zoom.
        zoom = {"commune": 12, "street": 14}.get(current["precision"], 15)
        initiatives_map(stops, key="tour_map", height=620 if presenting else 460, cluster=False,
                        fly_to=(current["lat"], current["lon"], zoom))
