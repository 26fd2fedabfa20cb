"""The geocoding chain through real geopy calls against a stub BAN and Nominatim on 127.0.0.1."""

from __future__ import annotations

import pytest

from geo.build import query_for
from geo.cache import CacheError, GeocodeCache
from geo.catalogue import Row
from geo.chain import GeocodingChain
from geo.geocoders.geoplateforme import BanStep
from geo.geocoders.nominatim import NominatimStep
from geo.geocoders.places import PlaceIndexStep
from geo.geocoders.streets import StreetIndexStep
from tests.conftest import initiative
from tests.stub_geocoder import BAN_NO_RESULT, Reply, ban_answer, fixture, nominatim_answer

SADI_CARNOT = ban_answer("1 Place Sadi Carnot 13002 Marseille", 43.29938, 5.37128)
MUCEM = nominatim_answer("Mucem, 7, Promenade Robert Laffont, Marseille", 43.2967287, 5.3610255)


@pytest.fixture
def chain(territory, stub, data_copy):
    def make(**options) -> GeocodingChain:
        retry = {"attempts": 3, "base_delay": 0.05, "timeout": 1, "proxies": {}} | options
        return GeocodingChain(
            territory,
            cache=GeocodeCache(data_copy / "geocode_cache.json"),
            online=(BanStep(f"{stub.url}/ban", **retry),
                    NominatimStep(territory.bounds, f"{stub.url}/nominatim", min_delay_seconds=0, **retry)),
            offline=(PlaceIndexStep(data_copy / "places.csv"), StreetIndexStep(data_copy / "marseille_streets.json")),
        )
    return make


def query(territory, **values):
    return query_for(Row(2, initiative(**values)), territory)


def test_a_good_ban_answer_is_kept_with_its_precision_and_cached(territory, stub, chain, data_copy):
    stub.script("ban", Reply(SADI_CARNOT))
    outcome = chain().locate(query(territory))
    position = outcome.position
    assert (position.precision, position.provider, position.score) == ("address", "ban", 0.95)
    assert (position.lat, position.lon) == (43.29938, 5.37128)
    assert outcome.notes == []
    [request] = stub.requests
    assert request.params["q"] == ["1 place Sadi-Carnot, 13002 Marseille"]
    assert request.params["postcode"] == ["13002"]
    assert GeocodeCache(data_copy / "geocode_cache.json").get(query(territory).key) == position


def test_without_postcode_ban_is_filtered_by_city_code(territory, stub, chain):
    stub.script("ban", Reply(SADI_CARNOT))
    chain().locate(query(territory, postcode=""))
    assert stub.requests[0].params["citycode"] == ["13202"]


def test_no_answer_anywhere_falls_back_to_the_street_index(territory, stub, chain):
    outcome = chain().locate(query(territory))
    assert (outcome.position.precision, outcome.position.provider) == ("street", "osm-streets")
    assert outcome.position.label.startswith("Place Sadi Carnot")
    assert (stub.count("ban"), stub.count("nominatim")) == (1, 1)


def test_a_named_place_is_found_by_nominatim_within_the_metropole(territory, stub, chain):
    stub.script("nominatim", Reply(MUCEM))
    outcome = chain().locate(query(territory, address="Mucem"))
    assert (outcome.position.precision, outcome.position.provider) == ("place", "nominatim")
    params = stub.requests[-1].params
    assert params["bounded"] == ["1"] and params["countrycodes"] == ["fr"]
    west, south = (float(v) for v in params["viewbox"][0].split(",")[:2])
    assert 4.7 < west < 4.8 and 43.1 < south < 43.2


def test_a_low_score_is_rejected_and_reported(territory, stub, chain):
    stub.script("ban", Reply(ban_answer("Place Sadi Carnot 13002 Marseille", 43.29938, 5.37128, score=0.31)))
    outcome = chain().locate(query(territory))
    assert outcome.position.provider == "osm-streets"
    assert any("score 0.31 sous le seuil 0.60" in note for note in outcome.notes)


def test_an_answer_in_another_commune_is_rejected(territory, stub, chain):
    stub.script("ban", Reply(fixture("ban_search_housenumber_rue_yves_toudic.json")))  # Paris, score 0.94
    stub.script("nominatim", Reply(fixture("nominatim_search_cologne_cathedral.json")))
    outcome = chain().locate(query(territory))
    assert outcome.position.provider == "osm-streets"
    assert any("hors de Marseille écartée (13 Rue Yves Toudic 75010 Paris)" in note for note in outcome.notes)
    assert any("hors de Marseille écartée (Cologne Cathedral" in note for note in outcome.notes)


def test_a_whole_municipality_is_too_coarse_to_keep(territory, stub, chain):
    stub.script("ban", Reply(ban_answer("Marseille", 43.29, 5.38, score=0.9, kind="municipality")))
    outcome = chain().locate(query(territory))
    assert any("trop vague (municipality" in note for note in outcome.notes)


def test_timeouts_are_retried_then_the_row_falls_back(territory, stub, chain):
    stub.script("ban", Reply(SADI_CARNOT, delay=1.5))
    outcome = chain(timeout=0.3, attempts=2).locate(query(territory))
    assert stub.count("ban") == 2
    assert outcome.position.provider == "osm-streets"
    assert any("délai dépassé" in note for note in outcome.notes)


