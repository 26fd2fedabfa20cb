"""Staff contributions: the bad-file corpus, saves under a lock with backups and undo, nothing lost."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.build import build
from geo.catalogue import read_catalogue
from geo.chain import data_chain
from geo.files import REPO_DIR
from geo.importer import review
from geo.passwords import hash_password, verify_password
from geo.spreadsheet import MAX_BYTES, read_spreadsheet
from geo.store import CatalogueStore, SaveRefused
from tests.conftest import DATA, initiative

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = {
    "01_pipe_separator.csv": ["ligne 1 : colonnes obligatoires absentes"],
    "02_utf16.csv": ["fichier : fichier en UTF-16"],
    # a missing column does not hide the file's other problems
    "03_missing_name_column_and_unknown_commune.csv": ["ligne 1 : colonnes obligatoires absentes : nom (name)",
                                                       "ligne 2, champ « commune » : « Paris » n'est pas une des"],
    "04_unknown_commune.csv": ["ligne 2, champ « commune » : « Paris » n'est pas une des 92 communes"],
    "05_postcode_of_another_commune.csv": ["ligne 2, champ « code postal » : 13600 n'est pas un code postal de "
                                           "Marseille"],
    "06_empty_name.csv": ["ligne 2, champ « nom » : valeur obligatoire manquante"],
    "07_duplicate_of_catalogue.csv": ["ligne 2, champ « nom » : doublon : « Le République » (Marseille) est déjà"],
    "08_duplicate_within_file.csv": ["ligne 3, champ « nom » : doublon de la ligne 2 du fichier"],
    "09_ten_thousand_rows.csv": ["10000 lignes : importez au plus 2000 lignes à la fois"],
    "10_binary_junk.csv": ["fichier : le fichier n'est pas un tableur (contenu binaire)"],
    "11_formula_equals.csv": ["ligne 2, champ « nom » : formule de tableur refusée"],
    "12_formula_at.csv": ["ligne 2, champ « description » : formule de tableur refusée"],
    "13_formula_plus.csv": ["ligne 2, champ « description » : formule de tableur refusée"],
    "14_script_in_website.csv": ["ligne 2, champ « site web » : « <script>alert(1)</script> » n'est pas une "
                                 "adresse web"],
    "15_javascript_url.csv": ["ligne 2, champ « site web » : « javascript:alert(1) »"],
    "16_bad_opening_hours.csv": ["ligne 2, champ « horaires » : « lundi midi » n'est pas au format OpenStreetMap"],
    "17_misspelt_category.csv": ["ligne 2, champ « catégorie » : catégorie inconnue « restaurant solidair » "
                                 "(vouliez-vous dire « restaurant-solidaire » ?)"],
    "18_unknown_theme.csv": ["ligne 2, champ « thèmes » : thème inconnu « cuisine »"],
    "19_bad_year.csv": ["ligne 2, champ « année de la source » : « 20X5 » n'est pas une année valide"],
    "20_short_postcode.csv": ["ligne 2, champ « code postal » : « 1300 » n'est pas un code postal à 5 chiffres"],
    "21_empty_file.csv": ["fichier : le fichier est vide"],
    "22_header_only.csv": ["fichier : aucune initiative dans le fichier"],
    "23_too_many_values.csv": ["ligne 3 : 12 valeurs pour 11 colonnes"],
    "24_broken.xlsx": ["fichier : classeur XLSX illisible"],
    "25_semicolon_bom_unknown_commune.csv": ["ligne 2, champ « commune » : « Marseile » n'est pas une des 92 "
                                             "communes de la Métropole (vouliez-vous dire « Marseille » ?)"],
    "26_windows1252_empty_source.csv": ["ligne 2, champ « source » : valeur obligatoire manquante"],
    "27_existing_id.csv": ["ligne 2, champ « identifiant » : l'identifiant « le-republique » existe déjà"],
    "28_xlsx_misspelt_commune_and_formula.xlsx": [
        "ligne 2, champ « commune » : « Aix en Provance » n'est pas une des 92 communes de la Métropole "
        "(vouliez-vous dire « Aix-en-Provence » ?)",
        "ligne 3, champ « description » : formule de tableur refusée"],
}


def fingerprint(folder: Path) -> dict[str, str]:
    """Hashes of the data files (the empty lock file a save takes is not data)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file() and p.name != ".catalogue.lock"}


@pytest.fixture
def store(data_copy, territory) -> CatalogueStore:
    (data_copy / "initiatives.csv").write_bytes((DATA / "initiatives.csv").read_bytes())
    build(data_copy, territory, data_chain(data_copy, territory))
    return CatalogueStore(data_copy, territory)


