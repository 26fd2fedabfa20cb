"""Filtering, distances, start points and exports: the pure functions the pages call."""

from __future__ import annotations

import csv
import io
import json
import re

import pandas as pd
import pytest
from geopy.distance import geodesic

from geo.export import to_csv, to_geojson, to_standalone_html
from geo.geocoders.geoplateforme import BanStep
from geo.geocoders.streets import StreetIndexStep
from geo.layer import read_layer
from geo.nearby import format_km, format_walk, nearest
from geo.selection import Filters, prepare, select
from geo.start import AddressSearch, StartNotFound, locate_address
from geo.webmap.markers import InitiativeMarkers
from tests.conftest import CATALOGUE_SIZE, DATA
from tests.stub_geocoder import Reply, ban_answer, fixture


@pytest.fixture(scope="module")
def table():
    return prepare(read_layer(DATA / "initiatives.geojson"))


def ids(frame: pd.DataFrame) -> set[str]:
    return set(frame["id"])


def test_no_filter_keeps_everything(table):
    assert len(select(table, Filters())) == len(table) == CATALOGUE_SIZE


def test_category_filter(table):
    assert ids(select(table, Filters(categories=("restaurant-solidaire",)))) == {
        "le-republique", "les-beaux-mets", "l-oiseau-rieur", "le-presage"}


def test_theme_filter_keeps_rows_with_any_chosen_theme(table):
    chosen = select(table, Filters(themes=("droits-des-femmes", "energie")))
    assert ids(chosen) == {"quadrathlon-des-femmes", "solidarite-femmes-13", "le-presage"}


def test_commune_and_arrondissement_filters(table):
    assert ids(select(table, Filters(places=("13028",)))) == {"l-oiseau-rieur"}
    assert ids(select(table, Filters(places=("13202",)))) == {"le-republique", "ceremonie-prix-des-possibles-2023",
                                                               "skola"}
    marseille = select(table, Filters(places=("13055",)))
    assert "le-presage" in ids(marseille) and "l-oiseau-rieur" not in ids(marseille)


def test_year_filter(table):
    assert set(select(table, Filters(years=(2019, 2019)))["year"]) == {2019}


def test_text_search_ignores_accents_and_case(table):
    assert ids(select(table, Filters(text="PRESAGE"))) == {"le-presage"}
    assert "l-oiseau-rieur" in ids(select(table, Filters(text="athelia")))
    assert ids(select(table, Filters(text="solaire ENERGIE"))) == {"le-presage"}
    assert select(table, Filters(text="introuvable-xyz")).empty


def test_facets_combine(table):
    chosen = select(table, Filters(categories=("restaurant-solidaire",), places=("13055",), text="baumettes"))
    assert ids(chosen) == {"les-beaux-mets"}


def test_nearest_orders_by_geodesic_distance(table):
    start = (43.3, 5.4)
    result = nearest(table, *start)
    geodesic_km = [geodesic(start, (lat, lon)).km for lat, lon in zip(result["lat"], result["lon"], strict=True)]
    assert geodesic_km == sorted(geodesic_km)
    for ours, reference in zip(result["distance_km"], geodesic_km, strict=True):
        assert ours == pytest.approx(reference, rel=0.005)


def test_radius_and_walking_time(table):
    restaurants = select(table, Filters(categories=("restaurant-solidaire",)))
    result = nearest(restaurants, 43.2969, 5.3811, radius_km=5)  # Vieux-Port
    assert list(result["id"]) == ["le-republique"]
    assert result["walk_minutes"].iloc[0] == round(result["distance_km"].iloc[0] / 4.5 * 60)
    assert result["distance_label"].iloc[0].endswith("à pied")


def test_distance_formats():
    assert (format_km(0.347), format_km(1.25), format_km(23.6)) == ("350 m", "1,2 km", "24 km")
    assert (format_walk(7), format_walk(85)) == ("7 min", "1 h 25")


def test_a_start_address_found_by_the_ban(territory, stub, data_copy):
    stub.script("ban", Reply(ban_answer("1 Place Sadi Carnot 13002 Marseille", 43.29938, 5.37128)))
    ban = BanStep(f"{stub.url}/ban", proxies={}, timeout=1, attempts=1)
    start = locate_address("1 place Sadi-Carnot Marseille", territory, ban=AddressSearch(ban),
                           streets=StreetIndexStep(data_copy / "marseille_streets.json"))
    assert (start.lat, start.lon, start.precision) == (43.29938, 5.37128, "address")


def test_a_start_address_outside_the_metropole_is_refused(territory, stub, data_copy):
    stub.script("ban", Reply(fixture("ban_search_housenumber_rue_yves_toudic.json")))
    ban = BanStep(f"{stub.url}/ban", proxies={}, timeout=1, attempts=1)
    with pytest.raises(StartNotFound, match="hors de la Métropole"):
        locate_address("13 rue Yves Toudic Paris", territory, ban=AddressSearch(ban),
                       streets=StreetIndexStep(data_copy / "marseille_streets.json"))


