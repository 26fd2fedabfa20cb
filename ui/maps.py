"""Maps in pages through streamlit-folium, without its known traps: a stable base map and key, the
changing markers passed as ``feature_group_to_add`` (no remount, no flicker), and only the
returned objects a page uses (no rerun loop)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import hours, logs
from geo.webmap import assets
from geo.webmap.basemap import base_map
from geo.webmap.markers import INLINE_DETAILS_LIMIT, InitiativeMarkers, markers_payload, payload_key
from ui import details, reference

LOG = logs.get("carte")


@st.cache_resource(show_spinner=False)
def publish_assets(static_dir: Path = assets.STATIC_DIR) -> None:
    """Copy Leaflet and our map assets under Streamlit's static folder, once per server."""
    assets.publish(static_dir)


class _NotKept(Exception):
    """A payload built while the hours engine failed: shown, not kept (Streamlit keeps no raised call)."""

    def __init__(self, payload: str):
        super().__init__("payload built during an hours failure")
        self.payload = payload


@st.cache_resource(max_entries=64, show_spinner=False)
def _kept_payload(key: str, start: tuple[float, float] | None, today: dt.date, _table: pd.DataFrame) -> str:
    failed = hours.failures()
    payload = markers_payload(_table, start=start, today=today)
    if hours.failures() != failed:
        raise _NotKept(payload)
    return payload


def kept_payload(table: pd.DataFrame, start: tuple[float, float] | None) -> str:
    """The markers' payload of an inline selection (up to ``INLINE_DETAILS_LIMIT``), kept per server by the digest
    of what it reads (``payload_key``) and the day: most visitors open the same first view and run the same
    searches, and building it was two fifths of a Carte run (py-spy, issue 20). One built while the hours engine
    failed (« à confirmer » everywhere) is shown but built again at the next run."""
    try:
        return _kept_payload(payload_key(table), start, hours.now().date(), table)
    except _NotKept as not_kept:
        return not_kept.payload


# The published views a server's folder keeps (``assets.publish_data``): the first views and common searches
# of a day, each a few hundred kilobytes at most.
KEPT_VIEWS = 256


def published_view(payload: str) -> str | None:
    """Where ``payload`` is published as a file named by its content: the page carries its address, not the
    208 kB of the shipped first view, and a browser fetches it once (issue 20). Never a view around a visitor's
    position (Autour de moi): that stays in their page, not in a file on the server. None when the file cannot
    be written (a full or read-only disk): the page then carries the payload itself, and the log says why."""
    try:
        return assets.publish_data(assets.STATIC_DIR, "vues", payload, keep=KEPT_VIEWS)
    except OSError as error:
        LOG.error("vue de la carte non publiée (%s) : les marqueurs passent par la page", error.__class__.__name__)
        return None


def initiatives_map(table: pd.DataFrame, *, key: str, height: int = 560, start: tuple[float, float] | None = None,
                    center=None, zoom: int | None = None, cluster: bool = True,
                    fly_to: tuple[float, float, int] | None = None, returned_objects: tuple[str, ...] = (),
                    open_id: str | None = None, remember_view: bool = False) -> dict:
    """Draw the base map once and the initiatives as a feature group that changes without remounting."""
    publish_assets()
    markers = folium.FeatureGroup(name="Initiatives")
    fetched, rows = details.published(table) if len(table) > INLINE_DETAILS_LIMIT else (None, None)
    payload = kept_payload(table, start) if len(table) <= INLINE_DETAILS_LIMIT else None
    InitiativeMarkers(table, cluster=cluster, start=start, details_url=fetched, fly_to=fly_to, open_id=open_id,
                      remember_view=remember_view, layer_rows=rows, payload=payload,
                      payload_url=published_view(payload) if payload and start is None else None).add_to(markers)
    the_map = base_map(reference.outlines(), outlines_url=reference.outlines_url())
    # render=False: st_folium renders the whole figure, then the map again, and reads only the second; the first
    # added nothing it sends (same component arguments) and cost a third of the map's time at every run (15 ms).
    return st_folium(
        the_map, key=key, height=height, use_container_width=True, feature_group_to_add=markers,
        returned_objects=list(returned_objects), center=center, zoom=zoom, render=False,
    )
