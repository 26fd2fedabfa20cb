"""The initiatives as one folium element: the data travels as JSON, markers and popups are made in
the browser by ``static/carte.js`` (popups only when clicked). Plus the category legend."""

from __future__ import annotations

import json

import pandas as pd
from jinja2 import Template

from geo.vocabulary import CATEGORIES
from geo.webmap.elements import DataScript
from geo.webmap.icons import svg

TEXTS = {
    "approximate": "position approximative", "directions": "Itinéraire à pied", "website": "Site web",
    "source": "Source", "hours": "Horaires", "legend": "Légende", "start": "Point de départ",
    "award": "Distinction",
}


def to_js(value) -> str:
    """JSON that is safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def styles() -> dict[str, dict[str, str]]:
    """Colour, SVG symbol and label of every category."""
    return {key: {"color": c.hex, "svg": svg(c.icon), "label": c.label} for key, c in CATEGORIES.items()}


# Above this many initiatives the popup details stay out of the page and are fetched on click.
INLINE_DETAILS_LIMIT = 3000
DETAIL_COLUMNS = {
    "full_address": "a", "description": "d", "award": "w", "source": "s", "website": "u", "themes_label": "t",
    "opening_hours": "h", "precision_label": "ql", "distance_label": "dk",
}


def detail_records(table: pd.DataFrame) -> list[dict]:
    """What a popup shows beyond the name and category, one dict per initiative (empty fields left out)."""
    columns = [c for c in DETAIL_COLUMNS if c in table]
    keys = [DETAIL_COLUMNS[c] for c in columns]
    values = [table[c].fillna("").astype(str).tolist() for c in columns]
    return [{k: v for k, v in zip(keys, row, strict=True) if v} for row in zip(*values, strict=True)]


def marker_columns(table: pd.DataFrame) -> dict[str, list]:
    """The per-marker data as compact columns: position, category index, approximate flag, name, row."""
    categories = list(CATEGORIES)
    return {
        "lat": table["lat"].round(5).tolist(), "lon": table["lon"].round(5).tolist(),
        "c": table["category"].map(categories.index).tolist(), "x": table["approximate"].astype(int).tolist(),
        "n": table["name"].tolist(), "r": table["row"].tolist() if "row" in table else list(range(len(table))),
    }


class InitiativeMarkers(DataScript):
    """Markers of the given initiatives, clustered or not, added to the parent layer or map.

    Up to ``INLINE_DETAILS_LIMIT`` initiatives, popup details travel with the markers; beyond, the
    popups fetch them from ``details_url`` (see ``geo.webmap.details``), so the page stays small.
    ``fly_to`` (lat, lon, zoom) animates the map there once the markers are drawn.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = Carte.addInitiatives({{ this._parent.get_name() }}, {{ this.payload }}, "
        "{{ this.options }});"
        "{% endmacro %}"
    )

    def __init__(self, table: pd.DataFrame, *, cluster: bool = True, start: tuple[float, float] | None = None,
                 details_url: str | None = None, fly_to: tuple[float, float, int] | None = None):
        super().__init__()
        self._name = "InitiativeMarkers"
        inline = details_url is None or len(table) <= INLINE_DETAILS_LIMIT
        data = {"styles": list(styles().values()), "texts": TEXTS, "markers": marker_columns(table),
                "details": detail_records(table) if inline else None, "detailsUrl": None if inline else details_url,
                "from": list(start) if start else None}
        self.payload = to_js(data)
        self.options = to_js({"cluster": cluster, "flyTo": list(fly_to) if fly_to else None})


class Legend(DataScript):
    """The category symbols as a collapsible map control."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "Carte.addLegend({{ this._parent.get_name() }}, {{ this.payload }});"
        "{% endmacro %}"
    )

    def __init__(self):
        super().__init__()
        self._name = "Legend"
        self.payload = to_js({"styles": list(styles().values()), "texts": TEXTS})
