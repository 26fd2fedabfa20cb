"""Import from data·inclusion: the hub's two files (structures, services) through one connector, tested on
files built from the schema's own examples (the ``examples`` of each field of the PyPI models), placed in the
métropole for the test."""

from __future__ import annotations

import json
import shutil

from data_inclusion.schema.v1 import Service, Structure

from geo.chain import data_chain
from geo.layer import read_layer
from geo.sources import data_inclusion
from tests.conftest import DATA, REFERENCE_FILES

# Where the fixture is (the examples name no place): a real street of Marseille 1er, for the test only.
IN_MARSEILLE = {"commune": "Marseille", "code_postal": "13001", "code_insee": "13201",
                "adresse": "37 boulevard National", "latitude": 43.3064, "longitude": 5.3845}


def examples(model) -> dict:
    """One record made of the first example of each field the schema gives one for."""
    return {name: field.examples[0] for name, field in model.model_fields.items() if field.examples}


def test_the_hubs_files_enter_the_map_through_their_connector(tmp_path, territory):
    structure = {**examples(Structure), **IN_MARSEILLE}
    service = {**examples(Service), **IN_MARSEILLE, "structure_id": structure["id"]}
    Structure.model_validate(structure)  # the fixture is valid data·inclusion
    Service.model_validate(service)
    folder = tmp_path / "data"
    (folder / data_inclusion.DATASET.raw_file).mkdir(parents=True)
    for name in REFERENCE_FILES:
        shutil.copy(DATA / name, folder / name)
    for name, records in (("structures.json", [structure]), ("services.json", [service])):
        (folder / data_inclusion.DATASET.raw_file / name).write_text(
            json.dumps(records, ensure_ascii=False, default=str), encoding="utf-8")
    report = data_inclusion.build(folder, territory, data_chain(folder, territory))
    assert report.written == 1 and report.with_hours == 1
    (row,) = read_layer(folder / data_inclusion.DATASET.layer_file).to_dict("records")
    assert row["id"] == "di-emplois-de-linclusion--17" and row["name"] == "Centre social Le Tournesol"
    assert row["category"] == "mediation-numerique" and "droits-des-femmes" in row["themes"]  # from its service
    assert row["commune"] == "Marseille" and row["precision"] != "commune"
    assert row["opening_hours"] == "Mo-Fr 08:30-12:30; PH off" and row["fees"] == "Gratuit"
    assert "Atelier insertion et posture professionnelle" in row["description"]
    assert "Maîtrise de la langue française" in row["access"] and row["accessibility"].startswith("Fiche Acceslibre")
    assert "fiche mise à jour le 2025-02-14" in row["source"]
    shipped = (folder / data_inclusion.DATASET.layer_file).read_text(encoding="utf-8")
    assert "+33123456789" not in shipped and "exemple@inclusion.gouv.fr" not in shipped  # no contact data


def test_a_structure_outside_the_metropole_is_left_out(tmp_path, territory):
    structure = {**examples(Structure), "commune": "Paris", "code_postal": "75001", "code_insee": "75101"}
    folder = tmp_path / "data"
    (folder / data_inclusion.DATASET.raw_file).mkdir(parents=True)
    for name in REFERENCE_FILES:
        shutil.copy(DATA / name, folder / name)
    (folder / data_inclusion.DATASET.raw_file / "structures.json").write_text(json.dumps([structure], default=str))
    (folder / data_inclusion.DATASET.raw_file / "services.json").write_text("[]")
    report = data_inclusion.build(folder, territory, data_chain(folder, territory))
    assert report.written == 0 and any("hors de la Métropole" in line for line in report.dropped)
