"""The reference: the usual Streamlit + folium map, one ``folium.Marker`` with its HTML popup per
initiative in a ``MarkerCluster``."""

from __future__ import annotations

import html
import resource
import statistics
import time
from pathlib import Path

import folium
import pandas as pd
from folium.plugins import MarkerCluster

from geo.layer import LAYER_FILE, read_layer
from geo.selection import prepare
from geo.vocabulary import CATEGORIES


def naive_map(table: pd.DataFrame) -> folium.Map:
    the_map = folium.Map(location=[43.42, 5.33], zoom_start=9)
    cluster = MarkerCluster().add_to(the_map)
    for row in table.itertuples():
        category = CATEGORIES[row.category]
        popup = (f"<b>{html.escape(row.name)}</b><br>{html.escape(category.label)}<br>"
                 f"{html.escape(row.full_address)}<p>{html.escape(row.description)}</p>"
                 f"<small>{html.escape(row.source)}</small>")
        folium.Marker([row.lat, row.lon], popup=folium.Popup(popup, max_width=300), tooltip=row.name,
                      icon=folium.Icon(color=category.marker_color, icon=category.icon, prefix="fa")).add_to(cluster)
    return the_map


def time_naive(folder: Path, runs: int) -> tuple[float, int, float]:
    """Median seconds to build and render the naive map of ``folder``'s layer, its HTML size, and the
    peak memory (MB) of the process. Run in a process of its own, so as not to weigh on ours."""
    table = prepare(read_layer(Path(folder) / LAYER_FILE))
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(naive_map(table).get_root().render())
        times.append(time.perf_counter() - start)
    return statistics.median(times), size, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def app_memory(folder: Path) -> float:
    """Peak memory (MB) of a process doing what the app does with ``folder``'s layer: load and prepare
    it, index its text, filter, and build the full map. Run in a process of its own."""
    from geo.files import read_json
    from geo.search import TextIndex
    from geo.selection import Filters, select
    from geo.webmap.basemap import base_map, outlines_js
    from geo.webmap.markers import InitiativeMarkers

    table = prepare(read_layer(Path(folder) / LAYER_FILE))
    index = TextIndex(table["search_text"].tolist())
    select(table, Filters(text="jardin", categories=("laureat",)), index)
    the_map = base_map(outlines_js(read_json(Path(folder) / "communes.geojson")))
    InitiativeMarkers(table, details_url="/details").add_to(the_map)
    the_map.get_root().render()
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