def test_offline_a_start_address_uses_the_street_index_or_the_commune(territory, data_copy):
    streets = StreetIndexStep(data_copy / "marseille_streets.json")
    start = locate_address("3 place Sadi-Carnot 13002", territory, ban=None, streets=streets)
    assert (start.precision, start.label) == ("street", "Place Sadi Carnot (centre de la voie), Marseille")
    start = locate_address("Aubagne", territory, ban=None, streets=streets)
    assert start.precision == "commune" and start.label == "Aubagne"
    with pytest.raises(StartNotFound, match="Adresse introuvable"):
        locate_address("quelque part", territory, ban=None, streets=streets)
    with pytest.raises(StartNotFound, match="Saisissez une adresse"):
        locate_address("   ", territory, ban=None, streets=streets)


def with_name(table, name):
    row = table.iloc[[0]].copy()
    row["name"] = name
    return row


FORMULAS = ["=HYPERLINK(\"http://x\")", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "\tTAB", "\rCR"]


def test_csv_download_neutralises_formulas_and_reads_back(table):
    rows = pd.concat([*(with_name(table, formula) for formula in FORMULAS), table.iloc[[1]]])
    text = to_csv(rows).decode("utf-8-sig")
    names = [row["Nom"] for row in csv.DictReader(io.StringIO(text, newline=""), delimiter=";")]
    assert names == [*("'" + formula for formula in FORMULAS), table.iloc[1]["name"]]


def test_csv_download_opens_in_columns_in_french_excel(table):
    data = to_csv(table)
    assert data.startswith("\ufeff".encode())  # UTF-8 with BOM
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert data.decode("utf-8-sig").startswith('"Nom";"Catégorie";')  # every field quoted
    assert header[:5] == ["Nom", "Catégorie", "Situation", "Commune", "Adresse"]
    assert header.index("identifiant") > header.index("Source")  # technical columns last
    first = next(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert first["Catégorie"] == "Restaurant solidaire"
    assert first["Situation"] == (table.iloc[0]["status_label"] or "en activité")  # « À vérifier » for Le République


def test_geojson_download_is_the_selection(table):
    chosen = select(table, Filters(categories=("laureat",)))
    collection = json.loads(to_geojson(chosen))
    assert [f["id"] for f in collection["features"]] == list(chosen["id"])
    assert collection["features"][0]["geometry"]["coordinates"] == [chosen.iloc[0]["lon"], chosen.iloc[0]["lat"]]
    assert collection["features"][0]["properties"]["themes"] == list(chosen.iloc[0]["themes"])


def test_standalone_html_needs_no_network_and_escapes_names(table, territory):
    outlines = (DATA / "communes.geojson").read_text(encoding="utf-8")
    chosen = pd.concat([with_name(table, "</script><img src=x onerror=alert(1)>"), table.iloc[[3, 9]]])
    page = to_standalone_html(chosen, outlines, "<Carte>").decode()
    assert "<script src=" not in page and '<link rel="stylesheet" href="http' not in page
    assert "L.markerClusterGroup" in page and "Carte.addInitiatives" in page
    assert "</script><img" not in page and "\\u003c/script\\u003e\\u003cimg" in page
    assert "<title>&lt;Carte&gt;</title>" in page
    # Offline, the outlines are the only context: they are in the file; the markers clustered; the view framed
    # on the selection, never closer than a street.
    assert outlines in page and '"cluster":true' in page
    south, west, north, east = chosen["lat"].min(), chosen["lon"].min(), chosen["lat"].max(), chosen["lon"].max()
    assert re.search(rf"\.fitBounds\(\s*\[\[{south}, {west}\], \[{north}, {east}\]\],\s*\{{\"maxZoom\": 15\}}", page)


def test_marker_payload_cannot_close_its_script_element(table):
    markers = InitiativeMarkers(with_name(table, "</script><script>alert(1)</script>"))
    assert "</script>" not in markers.payload


@pytest.mark.parametrize("name", ["<!--<script>", "a\u2028b\u2029c", "&lt;b&gt; & co", "]]>"])
def test_marker_payload_has_no_character_that_html_or_javascript_would_read(table, name):
    payload = InitiativeMarkers(with_name(table, name)).payload
    assert not set(payload) & {"<", ">", "&", "\u2028", "\u2029"}
    assert name in json.loads(payload)["markers"]["n"]


def test_geojson_download_is_rfc7946(table):
    collection = json.loads(to_geojson(table))
    assert collection["type"] == "FeatureCollection"
    assert {f["type"] for f in collection["features"]} == {"Feature"}
    assert {f["geometry"]["type"] for f in collection["features"]} == {"Point"}
    assert any("é" in f["properties"]["name"] for f in collection["features"])  # UTF-8 kept as text


def test_the_geojson_download_types_its_properties_as_the_shipped_layer_does(table):
    shipped = json.loads((DATA / "initiatives.geojson").read_text(encoding="utf-8"))["features"]
    downloaded = json.loads(to_geojson(table))["features"]
    types = {key: type(value).__name__ for feature in shipped for key, value in feature["properties"].items()
             if value not in (None, "")}
    for feature in downloaded:
        for key, value in feature["properties"].items():
            if key in types and value not in (None, ""):
                assert type(value).__name__ == types[key], (key, value)
