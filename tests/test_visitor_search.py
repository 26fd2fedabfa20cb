"""Visitor address searches are cheap and bounded: cached for every session, rate-limited per server,
one short try, no wait on a 429, and the offline answer said as such."""

from __future__ import annotations

import time

import pytest

from geo.geocoders.geoplateforme import BanStep
from geo.geocoders.streets import StreetIndexStep
from geo.start import OFFLINE_NOTE, AddressSearch, locate_address
from tests.stub_geocoder import Reply, ban_answer

SADI_CARNOT = ban_answer("1 Place Sadi Carnot 13002 Marseille", 43.29938, 5.37128)


@pytest.fixture
def search(stub):
    def make(**options) -> AddressSearch:
        return AddressSearch(BanStep(f"{stub.url}/ban", proxies={}, timeout=options.pop("timeout", 3), attempts=1),
                             **options)
    return make


@pytest.fixture
def streets(data_copy):
    return StreetIndexStep(data_copy / "marseille_streets.json")


def test_twenty_identical_searches_send_one_request(stub, search, territory, streets):
    stub.script("ban", Reply(SADI_CARNOT))
    shared = search()
    for _ in range(20):
        start = locate_address("1 place Sadi-Carnot, Marseille", territory, ban=shared, streets=streets)
        assert (start.precision, start.note) == ("address", "")
    assert len(stub.requests) == 1


def test_a_429_with_retry_after_is_not_waited_for_and_pauses_the_service(stub, search, territory, streets):
    stub.script("ban", Reply({"message": "trop de requêtes"}, status=429, headers={"Retry-After": "120"}))
    shared = search(per_second=1000)  # the rate limit is not what holds the second request back
    began = time.monotonic()
    start = locate_address("3 place Sadi-Carnot 13002", territory, ban=shared, streets=streets)
    assert time.monotonic() - began < 2.5  # not 120 s
    assert start.precision == "street" and start.note == OFFLINE_NOTE
    locate_address("Aubagne", territory, ban=shared, streets=streets)
    assert len(stub.requests) == 1  # the service asked for 120 s of peace: no second request


def test_a_service_that_never_answers_costs_one_short_timeout(stub, search, territory, streets):
    stub.script("ban", Reply(SADI_CARNOT, delay=10))
    began = time.monotonic()
    start = locate_address("1 place Sadi-Carnot, Marseille", territory, ban=search(timeout=1), streets=streets)
    assert time.monotonic() - began < 5  # not 10 s, nor 11 s of retries
    assert start.note == OFFLINE_NOTE and start.precision == "street"


def test_requests_are_rate_limited_per_server(stub, search, territory, streets):
    stub.script("ban", Reply(SADI_CARNOT))
    shared = search(per_second=1)
    locate_address("1 place Sadi-Carnot, Marseille", territory, ban=shared, streets=streets)
    start = locate_address("2 place Sadi-Carnot, Marseille", territory, ban=shared, streets=streets)
    assert len(stub.requests) == 1 and start.note == OFFLINE_NOTE  # the second came within the same second


def test_only_the_commune_understood_is_said(territory, streets):
    start = locate_address("Noailles, Aubagne", territory, ban=None, streets=streets)
    assert start.precision == "commune" and "Seule la commune a été reconnue" in start.note


@pytest.mark.parametrize(("text", "expected"), [
    ("la ciotat 13600", "La Ciotat"),  # 13600 is also Ceyreste's: the commune named wins
    ("13790 Rousset", "Rousset"),
    ("Aix", "Aix-en-Provence"),  # what everyone calls it
    ("rue d'Aix, 13001 Marseille", "Marseille 1er Arrondissement"),
])
def test_the_commune_named_wins_and_usual_short_names_are_known(territory, text, expected):
    from geo.start import area_named_in

    assert area_named_in(text, territory).name == expected


@pytest.mark.parametrize(("text", "label", "precision"), [
    ("Les Baumettes", "Centre pénitentiaire des Baumettes", "place"),  # a named place of places.csv
    ("Canebière", "La Canebière (centre de la voie)", "street"),  # without its article
    ("Noailles", "quartier Noailles", "place"),  # a quarter of Marseille
])
def test_named_places_streets_and_quarters_are_recognised(territory, streets, data_copy, text, label, precision):
    from geo.geocoders.places import PlaceIndexStep

    start = locate_address(text, territory, ban=None, streets=streets, places=PlaceIndexStep(data_copy / "places.csv"))
    assert start.label.startswith(label) and start.precision == precision and start.note == ""


def test_a_place_only_understood_as_its_commune_is_a_warning(territory, streets):
    start = locate_address("Le Panier, Marseille", territory, ban=None, streets=streets)
    assert start.precision == "commune" and "Seule la commune a été reconnue" in start.note
