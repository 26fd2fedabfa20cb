"""The shipped layer and the build that makes it: valid GeoJSON, honest precision, nothing lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from geo.catalogue import COLUMNS, read_catalogue
from geo.chain import OUTLINE_TOLERANCE_M
from geo.files import REPO_DIR, atomic_write_text
from geo.layer import read_layer
from geo.vocabulary import PRECISIONS, PROVIDERS
from tests.conftest import DATA, initiative, write_catalogue
from tests.stub_geocoder import Reply, ban_answer


@pytest.fixture(scope="module")
def layer():
    return json.loads((DATA / "initiatives.geojson").read_text(encoding="utf-8"))


def run_cli(*args, env_extra=None, args_prefix=("build",), **kwargs):
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(NO_PROXY="127.0.0.1,localhost", **(env_extra or {}))
    return subprocess.Popen([sys.executable, "-m", "geo", *args_prefix, *args], cwd=REPO_DIR, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def test_layer_is_rfc7946_geojson_with_one_point_per_initiative(layer, territory):
    rows, _ = read_catalogue(DATA / "initiatives.csv", territory)
    assert layer["type"] == "FeatureCollection"
    assert [f["id"] for f in layer["features"]] == [row.values["id"] for row in rows]
    for feature in layer["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert 4.7 < lon < 5.9 and 43.1 < lat < 43.8  # lon first, as RFC 7946 says
        properties = feature["properties"]
        assert set(COLUMNS) <= set(properties)
        assert properties["precision"] in PRECISIONS and properties["provider"] in PROVIDERS
        assert properties["source"]


def test_every_point_lies_in_its_commune_and_arrondissement(layer, territory):
    for feature in layer["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        properties = feature["properties"]
        commune = territory.by_name(properties["commune"])
        assert territory.contains(commune, lat, lon, OUTLINE_TOLERANCE_M), properties["id"]
        area = territory.by_insee(properties["insee"])
        assert territory.contains(area, lat, lon, OUTLINE_TOLERANCE_M), properties["id"]


def test_offline_precisions_are_honest(layer):
    located = {f["id"]: (f["properties"]["precision"], f["properties"]["provider"]) for f in layer["features"]}
    assert located["ceremonie-prix-des-possibles-2023"] == ("place", "osm-places")  # Mucem
    assert located["les-beaux-mets"] == ("place", "osm-places")  # Baumettes
    assert located["inter-made"] == ("place", "osm-places")  # Friche la Belle de Mai, 41 rue Jobin
    assert located["budget-participatif-belle-de-mai"] == ("place", "osm-places")  # the quarter's sourced point
    for street in ("le-republique", "le-presage", "coco-velten", "cite-de-l-agriculture", "cress-paca",
                   "solidarite-femmes-13", "metropole-aix-marseille-provence"):
        assert located[street] == ("street", "osm-streets"), street
    for commune_only in ("l-oiseau-rieur", "thecamp", "skola", "delta-festival", "am-academie"):
        assert located[commune_only] == ("commune", "area-point"), commune_only  # no sourced point: not invented
    counts = Counter(precision for precision, _ in located.values())
    assert counts["street"] + counts["place"] >= 12  # 4 before the sourced addresses


def test_shipped_layer_is_what_an_offline_build_makes_of_the_shipped_catalogue(data_copy):
    (data_copy / "initiatives.csv").write_bytes((DATA / "initiatives.csv").read_bytes())
    process = run_cli("--offline", "--data", str(data_copy))
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "33 initiatives écrites" in out and "lieu                               5" in out
    rebuilt, shipped = read_layer(data_copy / "initiatives.geojson"), read_layer(DATA / "initiatives.geojson")
    assert rebuilt.drop(columns="position_date").equals(shipped.drop(columns="position_date"))


def test_an_invalid_catalogue_writes_nothing_and_names_row_and_field(data_copy):
    write_catalogue(data_copy, [initiative(), initiative(id="b", commune="Paris", postcode="")])
    (data_copy / "initiatives.geojson").write_text("previous layer", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in data_copy.iterdir()}
    process = run_cli("--offline", "--data", str(data_copy))
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "ligne 3, champ « commune » : « Paris » n'est pas une des 92 communes" in err
    assert "Traceback" not in err
    assert {p.name: p.read_bytes() for p in data_copy.iterdir()} == before


def test_a_killed_build_keeps_its_cache_and_resumes_where_it_stopped(data_copy, stub):
    addresses = [f"{n} place Sadi-Carnot" for n in range(1, 9)]
    write_catalogue(data_copy, [initiative(id=f"r{n}", address=a) for n, a in enumerate(addresses)])
    stub.script("ban", Reply(ban_answer("1 Place Sadi Carnot 13002 Marseille", 43.29938, 5.37128), delay=0.3))
    urls = ("--ban-url", f"{stub.url}/ban", "--nominatim-url", f"{stub.url}/nominatim")
    cache = data_copy / "geocode_cache.json"
    process = run_cli("--data", str(data_copy), *urls)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and stub.count("ban") < 3:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)
    journal = data_copy / "geocode_cache.json.journal"  # answers are appended as they come
    kept = [line for line in journal.read_text(encoding="utf-8").splitlines() if line.endswith("]")]
    assert 2 <= len(kept) < len(addresses)
    assert not cache.exists()  # the cache file itself is written once, at the end of a build
    assert not (data_copy / "initiatives.geojson").exists()
    assert not [p.name for p in data_copy.iterdir() if p.name.endswith(".tmp")]

    stub.requests.clear()
    stub.script("ban", Reply(ban_answer("1 Place Sadi Carnot 13002 Marseille", 43.29938, 5.37128)))
    process = run_cli("--data", str(data_copy), *urls)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert stub.count("ban") == len(addresses) - len(kept)
    assert f"({len(kept)} depuis le cache)" in out
    assert Counter(f["properties"]["precision"] for f in
                   json.loads((data_copy / "initiatives.geojson").read_text())["features"]) == {"address": 8}


def test_a_second_online_build_sends_no_request(data_copy, stub):
    write_catalogue(data_copy, [initiative(id=f"r{n}", address=f"{n} place Sadi-Carnot") for n in range(3)])
    stub.script("ban", Reply(ban_answer("1 Place Sadi Carnot 13002 Marseille", 43.29938, 5.37128)))
    urls = ("--ban-url", f"{stub.url}/ban", "--nominatim-url", f"{stub.url}/nominatim")
    for _ in range(2):
        process = run_cli("--data", str(data_copy), *urls)
        assert process.wait(timeout=60) == 0
    assert len(stub.requests) == 3


def test_offline_build_sends_no_request_even_with_an_empty_cache(data_copy, stub):
    write_catalogue(data_copy, [initiative()])
    process = run_cli("--offline", "--data", str(data_copy),
                      "--ban-url", f"{stub.url}/ban", "--nominatim-url", f"{stub.url}/nominatim")
    assert process.wait(timeout=60) == 0
    assert stub.requests == []


def test_a_crash_mid_write_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    target = tmp_path / "initiatives.geojson"
    target.write_text("previous version", encoding="utf-8")

    def power_cut(fd):
        raise OSError("disk unplugged")

    monkeypatch.setattr(os, "fsync", power_cut)
    with pytest.raises(OSError, match="disk unplugged"):
        atomic_write_text(target, "new version that never lands")
    assert target.read_text(encoding="utf-8") == "previous version"
    assert [p.name for p in tmp_path.iterdir()] == ["initiatives.geojson"]
