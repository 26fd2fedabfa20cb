"""The published catalogue on an app server: caught up from the version it holds by reading only what changed,
and always equal to a full read of the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pandas as pd

from geo.published import PublishedCatalogue
from geo.webmap.details import publish_details
from tests.conftest import CATALOGUE_SIZE, initiative

HELD_ONLY = ["slot", "row"]  # where the held table keeps an initiative; a full read numbers them afresh


def comparable(table: pd.DataFrame) -> list[dict]:
    table = table.drop(columns=HELD_ONLY).sort_values("id").reset_index(drop=True)
    return table.astype(object).where(table.notna(), None).to_dict("records")


def test_after_each_kind_of_save_the_held_table_equals_a_full_read(store):
    held = PublishedCatalogue(store)
    first = held.current()
    assert first.changed_slots is None and first.rows_read == CATALOGUE_SIZE
    saves = [
        lambda: store.update("le-republique", {"description": "Repas à 1 €, midi et soir."}, "A"),
        lambda: store.add([initiative(id="nouvelle", name="Nouvelle", address="")], "B"),
        lambda: store.set_position("coco-velten", 43.30168, 5.37559, "C"),
        lambda: store.delete("skola", "D"),
        lambda: store.update("nouvelle", {"category": "association"}, "E"),
        lambda: store.restore(3, "F"),  # back to after the add: SKOLA returns, the other edits go
    ]
    for save in saves:
        save()
        caught_up = held.current()
        assert caught_up.version == store.version()
        assert comparable(caught_up.table) == comparable(PublishedCatalogue(store).current().table)
        assert caught_up.table["slot"].is_unique and list(caught_up.table["row"]) == list(range(len(caught_up.table)))


def test_a_save_of_one_initiative_reads_one_row_and_keeps_every_other_slot(store):
    held = PublishedCatalogue(store)
    before = held.current().table.set_index("id")["slot"]
    store.update("le-republique", {"accessibility": "Rampe d'accès"}, "A")
    after = held.current()
    assert after.rows_read == 1 and after.changed_slots == {before["le-republique"]}
    assert after.table.set_index("id")["slot"].to_dict() == before.to_dict()
    assert held.current() is after  # nothing new: the same snapshot, one small query


def test_popup_details_of_a_new_version_rewrite_only_the_chunks_that_changed(store, tmp_path):
    held = PublishedCatalogue(store)
    store.add([initiative(id=f"ajout-{n}", name=f"Ajout {n}", address="") for n in range(1200)], "A")
    first = held.current()
    assert publish_details(first.table, tmp_path / "v1") == 3  # 1 233 initiatives: chunks 0, 1, 2
    store.update("ajout-700", {"description": "Changée."}, "B")
    second = held.current()
    changed = held.changed_between(first.version, second.version)
    written = publish_details(second.table, tmp_path / "v2", previous=tmp_path / "v1", changed=changed)
    assert written == 1
    full = tmp_path / "complet"
    publish_details(second.table, full)
    for chunk in sorted(full.iterdir()):
        assert json.loads((tmp_path / "v2" / chunk.name).read_text()) == json.loads(chunk.read_text())
    slot = int(second.table.set_index("id").loc["ajout-700", "slot"])
    assert json.loads((tmp_path / "v2" / f"{slot // 500}.json").read_text())[str(slot % 500)]["d"] == "Changée."
