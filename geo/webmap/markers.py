"""The initiatives as one folium element: the data travels as JSON, markers and popups are made in
the browser by ``static/carte.js`` (popups only when clicked). Plus the category legend."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import pickle
from collections import Counter

import numpy as np
import pandas as pd
from jinja2 import Template

from geo.facts import citations
from geo.hours import NO_HOURS, STATE_LABELS, now, week
from geo.territory import short_name
from geo.vocabulary import CATEGORIES, NOT_PLACES, STATUSES
from geo.webmap.elements import DataScript
from geo.webmap.icons import svg

TEXTS = {
    "approximate": "position approximative", "directions": "Itinéraire à pied", "website": "Site web",
    "source": "Source", "hours": "Horaires", "legend": "Légende", "start": "Point de départ",
    "award": "Distinction", "today": "Aujourd’hui",
    "hoursOf": "Horaires calculés pour la semaine du {date} (vérifiez qu'ils valent encore)",
    "open": STATE_LABELS["open"], "closed": STATE_LABELS["closed"], "unknown": STATE_LABELS["unknown"],
    "formerly": "Anciennement", "addressSource": "Adresse d'après", "fees": "Tarif",
    "price": "Prix", "access": "Pour y aller", "accessibility": "Accessibilité", "cite": "source",
    "more": "Autres conditions",
    "badgeTitle": "sans adresse précise", "badgeShort": "sans adresse",
    "badgeHelp": "Connues seulement par leur commune ou leur arrondissement : elles ne sont pas dessinées comme "
                 "si elles se trouvaient en un point.",
    "back": "← Retour à la liste", "badgeLegend": "initiatives sans adresse précise (par commune)",
    "dataset": "Données", "yearOfSource": "année de la source", "statusSource": "Statut d'après",
    "link": "Lien vers cette fiche", "copy": "Copier le lien",
    "unloaded": "Les initiatives n'ont pas pu être chargées : rechargez la page. La liste sous la carte les donne.",
    # Heard, not seen: names for the markers, clusters, badges and controls (RGAA 7.1).
    "ended": STATUSES["ended"], "cluster": "initiatives regroupées : Entrée pour les afficher",
    "badgeOpen": "Entrée pour la liste des initiatives connues seulement par leur commune",
    "mapLabel": "Carte des initiatives : flèches pour se déplacer, + et − pour zoomer, Tab pour passer d'une "
                "initiative à l'autre, Entrée pour ouvrir sa fiche, Échap pour la fermer",
    "pileTitle": "initiatives au même endroit",
    "pileHelp": "Trop proches pour être distinguées sur la carte, même au plus près : les voici en liste.",
    "zoomIn": "Zoomer", "zoomOut": "Dézoomer", "mapHeading": "Carte des initiatives",
}


# Characters that could end a <script> element, open an HTML comment or entity inside one, or end a JavaScript
# string (U+2028/2029): written as JSON escapes, as Jinja's and folium's htmlsafe JSON do.
_SCRIPT_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                                "\u2029": "\\u2029"})


def to_js(value) -> str:
    """JSON that is safe inside a <script> element: no "<", ">", "&", U+2028 or U+2029 appears as such."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_UNSAFE)


def styles() -> dict[str, dict[str, str]]:
    """Colour, SVG symbol and label of every category."""
    return {key: {"color": c.hex, "svg": svg(c.icon), "label": c.label} for key, c in CATEGORIES.items()}


