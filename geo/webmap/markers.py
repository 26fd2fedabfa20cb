"""The initiatives as one folium element: the data travels as JSON, markers and popups are made in
the browser by ``static/carte.js`` (popups only when clicked). Plus the category legend."""

from __future__ import annotations

import json

import pandas as pd
from folium.elements import MacroElement
from jinja2 import Template

from geo.vocabulary import CATEGORIES
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


def marker_records(table: pd.DataFrame) -> list[dict]:
    """The compact per-initiative data the browser needs for markers and popups."""
    columns = {
        "id": "id", "name": "n", "category": "c", "approximate": "x", "precision_label": "ql", "lat": "lat",
        "lon": "lon", "full_address": "a", "description": "d", "award": "w", "source": "s", "website": "u",
        "themes_label": "t", "opening_hours": "h",
    }
    if "distance_label" in table:
        columns["distance_label"] = "dk"
    return table[list(columns)].rename(columns=columns).to_dict("records")


class InitiativeMarkers(MacroElement):
    """Markers of the given initiatives, clustered or not, added to the parent layer or map."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = Carte.addInitiatives({{ this._parent.get_name() }}, {{ this.payload }}, "
        "{{ this.options }});"
        "{% endmacro %}"
    )

    def __init__(self, table: pd.DataFrame, *, cluster: bool = True, start: tuple[float, float] | None = None):
        super().__init__()
        self._name = "InitiativeMarkers"
        data = {"styles": styles(), "texts": TEXTS, "features": marker_records(table),
                "from": list(start) if start else None}
        self.payload = to_js(data)
        self.options = to_js({"cluster": cluster})


class Legend(MacroElement):
    """The category symbols as a collapsible map control."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "Carte.addLegend({{ this._parent.get_name() }}, {{ this.payload }});"
        "{% endmacro %}"
    )

    def __init__(self):
        super().__init__()
        self._name = "Legend"
        self.payload = to_js({"styles": styles(), "texts": TEXTS})
