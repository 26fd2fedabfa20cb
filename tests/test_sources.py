"""The second real source: ANCT places of digital mediation, brought in by a connector into its own layer."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from geo.chain import OUTLINE_TOLERANCE_M, GeocodingChain, data_chain
from geo.layer import read_layer
from geo.sources import CATALOGUE, connectors, datasets, mediation_numerique, places
from tests.conftest import ANCT_SIZE, DATA
from tests.test_layer import run_cli

LAYER = DATA / "sources" / "mediation_numerique.geojson"
RAW = DATA / mediation_numerique.DATASET.raw_file
PHONE = re.compile(r"\b0[1-9](?:[ .-]?\d{2}){4}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


@pytest.fixture(scope="module")
def layer():
    return json.loads(LAYER.read_text(encoding="utf-8"))["features"]


def by_name(layer, name):
    return [f for f in layer if f["properties"]["name"] == name]


def test_the_registry_names_the_catalogue_and_each_source():
    assert list(datasets()) == [CATALOGUE.key, "mediation-numerique", "aix-en-provence"]
    assert connectors()["mediation-numerique"] is mediation_numerique


def test_every_place_is_in_the_metropole_in_its_commune_and_arrondissement(layer, territory):
    assert len(layer) == ANCT_SIZE  # the rebuilt layer is the shipped one
    for f in layer:
        lon, lat = f["geometry"]["coordinates"]
        p = f["properties"]
        assert p["dataset"] == "mediation-numerique" and p["category"] == "mediation-numerique"
        area = territory.by_insee(p["insee"])
        assert territory.contains(territory.commune_of(area), lat, lon, OUTLINE_TOLERANCE_M), p["id"]
        assert territory.contains(area, lat, lon, OUTLINE_TOLERANCE_M), p["id"]
    # Saint-Andiol and Verquières share 13760 with Saint-Cannat but are not in the métropole
    assert not any(f["properties"]["commune"] == "Saint-Cannat" for f in layer)


def test_a_wrong_point_is_replaced_from_its_address(layer):
    [zinc] = by_name(layer, "ZINC")  # 41 rue Jobin, Belle de Mai: the source puts it at sea, south of Marseille
    assert zinc["properties"]["insee"] == "13203"
    assert (zinc["properties"]["precision"], zinc["properties"]["provider"]) == ("street", "osm-streets")
    raw = next(r for r in json.loads(RAW.read_text(encoding="utf-8")) if r["nom"] == "ZINC")
    assert zinc["geometry"]["coordinates"] != [raw["longitude"], raw["latitude"]]


def test_a_right_point_is_kept_with_who_produced_it(layer):
    kept = [f for f in layer if f["properties"]["provider"] == "source"]
    assert len(kept) >= 170
    assert all(f["properties"]["precision"] == "address" for f in kept)


def test_no_personal_data_is_republished(layer):
    text = json.dumps(layer, ensure_ascii=False)
    assert "telephone" not in text and "courriels" not in text
    assert not PHONE.search(text) and not EMAIL.search(text)
    assert not by_name(layer, "Axelle Benaich")  # a row named after a person


def test_each_place_cites_its_source_licence_and_date_and_has_readable_fields(layer):
    for f in layer:
        p = f["properties"]
        assert "ANCT" in p["source"] and "Licence Ouverte 2.0" in p["source"] and "17 mai 2023" in p["source"]
        assert p["themes"] and p["description"].startswith("Services : ")
        assert p["year"] == "2023"
    assert sum(bool(f["properties"]["opening_hours"]) for f in layer) == 110
    assert {f["properties"]["fees"] for f in layer} <= {"", "Gratuit", "Payant"}


def test_the_source_command_rebuilds_the_shipped_layer_and_leaves_the_catalogue_alone(data_copy):
    (data_copy / "sources").mkdir()
    shutil.copy(RAW, data_copy / mediation_numerique.DATASET.raw_file)
    (data_copy / "initiatives.csv").write_text("staff edits\n", encoding="utf-8")
    process = run_cli("--data", str(data_copy), args_prefix=("sources",))
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "189 lieux écrits" in out and "ZINC" in out and "nommée d'après une personne" in out
    rebuilt, shipped = read_layer(data_copy / mediation_numerique.DATASET.layer_file), read_layer(LAYER)
    assert rebuilt.drop(columns="position_date").equals(shipped.drop(columns="position_date"))
    assert (data_copy / "initiatives.csv").read_text(encoding="utf-8") == "staff edits\n"


def test_a_staff_save_never_touches_a_source_layer(data_copy, territory):
    from geo.build import build
    from geo.store import CatalogueStore
    from tests.conftest import initiative

    (data_copy / "sources").mkdir()
    shutil.copy(LAYER, data_copy / mediation_numerique.DATASET.layer_file)
    (data_copy / "initiatives.csv").write_bytes((DATA / "initiatives.csv").read_bytes())
    build(data_copy, territory, data_chain(data_copy, territory))
    before = (data_copy / mediation_numerique.DATASET.layer_file).read_bytes()
    CatalogueStore.open(data_copy, territory).add([initiative(id="nouvelle", name="Nouvelle")])
    assert (data_copy / mediation_numerique.DATASET.layer_file).read_bytes() == before


def test_a_record_outside_the_metropole_or_without_point_is_handled(territory, data_copy):
    chain = GeocodingChain(territory, offline=data_chain(data_copy, territory).offline[:-1])
    outside = {"id": "x", "nom": "Mairie", "services": "", "commune": "SAINT-ANDIOL", "code_postal": "13760",
               "adresse": "Place de la mairie", "latitude": 43.835, "longitude": 4.945}
    assert places.area_of(outside, territory) is None
    puyricard = {**outside, "commune": "PUYRICARD", "code_postal": "13540", "latitude": 43.58, "longitude": 5.42}
    assert places.area_of(puyricard, territory).name == "Aix-en-Provence"
    no_point = {"id": "y", "nom": "Point numérique", "services": "Aide aux démarches administratives",
                "commune": "MARSEILLE", "code_postal": "13001", "adresse": "37 boulevard National"}
    area = places.area_of(no_point, territory)
    values = mediation_numerique.values_of(no_point, area, territory)
    position, note = places.locate(no_point, values, area, territory, chain, "l'ANCT")
    assert (position.precision, note) == ("street", "sans coordonnées dans la source")
    assert values["themes"] == "demarches-administratives"


def test_the_shipped_copy_of_the_anct_file_holds_no_telephone_or_e_mail():
    """The ANCT extract sometimes gives a person's direct line or address: the copy in git leaves both fields
    out (the connector never read them); where the original is, data/sources/README.md says."""
    path = DATA / "sources" / "lieux_mediation_numerique_paca_2023-05-17.json"
    places = json.loads(path.read_text(encoding="utf-8"))
    assert len(places) == 646 and not any({"telephone", "courriels"} & set(place) for place in places)
    text = path.read_text(encoding="utf-8")
    # No e-mail address (one inside a booking page's web address is that page's, not a person's contact).
    assert not re.search(r"(?<![/\w.+-])[\w.+-]+@[\w-]+\.[\w.]+", text)
    phone = r"(?:\+33\s?|(?<![\d.-])0)[1-9](?:[ .]?\d\d){4}(?!\d)"  # +33… or 0…, not a coordinate's digits
    assert not re.search(phone, text)


def test_a_record_in_the_current_standard_keeps_how_to_get_help_labels_and_accessibility(territory):
    """The standard v1.0.2's own example row (tests/schemas/), moved into the métropole: what the 2023 file did
    not have (how to come, for whom, adapted help, booking, Acceslibre sheet, labels, itinerant, address
    detail) reaches the entry; its telephone and e-mails do not."""
    import csv

    example = next(csv.DictReader((DATA.parent / "tests" / "schemas" / "lieux-mediation-numerique_v1.0.2" /
                                   "exemple-valide.csv").open(encoding="utf-8")))
    record = {**example, "commune": "MARSEILLE", "code_postal": "13001", "code_insee": "13201",
              "latitude": "", "longitude": ""}
    values = mediation_numerique.values_of(record, places.area_of(record, territory), territory)
    assert values["access"].startswith("Comment venir : se présenter, téléphoner.")
    assert "Publics : jeunes" in values["access"] and "Prise en charge adaptée : surdité" in values["access"]
    assert ("Prendre rendez-vous : " + example["prise_rdv"].split("|")[0]) in values["access"]
    assert values["accessibility"] == "Fiche Acceslibre : " + example["fiche_acces_libre"]
    assert "Labels :" in values["description"] and "Aidants Connect" in values["description"]
    assert "Lieu itinérant" in values["description"]
    assert values["address_note"] == example["complement_adresse"]
    text = json.dumps(values, ensure_ascii=False)
    assert example["telephone"] not in text and not EMAIL.search(text)


def test_a_sources_label_and_date_are_read_from_its_files_name():
    """A refresh drops a newer file: its name's date becomes the label, the rows' date and which source wins."""
    from geo.sources import Dataset

    newer = Dataset("mediation-numerique", "ANCT", "ANCT", "Licence Ouverte 2.0", "sources/x.geojson",
                    raw_file="sources/lieux_mediation_numerique_paca_2026-09-30.json")
    assert (newer.short, newer.published) == ("ANCT, septembre 2026", "2026-09-30")
    assert (mediation_numerique.DATASET.short, mediation_numerique.DATASET.published) == ("ANCT, mai 2023",
                                                                                          "2023-05-17")
    assert "17 mai 2023" in mediation_numerique.SOURCE_TEXT