def test_http_429_waits_for_retry_after_then_succeeds(territory, stub, chain):
    stub.script("ban", Reply(fixture("ban_search_no_results.json"), status=429, headers={"Retry-After": "1"}),
                Reply(SADI_CARNOT))
    outcome = chain().locate(query(territory))
    assert outcome.position.provider == "ban"
    first, second = stub.requests[:2]
    assert second.at - first.at >= 0.95  # the backoff alone would be 0.05 s


def test_http_429_every_time_is_reported(territory, stub, chain):
    stub.script("ban", Reply(BAN_NO_RESULT, status=429, headers={"Retry-After": "0"}))
    outcome = chain().locate(query(territory))
    assert stub.count("ban") == 3
    assert any("trop de requêtes (HTTP 429)" in note for note in outcome.notes)


def test_http_500_is_retried_with_backoff(territory, stub, chain):
    stub.script("ban", Reply(BAN_NO_RESULT, status=500), Reply(SADI_CARNOT))
    assert chain().locate(query(territory)).position.provider == "ban"
    assert stub.count("ban") == 2


def test_http_500_every_time_falls_back_and_is_reported(territory, stub, chain):
    stub.script("ban", Reply(BAN_NO_RESULT, status=500))
    outcome = chain().locate(query(territory))
    assert stub.count("ban") == 3
    assert any("erreur du service (HTTP 500)" in note for note in outcome.notes)
    assert outcome.position.provider == "osm-streets"


def test_a_cache_hit_sends_no_request(territory, stub, chain):
    stub.script("ban", Reply(SADI_CARNOT))
    first = chain().locate(query(territory))
    requests = len(stub.requests)
    second = chain().locate(query(territory))  # a new chain: the cache is read back from disk
    assert len(stub.requests) == requests
    assert second.from_cache and second.position == first.position


def test_rows_without_address_take_their_area_point_without_any_request(territory, stub, chain):
    outcome = chain().locate(query(territory, address="", postcode="13003", insee="13203"))
    assert (outcome.position.precision, outcome.position.label) == ("commune", "Marseille 3e Arrondissement")
    assert stub.requests == []


def test_an_unreadable_cache_is_reported_and_left_alone(data_copy):
    path = data_copy / "geocode_cache.json"
    path.write_text('{"version": 1, "entries": {"a":', encoding="utf-8")
    with pytest.raises(CacheError, match="cache de géocodage illisible"):
        GeocodeCache(path)
    assert path.read_text(encoding="utf-8") == '{"version": 1, "entries": {"a":'


@pytest.mark.parametrize("damage", ["nan score", "text score", "text coordinates", "html"])
def test_a_garbled_answer_is_treated_as_no_answer(territory, stub, chain, damage):
    answer = ban_answer("1 Place Sadi Carnot 13002 Marseille", 43.29938, 5.37128)
    properties, geometry = answer["features"][0]["properties"], answer["features"][0]["geometry"]
    if damage == "nan score":
        properties["score"] = float("nan")
    elif damage == "text score":
        properties["score"] = "élevé"
    elif damage == "text coordinates":
        geometry["coordinates"] = ["cinq", "quarante-trois"]
    reply = Reply("<html><body>502 Bad Gateway</body></html>") if damage == "html" else Reply(answer)
    stub.script("ban", reply)
    outcome = chain(attempts=1).locate(query(territory))
    assert outcome.position.provider != "ban"  # the offline index answered instead
    assert outcome.position.precision == "street"
    if "score" in damage:
        assert any("score illisible" in note for note in outcome.notes)  # the build report says why


def test_a_large_first_build_appends_answers_instead_of_rewriting_the_cache(data_copy, monkeypatch):
    import geo.cache
    from geo.position import Position

    rewrites = []
    monkeypatch.setattr(geo.cache, "atomic_write_json", lambda *args: rewrites.append(args))
    cache = GeocodeCache(data_copy / "geocode_cache.json")
    for n in range(3000):
        cache.put(f"adresse {n}", Position(43.3, 5.4, "address", "ban", f"{n}", 0.9, "2026-11-22"))
    assert rewrites == []  # linear: nothing rewritten per answer (3,000 answers took 56 s before)
    assert len(cache.journal.read_text(encoding="utf-8").splitlines()) == 3000
    again = GeocodeCache(data_copy / "geocode_cache.json")  # as a build interrupted here would restart
    assert again.get("adresse 2999").label == "2999"
    monkeypatch.undo()
    again.save()
    assert not again.journal.exists() and GeocodeCache(data_copy / "geocode_cache.json").get("adresse 7")


def test_a_journal_line_cut_by_a_kill_is_skipped(data_copy):
    from geo.position import Position

    cache = GeocodeCache(data_copy / "geocode_cache.json")
    cache.put("gardée", Position(43.3, 5.4, "address", "ban", "ok", 0.9, "2026-11-22"))
    with open(cache.journal, "a", encoding="utf-8") as handle:
        handle.write('["coupée", {"lat": 43.')
    assert GeocodeCache(data_copy / "geocode_cache.json").get("gardée").label == "ok"
