"""What we publish validates against the national schemas with their own validators: data·inclusion's pydantic
models (PyPI ``data-inclusion-schema``), frictionless against the ANCT standard's ``schema.json``, and a
JSON-LD parser (extruct) for the schema.org object of a ``?fiche=`` page (tests/e2e/test_links_browser.py)."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from data_inclusion.schema.v1 import Public, Service, Structure, Thematique, TypeService

from geo.layer import read_layer
from geo.sources import datasets
from geo.sources.duplicates import sources_shown
from geo.standards import LEFT_OUT_FILE, Known, anct, data_inclusion, schema_org
from geo.standards.formats import FORMATS
from tests.conftest import CATALOGUE_SIZE, DATA, REPO_DIR, SOURCES_SHOWN, TOTAL, initiative

ANCT_SCHEMA = REPO_DIR / "tests" / "schemas" / "lieux-mediation-numerique_v1.0.2" / "schema.json"
STRICT = {"ignore_warnings": False}  # the schema's warnings (a name ending with a full stop) count too


def shown_map(store) -> pd.DataFrame:
    """What the map shows: the store's catalogue and the shipped source layers, each place once."""
    sources = [read_layer(DATA / d.layer_file) for key, d in datasets().items() if key != "catalogue"]
    return pd.concat([store.layer_table()[1], sources_shown(sources)[0]], ignore_index=True)


def test_the_data_inclusion_export_of_the_map_validates_with_the_schemas_own_models(store):
    table = shown_map(store)
    assert len(table) == TOTAL
    result = data_inclusion.publish(table, Known(store.modified(), datasets()))
    structures, services = result.records["structures"], result.records["services"]
    for structure in structures:
        Structure.model_validate(structure, context=STRICT)
    for service in services:
        Service.model_validate(service, context=STRICT)
    assert len(structures) == len(services) == TOTAL - len(result.left_out) == 232
    assert {s["structure_id"] for s in services} == {s["id"] for s in structures}
    reasons = "\n".join(result.left_out)
    assert "Le Prix des Possibles (prix-des-possibles-2023) : prix / label, pas un lieu où se rendre" in reasons
    assert "(ceremonie-prix-des-possibles-2023) : initiative terminée" in reasons
    by_id = {s["id"]: s for s in structures}
    republique = by_id["carte-des-possibles--le-republique"]
    assert republique["x_precision_position"] == "street" and republique["code_postal"] == "13002"
    assert republique["date_maj"] == store.modified()["le-republique"].isoformat()
    assert by_id["aix-en-provence--aix-2"]["date_maj"] == "2024-01-31"  # a source's row: its file's date
    meals = next(s for s in services if s["structure_id"] == republique["id"])
    assert meals["type"] == "aide-materielle" and meals["frais"] == "payant" and "1 €" in meals["frais_precisions"]
    assert meals["thematiques"] == ["equipement-et-alimentation--alimentation", "remobilisation--lien-social"]
    at_commune = [s for s in structures if s["x_precision_position"] == "commune"]
    assert at_commune and all("latitude" not in s for s in at_commune)  # a commune's centre is not the place


def test_the_mapping_names_only_values_the_schema_knows():
    assert set(data_inclusion.THEMATIQUES.values()) <= {t.value for t in Thematique}
    assert set(data_inclusion.PUBLICS.values()) <= {p.value for p in Public}
    assert set(data_inclusion.TYPES.values()) <= {t.value for t in TypeService}


def test_an_undated_catalogue_row_is_left_out_and_says_why(store):
    result = data_inclusion.publish(shown_map(store), Known({}, datasets()))
    undated = [line for line in result.left_out if line.endswith("date de dernière modification inconnue")]
    assert len(undated) == CATALOGUE_SIZE - 14  # every catalogue place but those left out for another reason
    assert len(result.records["structures"]) == SOURCES_SHOWN


def validate_anct(folder: Path) -> object:
    from frictionless import Resource, Schema

    schema = Schema.from_descriptor(json.loads(ANCT_SCHEMA.read_text(encoding="utf-8")))
    return Resource(path=anct.CSV_FILE, basepath=str(folder), schema=schema).validate()


