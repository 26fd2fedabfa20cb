"""A third source, the Ville d'Aix-en-Provence's places (ANCT mednum-cli, 31 January 2024): a connector, its
registry line and this test; a place the regional ANCT file lists too appears once, naming both sources."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from geo.chain import OUTLINE_TOLERANCE_M, data_chain
from geo.layer import read_layer
from geo.sources import aix_en_provence, datasets, mediation_numerique
from geo.sources.duplicates import merged, same_places
from tests.conftest import AIX_SIZE, DATA, REFERENCE_FILES

RAW = DATA / aix_en_provence.DATASET.raw_file
PUBLISHED = {key: d.published for key, d in datasets().items()}
SHORT = {key: d.short for key, d in datasets().items()}


@pytest.fixture(scope="module")
def both():
    layers = [read_layer(DATA / d.DATASET.layer_file) for d in (mediation_numerique, aix_en_provence)]
    return pd.concat(layers, ignore_index=True)


def test_the_connector_rebuilds_the_shipped_layer_every_place_in_aix(tmp_path, territory):
    folder = tmp_path / "data"
    (folder / "sources").mkdir(parents=True)
    for name in REFERENCE_FILES:
        (folder / name).write_bytes((DATA / name).read_bytes())
    (folder / aix_en_provence.DATASET.raw_file).write_bytes(RAW.read_bytes())
    report = aix_en_provence.build(folder, territory, data_chain(folder, territory))
    assert report.written == AIX_SIZE == len(json.loads(RAW.read_text(encoding="utf-8"))) == 38
    assert report.dropped == [] and report.with_hours == 16
    rebuilt, shipped = (read_layer(path / aix_en_provence.DATASET.layer_file) for path in (folder, DATA))
    assert rebuilt.drop(columns="position_date").equals(shipped.drop(columns="position_date"))
    aix = territory.by_name("Aix-en-Provence")
    for row in rebuilt.itertuples():
        assert row.commune == "Aix-en-Provence" and row.dataset == "aix-en-provence" and row.provider == "source"
        assert territory.contains(aix, row.lat, row.lon, OUTLINE_TOLERANCE_M), row.id


def test_no_telephone_or_email_is_shipped_or_shown():
    records = json.loads(RAW.read_text(encoding="utf-8"))
    assert not any({"telephone", "courriel", "courriels"} & set(record) for record in records)
    layer = (DATA / aix_en_provence.DATASET.layer_file).read_text(encoding="utf-8")
    assert "@" not in layer and "+33" not in layer


def test_a_place_both_sources_list_is_shown_once_naming_both(both):
    shown, folded = merged(both, PUBLISHED, SHORT)
    assert len(shown) == len(both) - folded and folded == len(same_places(both, PUBLISHED)) > 0
    [luynes] = shown[shown["name"].str.contains("Luynes")].to_dict("records")  # two ANCT entries, one place
    assert luynes["dataset"] == "aix-en-provence"  # the later file stands
    assert "aussi publié par : ANCT, mai 2023 (« Mairie annexe de Luynes ») ; ANCT, mai 2023 " \
           "(« Mairie De Quartier : Luynes »)" in luynes["source"]


def test_two_services_in_one_building_stay_two_places(both):
    shown, _ = merged(both, PUBLISHED, SHORT)
    names = set(shown["name"])
    # The CCAS stands 5 m from the mairie de quartier d'Encagnane: another service, kept; the ANCT's entry for
    # that mairie (10 m away) is the Ville's own, folded into it.
    assert {"CCAS", "Mairie de Quartier - Encagnane-Corsy"} <= names and "Mairie de quartier d'encagnane" not in names


def test_the_later_source_stands_whatever_the_order_and_the_catalogue_is_never_merged():
    rows = pd.DataFrame([
        {"dataset": "aix-en-provence", "name": "Mairie de Quartier - Luynes", "lat": 43.4700, "lon": 5.4100,
         "source": "Aix"},
        {"dataset": "mediation-numerique", "name": "Mairie annexe de Luynes", "lat": 43.4701, "lon": 5.4100,
         "source": "ANCT"},
        {"dataset": "catalogue", "name": "Luynes solidaire", "lat": 43.4700, "lon": 5.4101, "source": "équipe"},
    ])
    for table in (rows, rows.iloc[::-1]):
        shown, folded = merged(table, {**PUBLISHED, "catalogue": ""}, SHORT)
        assert folded == 1 and sorted(shown["dataset"]) == ["aix-en-provence", "catalogue"]