def test_the_corpus_has_at_least_25_bad_files_and_each_is_expected():
    files = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".xlsx"))
    assert len(files) >= 25
    assert files == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_gets_row_level_messages_and_changes_nothing(name, store, territory):
    before = fingerprint(store.folder)
    accepted, problems = review((CORPUS / name).read_bytes(), store.rows(), territory)
    messages = [str(p) for p in problems]
    for expected in EXPECTED[name]:
        assert any(expected in message for message in messages), messages
    assert accepted == []  # all or nothing: a file with a problem adds no row
    assert fingerprint(store.folder) == before


def test_an_invalid_change_is_refused_by_the_store_and_writes_nothing(store):
    before = fingerprint(store.folder)
    with pytest.raises(SaveRefused, match="n'est pas une des 92 communes"):
        store.add([initiative(id="ailleurs", commune="Paris", postcode="")])
    assert fingerprint(store.folder) == before and not (store.folder / "backups").exists()


def test_a_file_over_the_size_limit_is_refused_before_reading():
    _, problems = read_spreadsheet(b"name;category\n" + b"x" * (MAX_BYTES + 1))
    assert "fichier trop volumineux" in str(problems[0])


def test_a_valid_spreadsheet_is_imported_saved_and_built(store, territory):
    data = (CORPUS / "17_misspelt_category.csv").read_bytes().replace(b"restaurant solidair", b"restaurant-solidaire")
    accepted, problems = review(data, store.rows(), territory)
    assert problems == [] and accepted[0].values["id"] == "cantine-du-panier"
    report = store.add([row.values for row in accepted])
    assert sum(report.precisions.values()) == 34
    layer = json.loads((store.folder / "initiatives.geojson").read_text(encoding="utf-8"))
    added = next(f for f in layer["features"] if f["id"] == "cantine-du-panier")
    assert added["properties"]["precision"] == "street"  # "10 rue du Panier", from the street index
    assert added["properties"]["opening_hours"] == "Mo-Fr 12:00-14:00"
    assert len(store.backups()) == 1


def test_every_save_keeps_a_backup_and_undo_restores_it(store):
    original = store.path.read_bytes()
    store.update("le-republique", {"description": "Repas à 1 € (mis à jour)."})
    store.delete("skola")
    assert len(store.backups()) == 2
    store.restore_previous()
    assert any(row["id"] == "skola" for row in store.rows())
    store.restore_previous()
    assert store.path.read_bytes() == original


def test_a_manual_position_is_kept_over_geocoding(store):
    store.set_position("coco-velten", 43.30168, 5.37559)
    layer = json.loads((store.folder / "initiatives.geojson").read_text(encoding="utf-8"))
    moved = next(f for f in layer["features"] if f["id"] == "coco-velten")
    assert moved["geometry"]["coordinates"] == [5.37559, 43.30168]
    assert (moved["properties"]["precision"], moved["properties"]["provider"]) == ("manual", "manual")
    with pytest.raises(SaveRefused, match="pas dans Marseille"):
        store.set_position("coco-velten", 43.17, 5.60)  # La Ciotat


SAVER = """
import sys
from geo.store import CatalogueStore
from geo.territory import load_territory
from tests.conftest import initiative
folder, identifier = sys.argv[1], sys.argv[2]
CatalogueStore(folder, load_territory()).add([initiative(id=identifier, name=identifier, address="")])
"""


def test_two_concurrent_saves_both_keep_their_rows(store):
    processes = [subprocess.Popen([sys.executable, "-c", SAVER, str(store.folder), name], cwd=REPO_DIR)
                 for name in ("premiere-equipe", "seconde-equipe")]
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    ids = {row["id"] for row in store.rows()}
    assert {"premiere-equipe", "seconde-equipe"} <= ids
    layer = json.loads((store.folder / "initiatives.geojson").read_text(encoding="utf-8"))
    assert {"premiere-equipe", "seconde-equipe"} <= {f["id"] for f in layer["features"]}


BIG_SAVER = """
import sys
from geo.store import CatalogueStore
from geo.territory import load_territory
from tests.conftest import initiative
store = CatalogueStore(sys.argv[1], load_territory())
store.add([initiative(id=f"ajout-{n}", name=f"Ajout {n}", address=f"{n} rue Paradis") for n in range(1500)])
"""