# Above this many initiatives the popup details stay out of the page and are fetched on click.
INLINE_DETAILS_LIMIT = 3000
# Above this many markers, clusters are supercluster's aggregates of the view and only the view's markers are made
# (static/carte-agregats.js); up to it, Leaflet.markercluster clusters them all (animated, spiderfied).
VIEW_LIMIT = 10_000
# Initiatives per popup-detail file (geo.webmap.details writes them, carte.js reads them).
DETAILS_CHUNK = 500
DETAIL_COLUMNS = {
    "full_address": "a", "description": "d", "award": "w", "source": "s", "website": "u", "themes_label": "t",
    "precision_label": "ql", "distance_label": "dk", "status_label": "st", "status_note": "sn",
    "status_source": "ss", "former_name": "f", "address_source": "as", "address_note": "an",
    "dataset_label": "ds", "fees": "fe", "opened_label": "o", "year": "y", "id": "id",
    "price": "pr", "access": "ac", "accessibility": "ax", "facts_label": "fr",
}
# The page each practical fact comes from, as [site, address, « mai 2022 »] lists (geo.facts.citations).
CITED_COLUMNS = {"hours_source": "hs", "price_source": "ps", "access_source": "acs",
                 "accessibility_source": "axs", "website_source": "us"}


def hours_record(expression: str, category: str, today: dt.date, count: int = 7) -> dict:
    """The hours of one entry for a popup: ``count`` days from ``today`` as [ISO date, text, [[from, to]…]]
    (the browser picks today's line and the six days after it, and says whether it is open now), or "horaires
    non renseignés" for a place one can walk into."""
    days = week(expression, today, count) if expression else []
    if days:
        return {"hw": [[day.isoformat(), text, [list(r) for r in ranges], [list(r) for r in doubtful]]
                       for day, text, ranges, doubtful in days]}
    return {} if category in NOT_PLACES else {"hx": NO_HOURS}


def detail_records(table: pd.DataFrame, today: dt.date | None = None, count: int = 7) -> list[dict]:
    """What a popup shows beyond the name and category, one dict per initiative (empty fields left out), with
    ``count`` days of hours from ``today`` (by default the clock's)."""
    today = today or now().date()
    columns = [c for c in DETAIL_COLUMNS if c in table]
    keys = [DETAIL_COLUMNS[c] for c in columns]
    # As text, missing values empty whatever the column's type (fillna("") fails on an Int64 year with a gap).
    values = [table[c].astype("string").fillna("").tolist() for c in columns]
    hours = (table["opening_hours"].astype("string").fillna("").tolist() if "opening_hours" in table
             else [""] * len(table))
    categories = table["category"].tolist() if "category" in table else [""] * len(table)
    cited = [(key, table[column].astype("string").fillna("").tolist()) for column, key in CITED_COLUMNS.items()
             if column in table]
    records = [
        {**{k: v for k, v in zip(keys, row, strict=True) if v}, **hours_record(h, c, today, count)}
        for row, h, c in zip(zip(*values, strict=True), hours, categories, strict=True)
    ]
    for key, texts in cited:  # few rows cite pages: parsed only where there is something to parse
        for record, text in zip(records, texts, strict=True):
            if text:
                record[key] = citations(text)
    return records


def _slots(table: pd.DataFrame) -> list[int]:
    """Where each initiative's popup details are (``geo.webmap.details``): its stable slot, else its row."""
    for column in ("slot", "row"):
        if column in table:
            return table[column].tolist()
    return list(range(len(table)))


def largest_pile(table: pd.DataFrame) -> int:
    """The largest number of markers the map draws at one coordinate (initiatives in a badge are not
    markers)."""
    in_badges = {i for badge in badges(table) for i in badge["rows"]}
    rows = table.reset_index(drop=True)
    points = Counter(zip(rows["lat"].round(5), rows["lon"].round(5), strict=True))
    lats, lons = rows["lat"].to_numpy(float), rows["lon"].to_numpy(float)
    for i in in_badges:
        points[(round(float(lats[i]), 5), round(float(lons[i]), 5))] -= 1
    return max(points.values(), default=0)


BADGE_COLUMNS = ("commune_level", "position_label", "commune", "lat", "lon")  # what ``badges`` reads


