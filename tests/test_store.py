"""The catalogue store, on a real SQLite file and a real PostgreSQL server (each test runs on both): every
save one transaction, a history that can be restored at any version, conflicts refused, nothing lost."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from geo import clock, database
from geo.files import REPO_DIR
from geo.importer import review
from geo.layer import read_layer
from geo.selection import prepare
from geo.store import CatalogueStore, Conflict, SaveRefused
from tests.conftest import CATALOGUE_SIZE, DATA, initiative

CORPUS = Path(__file__).parent / "corpus"


def layer(store) -> dict[str, dict]:
    return {row["id"]: row for row in store.layer_table()[1].to_dict("records")}


def state(store) -> tuple:
    return store.version(), store.rows(), store.manual_positions(), layer(store)


def test_the_migrated_schema_is_the_one_the_code_uses(store):
    with store.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), database.metadata) == []
    assert database.current(store.engine) == database.head()


def test_a_new_database_is_filled_from_the_shipped_catalogue_and_draws_the_shipped_layer(store):
    shipped = read_layer(DATA / "initiatives.geojson").sort_values("id").reset_index(drop=True)
    store.layer_table()  # the seeded rows, handed over: the next read is the database's
    version, table = store.layer_table()
    table = table.sort_values("id").reset_index(drop=True)
    assert version == 1 and len(table) == CATALOGUE_SIZE
    assert table[shipped.columns].to_dict("records") == shipped.to_dict("records")
    (seed,) = store.history()
    assert (seed.number, seed.action) == (1, "seed") and "33 initiatives" in seed.summary


def _statements(engine: sa.Engine, read) -> tuple[object, list[str]]:
    said: list[str] = []

    def listen(connection, cursor, statement, *_):
        said.append(statement)

    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        return read(), said
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)


def test_the_first_read_after_a_seed_takes_the_rows_just_written_and_they_are_the_databases(store):
    (version, handed), said = _statements(store.engine, store.layer_table)
    assert not [statement for statement in said if "FROM initiatives" in statement]  # not fetched back
    (again, read), said = _statements(store.engine, store.layer_table)
    assert again == version == 1 and [statement for statement in said if "FROM initiatives" in statement]
    handed, read = (prepare(table).sort_values("id", ignore_index=True).drop(columns="row") for table in (handed, read))
    pd.testing.assert_frame_equal(handed, read)


def test_a_write_between_the_seed_and_the_first_read_is_read_from_the_database(store):
    store.update("le-republique", {"description": "Écrit par un autre serveur."}, "Camille")
    version, table = store.layer_table()
    assert version == 2 and table.set_index("id").loc["le-republique", "description"] == "Écrit par un autre serveur."


def test_servers_starting_together_seed_once(store, database_url):
    script = ("import sys; from geo.store import CatalogueStore; from geo.territory import load_territory;"
              "CatalogueStore.open(sys.argv[1], load_territory(), sys.argv[2])")
    fresh = database_url.replace("catalogue.sqlite", "autre.sqlite") if database_url.startswith("sqlite") else None
    if fresh is None:  # PostgreSQL: empty the schema the fixture made, then start three at once
        database.metadata.drop_all(store.engine)
        with store.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE alembic_version"))
        fresh = database_url
    processes = [subprocess.Popen([sys.executable, "-c", script, str(store.folder), fresh], cwd=REPO_DIR)
                 for _ in range(3)]
    assert [p.wait(timeout=120) for p in processes] == [0, 0, 0]
    other = CatalogueStore(database.make_engine(fresh), store.territory, store.folder)
    assert [r.action for r in other.history()] == ["seed"] and len(other.rows()) == CATALOGUE_SIZE
    other.engine.dispose()


def test_an_invalid_change_is_refused_and_changes_nothing(store):
    before = state(store)
    with pytest.raises(SaveRefused, match="n'est pas une des 92 communes"):
        store.add([initiative(id="ailleurs", commune="Paris", postcode="")])
    with pytest.raises(SaveRefused, match="existe déjà"):
        store.add([initiative()])  # le-republique is in the catalogue
    with pytest.raises(SaveRefused, match="année"):
        store.update("skola", {"year": "20X5"})
    assert state(store) == before


def test_a_valid_spreadsheet_is_imported_in_one_revision_and_published(store, territory):
    data = (CORPUS / "17_misspelt_category.csv").read_bytes().replace(b"restaurant solidair", b"restaurant-solidaire")
    accepted, problems = review(data, store.rows(), territory)
    assert problems == [] and accepted[0].values["id"] == "cantine-du-panier"
    saved = store.add([row.values for row in accepted], "Camille", action="import")
    assert (saved.version, saved.total) == (2, 34)
    added = layer(store)["cantine-du-panier"]
    assert added["precision"] == "street"  # "10 rue du Panier", from the street index
    assert added["opening_hours"] == "Mo-Fr 12:00-14:00"
    last = store.history()[0]
    assert (last.number, last.author, last.action) == (2, "Camille", "import")
    assert last.changes == [{"kind": "initiative", "id": "cantine-du-panier", "before": None,
                             "after": accepted[0].values}]


def test_restoring_a_revision_three_steps_back_brings_back_rows_positions_and_map(store):
    original = state(store)
    store.update("le-republique", {"description": "Repas à 1 € (mis à jour)."}, "A")  # 2
    store.set_position("coco-velten", 43.30168, 5.37559, "B")  # 3
    store.delete("skola", "C")  # 4
    store.add([initiative(id="nouvelle", name="Nouvelle", address="")], "D")  # 5
    assert store.version() == 5 and "skola" not in layer(store)
    saved = store.restore(1, "E")
    assert saved.version == 6 and store.history()[0].action == "restore"
    _, rows, manual, drawn = state(store)
    assert _without_revisions(rows) == _without_revisions(original[1])
    # Rows deleted or corrected since are located again: same place, dated the day of the restore.
    assert _undated(drawn) == _undated(original[3]) and manual == {} and "nouvelle" not in drawn
    relocated = {i for i in drawn if drawn[i]["position_date"] != original[3][i]["position_date"]}
    assert relocated == {"skola", "coco-velten"}
    assert {drawn[i]["position_date"] for i in relocated} == {clock.today().isoformat()}
    store.restore(3, "F")  # the restore is a revision: it can be undone in turn, to any version
    assert store.manual_positions().keys() == {"coco-velten"}
    assert layer(store)["coco-velten"]["precision"] == "manual"
    assert layer(store)["le-republique"]["description"] == "Repas à 1 € (mis à jour)."
    assert "skola" in layer(store) and "nouvelle" not in layer(store)


def _undated(drawn: dict[str, dict]) -> dict[str, dict]:
    return {i: {k: v for k, v in row.items() if k != "position_date"} for i, row in drawn.items()}


def _without_revisions(rows) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "revision"} for r in rows]


def test_an_edit_from_a_stale_revision_is_refused_and_the_first_edit_kept(store):
    opened = store.row("le-republique")["revision"]  # two people open the same initiative
    shipped = store.row("le-republique")["award"]
    store.update("le-republique", {"description": "Première équipe."}, "Camille", expected_revision=opened)
    with pytest.raises(Conflict, match="a été modifiée par Camille le"):
        store.update("le-republique", {"award": "Prix de test"}, "Dominique", expected_revision=opened)
    row = store.row("le-republique")
    assert (row["description"], row["award"], row["revision"]) == ("Première équipe.", shipped, opened + 1)


def test_editing_or_deleting_an_initiative_deleted_meanwhile_is_a_conflict_not_a_success(store):
    opened = store.row("skola")["revision"]
    store.delete("skola", "Camille", expected_revision=opened)
    before = state(store)
    with pytest.raises(Conflict, match="supprimée par Camille"):
        store.update("skola", {"description": "Texte."}, "Dominique", expected_revision=opened)
    with pytest.raises(Conflict, match="supprimée"):
        store.delete("skola", "Dominique", expected_revision=opened)
    assert state(store) == before


def test_a_manual_position_is_kept_over_geocoding_and_checked_against_the_commune(store):
    store.set_position("coco-velten", 43.30168, 5.37559, "Camille")
    moved = layer(store)["coco-velten"]
    assert (moved["lat"], moved["lon"], moved["precision"], moved["provider"]) == (43.30168, 5.37559, "manual",
                                                                                   "manual")
    store.update("coco-velten", {"description": "Autre texte."})  # an edit keeps the corrected position
    assert layer(store)["coco-velten"]["precision"] == "manual"
    with pytest.raises(SaveRefused, match="pas dans Marseille"):
        store.set_position("coco-velten", 43.17, 5.60)  # La Ciotat


def test_a_failure_inside_a_save_rolls_everything_back(store, monkeypatch):
    before = state(store)

    def broken(self, *args, **kwargs):
        raise OSError("disque plein")
    monkeypatch.setattr("geo.chain.GeocodingChain.locate", broken)
    with pytest.raises(OSError):
        store.add([initiative(id="nouvelle", name="Nouvelle", address="3 rue Paradis", postcode="13001",
                              insee="13201")])
    assert state(store) == before


SAVER = """
import sys
from geo.store import CatalogueStore, Conflict
from geo.territory import load_territory
from tests.conftest import initiative
store = CatalogueStore.open(sys.argv[1], load_territory(), sys.argv[2])
if sys.argv[3] == "add":
    store.add([initiative(id=sys.argv[4], name=sys.argv[4], address="")], sys.argv[4])