def test_a_save_killed_inside_its_write_leaves_the_last_good_version(store, territory):
    good_csv = store.path.read_bytes()
    good_layer = (store.folder / "initiatives.geojson").read_bytes()
    env = {**os.environ, "CARTE_HOLD_WRITE": "initiatives.csv"}  # the saver stops right before its rename
    process = subprocess.Popen([sys.executable, "-c", BIG_SAVER, str(store.folder)], cwd=REPO_DIR, env=env)
    held = None
    deadline = time.monotonic() + 120
    while held is None and time.monotonic() < deadline and process.poll() is None:
        held = next(store.folder.glob(".initiatives.csv.*.tmp.held"), None)
        time.sleep(0.05)  # polling for the hold point, not hoping a kill lands in time
    assert held is not None, "the save never reached its write"
    new_version = held.with_name(held.name.removesuffix(".held"))
    assert len(new_version.read_text(encoding="utf-8").splitlines()) == 1 + 33 + 1500  # complete, not renamed
    process.send_signal(signal.SIGKILL)  # inside the critical section
    process.wait(timeout=30)
    assert store.path.read_bytes() == good_csv  # the last good version, whole
    assert (store.folder / "initiatives.geojson").read_bytes() == good_layer
    rows, problems = read_catalogue(store.path, territory)
    assert problems == [] and len(rows) == 33
    store.add([initiative(id="apres", name="Après")])  # the next save cleans what the kill left
    assert not [p.name for p in store.folder.iterdir() if ".tmp" in p.name]


def test_passwords_are_hashed_and_checked_in_constant_time():
    stored = hash_password("correct horse")
    assert stored.startswith("scrypt$") and "correct horse" not in stored
    assert verify_password("correct horse", stored)
    assert not verify_password("wrong", stored)
    assert not verify_password("correct horse", "not-a-hash")
    assert not verify_password("correct horse", None)


def test_csv_read_back_is_what_was_written(store):
    store.add([initiative(id="virgules", name='Nom, avec "guillemets"; et point-virgule', address="")])
    with open(store.path, encoding="utf-8", newline="") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    assert 'Nom, avec "guillemets"; et point-virgule' in names
    assert os.path.getsize(store.path) > 0


REAL_WORLD = (
    "Nom;Catégorie;Thèmes;Description;Adresse;Code postal;Commune;Site web;Remarque interne\r\n"
    "Cantine des Carmes;RESTAURANT SOLIDAIRE;Alimentation, Insertion;Repas à 1 €.;2 rue des Carmes;13 002;"
    "marseille 2e;https://example.org;à rappeler\r\n"
    "Atelier vélo;projet solidaire;education;Réparation.;;13.600;la ciotat;;\r\n"
    "Point femmes;Association;droits des femmes;Accueil.;;;Marseille 1er arrondissement;;\r\n"
    "Jardin partagé;Projet Solidaire;Agriculture urbaine;Jardin.;;;St Chamas;;\r\n"
)


def test_a_spreadsheet_as_staff_really_write_it_is_accepted(store, territory):
    result = review(REAL_WORLD.encode("cp1252"), store.rows(), territory,
                    source="Import de l'équipe du 22/11/2026 — nouvelles.csv")
    assert result.problems == []
    rows = {row.values["name"]: row.values for row in result.accepted}
    assert rows["Cantine des Carmes"]["category"] == "restaurant-solidaire"
    assert rows["Cantine des Carmes"]["themes"] == "alimentation; insertion"
    assert (rows["Cantine des Carmes"]["commune"], rows["Cantine des Carmes"]["insee"],
            rows["Cantine des Carmes"]["postcode"]) == ("Marseille", "13202", "13002")
    assert (rows["Atelier vélo"]["commune"], rows["Atelier vélo"]["postcode"]) == ("La Ciotat", "13600")
    assert rows["Point femmes"]["insee"] == "13201" and rows["Point femmes"]["themes"] == "droits-des-femmes"
    assert rows["Jardin partagé"]["commune"] == "Saint-Chamas"
    assert {row["source"] for row in rows.values()} == {"Import de l'équipe du 22/11/2026 — nouvelles.csv"}
    assert result.defaulted_source == 4 and result.ignored_columns == ("Remarque interne",)


def test_the_default_source_names_the_day_and_the_file():
    import datetime as dt

    from geo.importer import default_source

    assert default_source("liste.xlsx", dt.date(2026, 11, 22)) == "Import de l'équipe du 22/11/2026 — liste.xlsx"


def test_a_workbook_of_300_000_rows_is_refused_without_reading_it_all(store, territory):
    import io
    import zipfile

    row = '<row><c t="inlineStr"><is><t>Cantine</t></is></c></row>'
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData>' + row.replace("Cantine", "nom") + row * 300_000
             + "</sheetData></worksheet>")
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    data = buffer.getvalue()
    assert len(data) < MAX_BYTES  # small on the wire
    _, problems = review(data, store.rows(), territory)
    assert [str(p) for p in problems] == ["fichier : plus de 2000 lignes : importez au plus 2000 lignes à la fois"]
