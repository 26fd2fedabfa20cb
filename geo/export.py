"""Downloads of a selection: CSV (safe to open in a spreadsheet), GeoJSON, and a standalone HTML map
that carries its own Leaflet and data, for a venue with no network."""

from __future__ import annotations

import csv
import html
import json

import pandas as pd
from folium import Element, Figure

from geo.catalogue import COLUMNS, FIELD_LABELS
from geo.layer import POSITION_FIELDS, SOURCE_FIELDS
from geo.text import DATE_LIKE
from geo.vocabulary import THEME_SEPARATOR
from geo.webmap import assets
from geo.webmap.basemap import base_map
from geo.webmap.markers import InitiativeMarkers

EXPORT_COLUMNS = [*COLUMNS, *SOURCE_FIELDS, "conseil_de_territoire", "lat", "lon", *POSITION_FIELDS]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Prefix with an apostrophe a cell a spreadsheet would run as a formula or read as a date; the staff
    import takes it off again (``geo.spreadsheet``)."""
    if isinstance(value, str) and (value.startswith(_FORMULA_STARTS) or DATE_LIKE.match(value)):
        return "'" + value
    return value


def _flat(table: pd.DataFrame) -> pd.DataFrame:
    flat = table[EXPORT_COLUMNS].copy()
    flat["themes"] = flat["themes"].map(lambda themes: f"{THEME_SEPARATOR} ".join(themes))
    return flat


# The spreadsheet download: what the on-screen table shows, under French headers (those the staff import
# reads back), then the technical columns.
PEOPLE_COLUMNS = {
    "name": "Nom", "category_label": "Catégorie", "status_text": "Situation", "commune": "Commune",
    "address": "Adresse", "postcode": "Code postal", "opening_hours": "Horaires", "themes_label": "Thèmes",
    "description": "Description", "award": "Distinction", "year": "Année de la source", "website": "Site web",
    "source": "Source", "dataset_label": "Données", "former_name": "Ancien nom", "status_note": "Fait daté",
    "status_source": "Source du statut", "address_source": "Source de l'adresse", "fees": "Tarif",
    "price": "Prix", "access": "Conditions d'accès", "accessibility": "Accessibilité",
}
# Then every other catalogue field, under the header the staff import reads back (FIELD_LABELS): a download
# imported into an empty catalogue gives back every status, date, source and fact, not « en activité » for all.
KEPT_COLUMNS = {column: FIELD_LABELS[column][:1].upper() + FIELD_LABELS[column][1:] for column in COLUMNS
                if column not in PEOPLE_COLUMNS and column not in ("id", "name", "category", "themes", "insee")}
TECHNICAL_COLUMNS = {
    "id": "identifiant", "category": "code catégorie", "insee": "code INSEE", "conseil_de_territoire":
    "conseil de territoire", "lat": "latitude", "lon": "longitude", "precision": "précision de la position",
    "provider": "position fournie par", "position_label": "position trouvée", "position_date": "date de la position",
    "dataset": "code des données",
}


def to_csv(table: pd.DataFrame) -> bytes:
    """The selection for a French spreadsheet: ';'-separated UTF-8 with a BOM, **every field quoted** (a
    spreadsheet that also splits on commas or tabs shifts nothing), decimal commas (a French spreadsheet reads
    the coordinates as numbers), French headers matching the table on screen, technical columns last, and no
    cell a spreadsheet would run as a formula or turn into a date."""
    people = table.assign(status_text=table["status_label"].where(table["status_label"] != "", "en activité"))
    columns = {**PEOPLE_COLUMNS, **KEPT_COLUMNS, **TECHNICAL_COLUMNS}
    flat = people[[c for c in columns if c in people]].rename(columns=columns)
    return flat.map(neutralise_formula).to_csv(index=False, sep=";", decimal=",", quoting=csv.QUOTE_ALL,
                                               lineterminator="\r\n").encode("utf-8-sig")


def to_geojson(table: pd.DataFrame) -> bytes:
    """The selection as an RFC 7946 FeatureCollection, its properties typed as in the shipped layers (the year
    of the source as text, « 2023 », as the catalogue writes it)."""
    flat = table[EXPORT_COLUMNS].assign(year=table["year"].astype("string").fillna(""))
    records = json.loads(flat.to_json(orient="records", force_ascii=False))
    features = [
        {"type": "Feature", "id": record["id"],
         "geometry": {"type": "Point", "coordinates": [record.pop("lon"), record.pop("lat")]},
         "properties": record}
        for record in records
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")


def to_standalone_html(table: pd.DataFrame, outlines: str, title: str) -> bytes:
    """One HTML file with the map of the selection, Leaflet and our assets inlined: it opens
    from a USB stick with no network (tiles then stay blank, the commune outlines remain)."""
    the_map = base_map(outlines, local_assets=False)
    root = the_map.get_root()
    assert isinstance(root, Figure), "a map's root is its figure"
    root.header.add_child(Element(f"<title>{html.escape(title)}</title>"), name="title")
    root.header.add_child(Element(assets.inline_head()), name="carte_assets")
    InitiativeMarkers(table, cluster=True).add_to(the_map)
    if len(table):
        the_map.fit_bounds([[table["lat"].min(), table["lon"].min()], [table["lat"].max(), table["lon"].max()]],
                           max_zoom=15)
    page = root.render()
    assert page.startswith("<!DOCTYPE html>\n<html>"), "branca's figure opens with a bare <html>"
    return page.replace("<html>", '<html lang="fr">', 1).encode("utf-8")