def test_the_anct_export_validates_with_frictionless_against_the_standards_schema(store, tmp_path):
    table = shown_map(store)
    digital = initiative(id="atelier-numerique", name="Atelier numérique du Panier", category="association",
                         themes="numerique; inclusion", address="10 rue du Panier", postcode="13002")
    homeless = initiative(id="sans-adresse", name="Aide numérique sans adresse", category="association",
                          themes="numerique", address="", postcode="")
    extra = pd.DataFrame([{**row, "themes": row["themes"].split("; "), "dataset": "catalogue", "lat": 43.3,
                           "lon": 5.37, "precision": "address"} for row in (digital, homeless)])
    known = Known({**store.modified(), "atelier-numerique": dt.date(2026, 11, 2), "sans-adresse": dt.date(2026, 11, 2)},
                  datasets())
    result = anct.publish(pd.concat([table, extra], ignore_index=True), known)
    for name, content in anct.files(result).items():
        (tmp_path / name).write_bytes(content)
    report = validate_anct(tmp_path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    places = result.records["lieux"]
    assert len(places) == SOURCES_SHOWN + 1 == 214
    assert "Aide numérique sans adresse (sans-adresse) : adresse et code postal inconnus (requis par le standard)" \
        in result.left_out
    assert "Le République (le-republique) : pas un lieu de médiation numérique" in result.left_out
    assert (tmp_path / LEFT_OUT_FILE).read_text(encoding="utf-8").count("\n") == len(result.left_out)
    ours = next(p for p in places if p["id"] == "atelier-numerique")
    assert ours["pivot"] == anct.NO_PIVOT and ours["source"] == "Carte des Possibles"
    assert ours["date_maj"] == "2026-11-02"


def test_the_standards_own_example_passes_and_a_row_it_refuses_fails(tmp_path):
    """The validator is not a formality: the standard's example passes, a postcode of four digits fails."""
    (tmp_path / anct.CSV_FILE).write_bytes((ANCT_SCHEMA.parent / "exemple-valide.csv").read_bytes())
    assert validate_anct(tmp_path).valid
    row = {field: "" for field in anct.FIELDS} | {"id": "x", "pivot": anct.NO_PIVOT, "nom": "Lieu", "commune": "Aix",
                                                   "code_postal": "1310", "adresse": "1 rue", "date_maj": "2026-01-01"}
    (tmp_path / anct.CSV_FILE).write_bytes(anct.files(anct.Published({"lieux": [row]}))[anct.CSV_FILE])
    assert not validate_anct(tmp_path).valid


def test_the_command_line_writes_both_standards_for_the_whole_map(tmp_path):
    folder = tmp_path / "données"
    import shutil

    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("*.sqlite*", "backups"))
    for name in FORMATS:
        answer = subprocess.run([sys.executable, "-m", "geo", "export", "--format", name, "--data", str(folder)],
                                capture_output=True, text=True, timeout=120)
        assert answer.returncode == 0 and "Traceback" not in answer.stderr, answer.stderr
        assert "non exportée(s)" in answer.stdout
    out = folder / "export-data-inclusion"
    structures = json.loads((out / "structures.json").read_text(encoding="utf-8"))
    assert len(structures) == 232 and all(Structure.model_validate(s, context=STRICT) for s in structures)
    assert validate_anct(folder / "export-anct").valid


def test_the_download_is_the_zip_of_the_standards_files(store):
    content = FORMATS["data-inclusion"].download(shown_map(store), Known(store.modified(), datasets()))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert sorted(archive.namelist()) == sorted(["structures.json", "services.json", LEFT_OUT_FILE])
        assert len(json.loads(archive.read("services.json"))) == 232


def place_row(**values) -> dict:
    return {**initiative(), "themes": ["alimentation"], "lat": 43.29936, "lon": 5.37134, "precision": "address",
            "dataset": "catalogue", **values}


def test_the_json_ld_gives_the_week_as_it_is_holidays_closed_and_unknown_days_left_out():
    data = schema_org.place(place_row(opening_hours="Mo-Fr 12:00-14:00; PH off"), dt.date(2026, 12, 21))
    assert data["@type"] == "Restaurant" and data["address"]["postalCode"] == "13002"
    days = [(s["validFrom"], s["opens"], s["closes"]) for s in data["openingHoursSpecification"]]
    assert days == [("2026-12-21", "12:00", "14:00"), ("2026-12-22", "12:00", "14:00"),
                    ("2026-12-23", "12:00", "14:00"), ("2026-12-24", "12:00", "14:00")]  # 25 December: Noël
    unknown = schema_org.place(place_row(opening_hours='Mo-Su unknown "midi et soir"'), dt.date(2026, 12, 21))
    assert "openingHoursSpecification" not in unknown
    late = schema_org.opening_hours("Fr 19:00-24:00", dt.date(2026, 12, 21))
    assert [(s["opens"], s["closes"]) for s in late] == [("19:00", "23:59")]


def test_the_json_ld_script_cannot_be_closed_by_a_name():
    element = schema_org.script(schema_org.place(place_row(name="A </script><script>alert(1)"), dt.date(2026, 1, 5)))
    assert element.count("</script>") == 1 and element.endswith("</script>")
    assert json.loads(element.removeprefix('<script type="application/ld+json">').removesuffix("</script>"))[
        "name"] == "A </script><script>alert(1)"


@pytest.mark.parametrize("category", ["prix-label", "acteur-public"])
def test_what_is_not_a_place_is_an_organisation_without_a_position(category):
    data = schema_org.place(place_row(category=category), dt.date(2026, 1, 5))
    assert data["@type"] == "Organization" and "geo" not in data
