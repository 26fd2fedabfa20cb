"""Initiatives per commune (Marseille per arrondissement) as a shaded map."""

from __future__ import annotations

import html

import folium

from geo.webmap.basemap import base_map

# Sequential palette (ColorBrewer "Reds", 5 classes); class 0 is "none".
PALETTE = ("#f7f7f7", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15")


def class_breaks(maximum: int) -> list[int]:
    """Upper bounds of the non-empty classes: 1, then up to 4 even steps to the maximum."""
    if maximum <= 1:
        return [1]
    step = max(1, -(-(maximum - 1) // 4))
    return sorted({1, *range(1 + step, maximum, step), maximum})


def colour(count: int, breaks: list[int]) -> str:
    if count <= 0:
        return PALETTE[0]
    return PALETTE[next(i for i, bound in enumerate(breaks, start=1) if count <= bound)]


def choropleth_map(outlines: str, areas: dict,
                   unplaced: tuple | None = None) -> tuple[folium.Map, list[tuple[str, str]]]:
    """The shaded map and its legend as (colour, label) pairs. ``unplaced`` ((lat, lon), count, text): the
    initiatives known only at the scale of a whole city, shown as a label on it rather than left out."""
    breaks = class_breaks(max((f["properties"]["initiatives"] for f in areas["features"]), default=0))
    the_map = base_map(outlines, legend=False)
    folium.GeoJson(
        areas, name="Initiatives par commune",
        style_function=lambda f: {"fillColor": colour(f["properties"]["initiatives"], breaks), "color": "#555",
                                  "weight": 0.6, "fillOpacity": 0.8},
        highlight_function=lambda _: {"weight": 2, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(["nom", "conseil", "initiatives"], ["Commune", "Conseil de territoire",
                                                                          "Initiatives"]),
    ).add_to(the_map)
    if unplaced and unplaced[1]:
        (lat, lon), count, text = unplaced
        folium.Marker([lat, lon], icon=folium.DivIcon(
            html=f'<div class="carte-area-badge"><b>{int(count)}</b><span> {html.escape(text)}</span></div>',
            icon_size=None, icon_anchor=(0, 12), class_name="carte-area-marker"),
            tooltip=f"{int(count)} initiative(s) {text}").add_to(the_map)
    labels, low = [(PALETTE[0], "aucune")], 1
    for index, bound in enumerate(breaks, start=1):
        labels.append((PALETTE[index], str(bound) if bound == low else f"{low} à {bound}"))
        low = bound + 1
    return the_map, labels