def badges(table: pd.DataFrame) -> list[dict]:
    """Initiatives known only by their commune (or arrondissement), one badge per area: its point, its
    name and the markers it stands for. Badges that would share a point are stacked (``dy`` pixels).
    Vectorised: the grouping costs a sort, not a pass over the table per area."""
    if "commune_level" not in table:
        return []
    rows = np.flatnonzero(table["commune_level"].to_numpy(bool))
    if not len(rows):
        return []
    labels = table["position_label"].fillna(table["commune"]) if "position_label" in table else table["commune"]
    codes, names = pd.factorize(labels.to_numpy()[rows])
    order = np.argsort(codes, kind="stable")
    groups = np.split(rows[order], np.flatnonzero(np.diff(codes[order])) + 1)
    lats, lons = table["lat"].to_numpy(float), table["lon"].to_numpy(float)
    result: list[dict] = []
    taken: Counter[tuple[float, float]] = Counter()
    for name, members in zip(names, groups, strict=True):
        lat, lon = round(float(lats[members[0]]), 5), round(float(lons[members[0]]), 5)
        result.append({"lat": lat, "lon": lon, "label": short_name(str(name)),
                       "rows": members.tolist(), "dy": 26 * taken[(round(lat, 4), round(lon, 4))]})
        taken[(round(lat, 4), round(lon, 4))] += 1
    return result


def marker_columns(table: pd.DataFrame) -> dict[str, list]:
    """The per-marker data as compact columns: position, category index, approximate flag, name, row, ended."""
    categories = list(CATEGORIES)
    return {
        "lat": table["lat"].round(5).tolist(), "lon": table["lon"].round(5).tolist(),
        "c": table["category"].map(categories.index).tolist(), "x": table["approximate"].astype(int).tolist(),
        "n": table["name"].tolist(), "r": _slots(table),
        "e": table["ended"].astype(int).tolist() if "ended" in table else [0] * len(table),
    }


MARKERS_FILE = "markers.json"  # beside the popup details: the marker columns of the whole published layer


def markers_file(table: pd.DataFrame) -> dict[str, list]:
    """What ``MARKERS_FILE`` holds: the marker columns of every row of a published layer, in row order."""
    return marker_columns(table.sort_values("row", kind="stable") if "row" in table else table)


def rows_mask(table: pd.DataFrame, count: int) -> str:
    """Which of a published layer's ``count`` rows ``table`` holds, as a bit mask in base64 (row i is bit i % 8 of
    byte i // 8): 12.5 kB for 100,000 rows, instead of their marker columns."""
    mask = np.zeros(count, bool)
    mask[table["row"].to_numpy(int)] = True
    return base64.b64encode(np.packbits(mask, bitorder="little").tobytes()).decode("ascii")


class InitiativeMarkers(DataScript):
    """Markers of the given initiatives, clustered or not, added to the parent layer or map.

    Up to ``INLINE_DETAILS_LIMIT`` initiatives, popup details travel with the markers; beyond, the
    popups fetch them from ``details_url`` (see ``geo.webmap.details``), so the page stays small.
    With ``layer_rows``, the number of rows of the layer whose marker columns are published there too
    (``MARKERS_FILE``), a large selection travels as a mask of those rows: the browser fetches the columns once
    per version and keeps them, so a filter sends kilobytes, not the markers again.
    ``fly_to`` (lat, lon, zoom) animates the map there once the markers are drawn; ``open_id`` opens that
    initiative's card (a link ``?fiche=<id>``). With ``payload_url``, where the same payload was published (a
    file named by its content, ``ui.maps``), the page carries that address and the browser fetches it.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "Carte.addInitiatives({{ this._parent.get_name() }}, {{ this.payload }}, "
        "{{ this.options }});"
        "{% endmacro %}"
    )

    def __init__(self, table: pd.DataFrame, *, cluster: bool = True, start: tuple[float, float] | None = None,
                 details_url: str | None = None, fly_to: tuple[float, float, int] | None = None,
                 open_id: str | None = None, remember_view: bool = False, layer_rows: int | None = None,
                 payload: str | None = None, payload_url: str | None = None):
        """``payload``: ``markers_payload`` of the same arguments, when the caller keeps it (``ui.maps``)."""
        super().__init__()
        self._name = "InitiativeMarkers"
        if payload_url:
            self.payload = to_js({"url": payload_url, "texts": TEXTS})
        else:
            self.payload = payload or markers_payload(table, start=start, details_url=details_url,
                                                      layer_rows=layer_rows)
        ids = table["id"].tolist() if "id" in table else []
        opened = ids.index(open_id) if open_id in ids else None  # ?fiche=<id>: its card opens with the map
        if opened is not None and _file_rows(table, details_url, layer_rows) is not None:  # in the file's order
            opened = _in_file_order(table, ["id"])["id"].tolist().index(open_id)
        self.options = to_js({"cluster": cluster, "flyTo": list(fly_to) if fly_to else None, "open": opened,
                              "rememberView": remember_view, "viewLimit": VIEW_LIMIT})


def _file_rows(table: pd.DataFrame, details_url: str | None, layer_rows: int | None) -> int | None:
    """The published layer's row count when the markers go by its file (a mask of its rows), else None (inline)."""
    by_file = details_url is not None and len(table) > INLINE_DETAILS_LIMIT and "row" in table
    return layer_rows if by_file else None