else:
    try:
        store.update("le-republique", {"description": sys.argv[4]}, sys.argv[4], expected_revision=1)
    except Conflict:
        sys.exit(3)
"""


def test_two_concurrent_saves_of_different_initiatives_keep_both(store, database_url):
    processes = [subprocess.Popen([sys.executable, "-c", SAVER, str(store.folder), database_url, "add", name],
                                  cwd=REPO_DIR) for name in ("premiere-equipe", "seconde-equipe")]
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    assert {"premiere-equipe", "seconde-equipe"} <= set(layer(store))
    assert store.version() == 3 and {r.author for r in store.history()[:2]} == {"premiere-equipe", "seconde-equipe"}


def test_two_concurrent_saves_of_one_initiative_one_wins_the_other_is_told(store, database_url):
    processes = [subprocess.Popen([sys.executable, "-c", SAVER, str(store.folder), database_url, "edit", text],
                                  cwd=REPO_DIR) for text in ("Version A.", "Version B.")]
    codes = sorted(p.wait(timeout=120) for p in processes)
    assert codes == [0, 3]  # one saved, the other got the conflict
    assert store.row("le-republique")["description"] in {"Version A.", "Version B."}
    assert store.version() == 2


BIG_SAVER = """
import pathlib, sys, threading
import sqlalchemy as sa
from geo.store import CatalogueStore
from geo.territory import load_territory
from tests.conftest import initiative
store = CatalogueStore.open(sys.argv[1], load_territory(), sys.argv[2])

