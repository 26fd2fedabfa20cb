"""The reference: the usual Streamlit + folium map, one ``folium.Marker`` with its HTML popup per
initiative in a ``MarkerCluster``."""

from __future__ import annotations

import html

import folium
import pandas as pd
from folium.plugins import MarkerCluster

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