def _in_file_order(table: pd.DataFrame, columns) -> pd.DataFrame:
    """``columns`` of ``table``'s rows in the order of the layer's file, each row once (only those columns: the whole
    table sorted took 306 ms of every filter of a 198,000-row selection, these 58 ms)."""
    kept = table[["row", *(c for c in columns if c in table and c != "row")]]
    return kept.drop_duplicates("row").sort_values("row", kind="stable")


def markers_payload(table: pd.DataFrame, *, start: tuple[float, float] | None = None, details_url: str | None = None,
                    layer_rows: int | None = None, today: dt.date | None = None) -> str:
    """What ``carte.js`` draws for ``table``: markers (or the mask of a published layer's rows), popup details
    (or where to fetch them), badges, styles and texts, as script-safe JSON. A pure function of its arguments,
    the columns ``PAYLOAD_COLUMNS`` and ``today`` (the week of hours; by default the clock's)."""
    inline = details_url is None or len(table) <= INLINE_DETAILS_LIMIT
    file_rows = _file_rows(table, details_url, layer_rows)
    if file_rows is not None:  # the browser draws the rows in the file's order: badges and the card count in it
        table = _in_file_order(table, BADGE_COLUMNS)
    return to_js({"styles": list(styles().values()), "texts": TEXTS,
                  "markers": None if file_rows is not None else marker_columns(table),
                  "markersUrl": f"{details_url}/{MARKERS_FILE}" if file_rows is not None else None,
                  "rows": rows_mask(table, file_rows) if file_rows is not None else None,
                  "details": detail_records(table, today) if inline else None,
                  "detailsUrl": None if inline else details_url, "detailsChunk": DETAILS_CHUNK,
                  "from": list(start) if start else None, "badges": badges(table)})


# Every column ``markers_payload`` reads: two tables equal on these (in order) give the same payload.
PAYLOAD_COLUMNS = (*DETAIL_COLUMNS, *CITED_COLUMNS, "opening_hours", "category", "lat", "lon", "approximate", "name",
                   "slot", "row", "ended", "commune_level", "position_label", "commune")


def payload_key(table: pd.DataFrame) -> str:
    """A digest of ``table``'s ``PAYLOAD_COLUMNS``, in row order: what a kept payload is found by. Their values
    pickled (exact: equal bytes are equal values), 1.3 ms for the shipped catalogue where pandas' row hashing
    took 4.6 ms."""
    used = [column for column in PAYLOAD_COLUMNS if column in table]
    values = pickle.dumps([used, *(table[column].tolist() for column in used)], protocol=5)
    return hashlib.blake2b(values, digest_size=16).hexdigest()


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