@sa.event.listens_for(store.engine, "commit")
def hold(connection):  # right before a save's commit, everything written: say what it sees, wait to be killed
    if connection.get_execution_options().get("write"):
        seen = connection.exec_driver_sql("SELECT count(*) FROM initiatives").scalar_one()
        pathlib.Path(sys.argv[3]).write_text(str(seen), encoding="utf-8")
        threading.Event().wait()

store.add([initiative(id=f"ajout-{n}", name=f"Ajout {n}", address="") for n in range(1500)])
"""


def test_a_save_killed_inside_its_transaction_leaves_the_previous_version(store, database_url, tmp_path):
    before = state(store)
    held = tmp_path / "held"
    process = subprocess.Popen([sys.executable, "-c", BIG_SAVER, str(store.folder), database_url, str(held)],
                               cwd=REPO_DIR)
    deadline = time.monotonic() + 120
    while not (held.exists() and held.read_text()) and process.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.05)  # polling for the hold point, not hoping a kill lands in time
    assert held.read_text() == str(33 + 1500)  # inside the transaction: every row written, none committed
    assert state(store) == before  # what everyone else sees meanwhile
    process.kill()
    process.wait(timeout=30)
    assert state(store) == before
    saved = store.add([initiative(id="apres", name="Après", address="")])  # the lock died with the process
    assert saved.version > before[0] and len(store.rows()) == 34  # (PostgreSQL's sequence may skip a number)
    assert [r.action for r in store.history()] == ["add", "seed"]


def test_export_and_import_round_trip_through_the_command_line(store, database_url, tmp_path):
    store.update("le-republique", {"name": 'Le République, "1 €"; midi'}, "Camille")
    csv_path, layer_path = tmp_path / "export.csv", tmp_path / "export.geojson"
    run = [sys.executable, "-m", "geo"]
    env = {**os.environ, "CARTE_DATABASE_URL": database_url}
    subprocess.run([*run, "export", "--data", str(store.folder), "--csv", str(csv_path), "--layer",
                    str(layer_path)], cwd=REPO_DIR, env=env, check=True, capture_output=True)
    with open(csv_path, encoding="utf-8", newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert [{k: v for k, v in r.items() if k != "revision"} for r in store.rows()] == exported
    drawn = read_layer(layer_path)
    assert drawn.to_dict("records") == store.layer_table()[1].to_dict("records")
    assert drawn.set_index("id").loc["le-republique", "name"] == 'Le République, "1 €"; midi'

    exported[0]["description"] = "Changée dans le tableur."
    exported.append(initiative(id="depuis-le-csv", name="Depuis le CSV", address=""))
    with open(csv_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(exported[-1]))
        writer.writeheader()
        writer.writerows(exported)
    result = subprocess.run([*run, "import", "--data", str(store.folder), str(csv_path)], cwd=REPO_DIR, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "1 ajoutée(s), 1 modifiée(s)" in result.stdout
    assert store.row("depuis-le-csv") and store.row(exported[0]["id"])["description"] == "Changée dans le tableur."


def test_importing_a_file_with_a_bad_row_names_it_and_changes_nothing(store, database_url, tmp_path):
    text = (DATA / "initiatives.csv").read_text(encoding="utf-8").splitlines()
    text[3] += ",cellule en trop"  # a hand-edited row that cannot be read
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    before = state(store)
    result = subprocess.run([sys.executable, "-m", "geo", "import", "--data", str(store.folder), str(bad)],
                            cwd=REPO_DIR, env={**os.environ, "CARTE_DATABASE_URL": database_url},
                            capture_output=True, text=True)
    assert result.returncode == 1 and "ligne 4" in result.stderr and "valeurs pour" in result.stderr
    assert state(store) == before


def test_open_data_sources_live_in_the_database_and_a_rebuild_is_a_version_of_its_own(store, database_url):
    shipped = (DATA / "sources" / "mediation_numerique.geojson").read_text(encoding="utf-8")
    assert store.sources() == {} and store.source_layer("mediation-numerique") is None  # none in this copy
    before = store.rows()
    saved = store.publish_source("mediation-numerique", shipped, "Camille")
    assert store.source_layer("mediation-numerique") == shipped and store.rows() == before
    assert store.history()[0].action == "source" and saved.version == store.version()
    digest = store.sources()["mediation-numerique"]
    store.publish_source("mediation-numerique", shipped.replace("Mo-Fr", "Mo-Sa", 1))
    assert store.sources()["mediation-numerique"] != digest  # what every server keys its copy on

    (store.folder / "sources").mkdir()
    (store.folder / "sources" / "mediation_numerique.geojson").write_text(shipped, encoding="utf-8")
    (store.folder / "sources" / "lieux_mediation_numerique_paca_2023-05-17.json").write_bytes(
        (DATA / "sources" / "lieux_mediation_numerique_paca_2023-05-17.json").read_bytes())
    result = subprocess.run([sys.executable, "-m", "geo", "sources", "--data", str(store.folder)], cwd=REPO_DIR,
                            env={**os.environ, "CARTE_DATABASE_URL": database_url}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "versée dans la base" in result.stdout
    # Rebuilt from the raw file: the shipped layer, each position dated the day it was found again.
    rebuilt, original = (json.loads(text)["features"] for text in (store.source_layer("mediation-numerique"), shipped))
    assert [_undated_feature(f) for f in rebuilt] == [_undated_feature(f) for f in original]
    dates = {clock.today().isoformat(), *(f["properties"]["position_date"] for f in original)}
    assert {f["properties"]["position_date"] for f in rebuilt} <= dates


def _undated_feature(feature: dict) -> dict:
    return {**feature, "properties": {k: v for k, v in feature["properties"].items() if k != "position_date"}}


def test_a_new_database_takes_the_shipped_source_layers(data_copy, territory, database_url):
    from geo.build import build
    from geo.chain import data_chain

    (data_copy / "initiatives.csv").write_bytes((DATA / "initiatives.csv").read_bytes())
    build(data_copy, territory, data_chain(data_copy, territory))
    (data_copy / "sources").mkdir()
    shipped = (DATA / "sources" / "mediation_numerique.geojson").read_text(encoding="utf-8")
    (data_copy / "sources" / "mediation_numerique.geojson").write_text(shipped, encoding="utf-8")
    catalogue = CatalogueStore.open(data_copy, territory, database_url)
    assert catalogue.source_layer("mediation-numerique") == shipped
    catalogue.engine.dispose()


def test_a_database_seeded_before_the_sources_lived_in_it_takes_them_at_start(store, database_url):
    """A catalogue created before migration 0003 has an empty source table: without the shipped layers, the
    public map would lose the ANCT places. At the next start they are versed once, as a version of their own."""
    shipped = (DATA / "sources" / "mediation_numerique.geojson").read_text(encoding="utf-8")
    (store.folder / "sources").mkdir()
    (store.folder / "sources" / "mediation_numerique.geojson").write_text(shipped, encoding="utf-8")
    assert store.sources() == {}  # seeded without it, as a database from before 0003
    version, rows = store.version(), store.rows()
    for _ in range(2):  # the second start finds them there: no new version
        started = CatalogueStore.open(store.folder, store.territory, database_url)
        started.engine.dispose()
    assert store.source_layer("mediation-numerique") == shipped and store.rows() == rows
    assert store.version() == version + 1 and store.history()[0].action == "source"


def test_restoring_the_current_version_or_importing_an_unchanged_file_records_no_revision(store):
    from geo.store import UNCHANGED

    store.update("le-republique", {"description": "Texte changé."}, "Camille")
    before = store.version(), [r.number for r in store.history()]
    assert store.restore(store.version(), "Alix").summary == UNCHANGED  # the catalogue is already so
    unchanged = [{k: v for k, v in row.items() if k != "revision"} for row in store.rows()]
    assert store.import_rows(unchanged, "Alix").summary == UNCHANGED  # a download imported back as it was
    assert (store.version(), [r.number for r in store.history()]) == before  # no empty version in the history
    assert store.restore(1, "Alix").summary != UNCHANGED  # a real restore still records one


@pytest.mark.parametrize("change", ["add", "edit", "import"])
def test_a_save_locates_its_rows_before_its_transaction_opens(store, monkeypatch, change):
    """The lock on the version row is held for writing only: every address is located (offline, from the
    geocode cache) before the transaction opens, never while other saves queue behind it."""
    from geo.chain import GeocodingChain

    held, calls = {"open": False}, []

    def begin(connection):
        held["open"] = held["open"] or bool(connection.get_execution_options().get("write"))

    def end(connection):
        held["open"] = False

    sa.event.listen(store.engine, "begin", begin)
    sa.event.listen(store.engine, "commit", end)
    sa.event.listen(store.engine, "rollback", end)
    locate = GeocodingChain.locate
    monkeypatch.setattr(GeocodingChain, "locate", lambda chain, query: calls.append(held["open"])
                        or locate(chain, query))
    moved = {"address": "3 rue Paradis", "postcode": "13001", "commune": "Marseille", "insee": ""}
    if change == "add":
        store.add([initiative(id="nouvelle", name="Nouvelle", **moved)], "Camille")
    elif change == "edit":
        store.update("le-republique", moved, "Camille", expected_revision=1)
    else:
        rows = [{k: v for k, v in row.items() if k != "revision"} for row in store.rows()]
        rows[0].update(moved)
        store.import_rows(rows, "Camille")
    assert calls and not any(calls)  # located, and never with the lock held
    assert store.version() == 2
