"""What is true today, drawn honestly: statuses, sourced addresses, no piles of markers at one point."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from geo.build import query_for
from geo.catalogue import Row, read_catalogue, validate_row
from geo.chain import GeocodingChain
from geo.geocoders.geoplateforme import BanStep
from geo.layer import read_layer
from geo.nearby import nearest
from geo.phrases import french_date, status_text
from geo.selection import Filters, prepare, select
from geo.webmap.markers import badges, largest_pile
from tests.conftest import DATA, initiative
from tests.stub_geocoder import Reply, ban_answer


@pytest.fixture(scope="module")
def everything():
    layers = [read_layer(DATA / "initiatives.geojson"), read_layer(DATA / "sources" / "mediation_numerique.geojson")]
    return prepare(pd.concat(layers, ignore_index=True))


def row(table, identifier):
    return table[table["id"] == identifier].iloc[0]


def test_no_pile_of_markers_at_one_point_on_the_shipped_layers(everything):
    assert largest_pile(everything) <= 3  # 24 before: every Marseille-level initiative on one point
    catalogue = everything[everything["dataset"] == "catalogue"]
    assert largest_pile(catalogue) <= 3


def test_commune_level_initiatives_are_one_badge_per_area_listing_them(everything):
    listed = badges(everything)
    rows = [i for badge in listed for i in badge["rows"]]
    assert sorted(rows) == sorted(everything.index[everything["commune_level"]].tolist())  # each once
    assert len({badge["label"] for badge in listed}) == len(listed)
    marseille = next(b for b in listed if b["label"] == "Marseille")
    assert len(marseille["rows"]) >= 9
    # two badges on the same point are stacked, not drawn on each other
    places = Counter((b["lat"], b["lon"], b["dy"]) for b in listed)
    assert max(places.values()) == 1


def test_ended_and_renamed_initiatives_say_so(everything):
    assert row(everything, "lab-zero")["status_label"] == "Terminé en 2020"
    assert row(everything, "coco-velten")["ended"]
    mouves = row(everything, "mouves-paca")
    assert (mouves["name"], mouves["former_name"]) == ("Mouvement Impact France", "Mouves PACA")
    assert mouves["status_label"] == "A changé le 8 octobre 2020"
    assert row(everything, "le-republique")["opened_label"] == "Ouvert le 1er février 2022"
    assert row(everything, "le-republique")["status_label"] == "À vérifier"  # a bankruptcy filed, no closing date
    assert row(everything, "thecamp")["status_label"] == "À vérifier (page du 28 mars 2025)"
    assert row(everything, "skola")["status_label"] == "À vérifier (page du 4 octobre 2018)"
    assert "mouves-paca" in set(select(everything, Filters(text="mouves"))["id"])  # findable by its former name
    assert "lab-zero" not in set(select(everything, Filters(statuses=("active", "changed")))["id"])
    assert set(select(everything, Filters(statuses=("ended",)))["id"]) == {
        "lab-zero", "coco-velten", "ceremonie-prix-des-possibles-2023", "cite-de-l-agriculture"}


def test_status_and_dates_read_in_french():
    assert status_text("ended", "2020") == "Terminé en 2020"
    assert status_text("ended", "2023-11") == "Terminé en novembre 2023"
    assert status_text("active", "2020") == ""
    assert french_date("2022-02-01") == "1er février 2022"


def test_every_status_and_corrected_address_cites_a_page(territory):
    rows, problems = read_catalogue(DATA / "initiatives.csv", territory)
    assert problems == []
    for values in (r.values for r in rows):
        if values["status"] != "active" or values["status_note"]:
            assert values["status_source"], values["id"]
        if values["address_note"]:
            assert values["address_source"], values["id"]
    oiseau = next(r.values for r in rows if r.values["id"] == "l-oiseau-rieur")
    assert "Athélie" in oiseau["address_note"] and "atheliaentreprendre" in oiseau["address_source"]
    assert "ZAC des Mattes" not in oiseau["address"]
    assert sum(bool(r.values["address_source"]) for r in rows) >= 15


@pytest.mark.parametrize(("override", "field"), [
    ({"status": "ferme"}, "status"),
    ({"status": "ended", "status_date": "2020"}, "status_source"),
    ({"status_date": "hier", "status_source": "page"}, "status_date"),
    ({"opened": "2024-06-18"}, "opened_source"),
    ({"address_note": "la source écrit autre chose"}, "address_source"),
])
def test_an_unsourced_or_malformed_status_is_refused(territory, override, field):
    problems = validate_row(Row(2, initiative(**override)), territory)
    assert [p.field for p in problems] == [field]


def test_commune_level_distances_do_not_pretend_to_walking_precision(everything):
    result = nearest(everything[everything["category"] == "restaurant-solidaire"], 43.2965, 5.3698)
    labels = dict(zip(result["id"], result["distance_label"], strict=True))
    assert labels["l-oiseau-rieur"].startswith("≈ ") and "à pied" not in labels["l-oiseau-rieur"]
    assert "adresse non connue" in labels["l-oiseau-rieur"]
    assert labels["le-republique"].endswith("à pied")


def test_an_answer_outside_its_arrondissement_is_rejected(territory, stub):
    # 13008 answer for a row of the 1st arrondissement: same commune, wrong arrondissement
    stub.script("ban", Reply(ban_answer("1 Avenue du Prado 13008 Marseille", 43.2712, 5.3924, postcode="13001",
                                        citycode="13208")))
    chain = GeocodingChain(territory, online=(BanStep(f"{stub.url}/ban", attempts=1, timeout=2, proxies={}),))
    query = query_for(Row(2, initiative(address="1 avenue du Prado", postcode="13001", insee="13201")), territory)
    outcome = chain.locate(query)
    assert outcome.position.precision == "commune"
    assert any("hors de Marseille 1er Arrondissement" in note for note in outcome.notes)
