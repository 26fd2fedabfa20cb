"""The base map: OpenStreetMap tiles when online, the commune outlines always (so the map keeps its
shape with no network), and our local assets instead of folium's CDN links."""

from __future__ import annotations

import math

import folium
import numpy as np
import xyzservices
from branca.element import MacroElement
from jinja2 import Template

from geo import settings
from geo.territory import MARSEILLE, short_name
from geo.webmap import assets
from geo.webmap.elements import DataScript
from geo.webmap.markers import Legend, to_js

METROPOLE_CENTER = (43.42, 5.33)
ATTRIBUTION = ('&copy; <a href="https://www.openstreetmap.org/copyright">contributeurs OpenStreetMap</a> · '
               "contours IGN / Etalab")
OUTLINE_STYLE = {"color": "#5b6770", "weight": 1, "fillColor": "#eef2f5", "fillOpacity": 0.35}


# Zoom levels from which place names show when there are no tiles: communes, then Marseille's arrondissements.
COMMUNE_LABEL_ZOOM, ARRONDISSEMENT_LABEL_ZOOM = 10, 12


def place_labels(territory) -> list[list]:
    """[name, lat, lon, from zoom, to zoom] of every commune and arrondissement, at their inside points: the
    map's context when no tile loads (offline at a venue, or tiles turned off)."""
    labels = [[area.name, *area.point, COMMUNE_LABEL_ZOOM, 19 if area.insee != MARSEILLE else
               ARRONDISSEMENT_LABEL_ZOOM - 1] for area in territory.communes.values()]
    labels += [[short_name(area.name), *area.point, ARRONDISSEMENT_LABEL_ZOOM, 19]
               for area in territory.arrondissements.values()]
    return labels


def outlines_js(collection: dict, labels: list | None = None) -> str:
    """Commune outlines as compact GeoJSON text for ``base_map`` (serialise once, draw many times), with the
    place names shown when tiles do not load."""
    return to_js({**collection, "labels": labels or []})


def tile_url() -> str | None:
    """The tile server (``CARTE_TILES``; ``none`` for no tiles at all)."""
    return settings.current().tile_url


class Outlines(DataScript):
    """The commune outlines, drawn from already-serialised GeoJSON (no per-feature work per render): inline, or
    fetched from ``url`` where the same text was published (``assets.publish_data``) — the page then carries a
    few bytes instead of the outlines at every run, and the browser keeps the file."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{% if this.url %}"
        "Carte.addOutlines({{ this._parent.get_name() }}, {{ this.url }}, {{ this.options }});"
        "{% else %}"
        "(function (outlines) { L.geoJSON(outlines, {{ this.options }}).addTo({{ this._parent.get_name() }});"
        "if (window.Carte && Carte.addLabels) Carte.addLabels({{ this._parent.get_name() }}, outlines.labels);"
        "})({{ this.geojson }});"
        "{% endif %}"
        "{% endmacro %}"
    )

    def __init__(self, geojson: str, attribution: str | None, url: str | None = None):
        super().__init__()
        self._name = "Outlines"
        self.geojson = geojson
        self.url = to_js(url) if url else None
        self.options = to_js({"style": OUTLINE_STYLE, "interactive": False, "attribution": attribution})


class Scale(MacroElement):
    """The scale in metres and kilometres only (folium's adds miles), at the bottom right under the other
    controls, above the credits: at the bottom left, the credits wrapped on two lines on a phone covered it."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "L.control.scale({imperial: false, position: 'bottomright'}).addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )


def base_map(outlines: str, *, center=METROPOLE_CENTER, zoom: int = 9, legend: bool = True,
             local_assets: bool = True, outlines_url: str | None = None) -> folium.Map:
    """A map of the métropole around ``outlines`` (GeoJSON text, see ``outlines_js``; fetched from
    ``outlines_url`` when given, where that text was published); ``local_assets=False`` leaves the assets to be
    inlined by the caller."""
    the_map = folium.Map(location=list(center), zoom_start=zoom, tiles=None)
    the_map.options.update(min_zoom=8, max_zoom=19)  # folium gives these to tiles only; clusters need them
    the_map.default_js = assets.urls("js") if local_assets else []
    the_map.default_css = assets.urls("css") if local_assets else []
    tiles = tile_url()
    if tiles:
        # Given as a provider, not a URL string: folium looks a string up among xyzservices' providers first,
        # flattening their whole catalogue at every map (7.7 ms of a run, issue 20).
        provider = xyzservices.TileProvider(name="OpenStreetMap", url=tiles, attribution=ATTRIBUTION)
        folium.TileLayer(provider, attr=ATTRIBUTION, name="OpenStreetMap", max_zoom=19).add_to(the_map)
    Outlines(outlines, None if tiles else ATTRIBUTION, outlines_url).add_to(the_map)
    Scale().add_to(the_map)
    if legend:
        Legend().add_to(the_map)
    return the_map


def view_from_link(value: str, bounds: tuple[float, float, float, float]) -> tuple[tuple[float, float], int] | None:
    """The centre and zoom written in a link ("43.29672,5.37361,14"), or None when it is not one inside the
    métropole (``bounds``: south, west, north, east)."""
    try:
        lat, lon, zoom = (float(part) for part in (value or "").split(","))
    except ValueError:
        return None
    south, west, north, east = bounds
    if not (south <= lat <= north and west <= lon <= east and 8 <= zoom <= 19):
        return None
    return (lat, lon), int(zoom)


def view_of(lats, lons) -> tuple[tuple[float, float], int]:
    """A centre and zoom level that show every point (the whole métropole when there is none)."""
    if len(lats) == 0:
        return METROPOLE_CENTER, 9
    south, north = float(np.min(lats)), float(np.max(lats))  # NumPy: no Python loop over 100 000 rows
    west, east = float(np.min(lons)), float(np.max(lons))
    extent = max(north - south, (east - west) * 0.73, 1e-4)  # cos(43.3°) for longitudes
    zoom = int(max(9, min(15, math.floor(math.log2(1.6 / extent)) + 8)))
    return ((south + north) / 2, (west + east) / 2), zoom
