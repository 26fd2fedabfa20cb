"""The list under the map, a page at a time once the selection is larger than a page (issue 20): the order chosen
applies to the whole selection, a new selection starts again at its first page, downloads keep everything."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from bench.synthetic import write_data_dir
from geo.files import REPO_DIR
from ui.tables import PAGE_ROWS

SIZE = 2 * PAGE_ROWS + 150


@pytest.fixture(scope="module")
def folder(tmp_path_factory, territory):
    return write_data_dir(tmp_path_factory.mktemp("liste") / "data", territory, SIZE)


@pytest.fixture
def app(folder, monkeypatch):
    monkeypatch.setenv("CARTE_DATA_DIR", str(folder))
    monkeypatch.setenv("CARTE_TILES", "none")
    monkeypatch.setenv("CARTE_GEOCODING", "offline")
    app = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=120)
    app.run()
    assert not app.exception, app.exception
    return app


def listed(app: AppTest) -> list[str]:
    return list(app.dataframe[0].value["name"])


def caption(app: AppTest) -> str:
    return next(c.value for c in app.caption if c.value.startswith("Lignes "))


def test_a_large_selection_is_listed_a_page_at_a_time_and_every_page_is_reachable(app):
    first = listed(app)
    assert len(first) == PAGE_ROWS
    # Every count of the page as French typography writes it (the list's caption already did, the count did not).
    assert "**1\u202f150** initiatives sur 1\u202f150" in [m.value for m in app.markdown]
    assert caption(app).startswith(f"Lignes 1 à {PAGE_ROWS} sur 1\u202f150 (3 pages de {PAGE_ROWS})")
    order = app.selectbox(key="liste_ordre")  # the list's own order is the catalogue's, on the Carte as on Données
    assert order.label == "Trier toute la liste par" and order.value == "" and order.format_func("") == \
        "l'ordre du catalogue"
    assert app.button(key="liste_avant").disabled
    app.button(key="liste_apres").click().run()
    second = listed(app)
    assert len(second) == PAGE_ROWS and not set(first) & set(second)
    app.button(key="liste_apres").click().run()
    third = listed(app)
    assert len(third) == SIZE - 2 * PAGE_ROWS and app.button(key="liste_apres").disabled
    assert len(set(first) | set(second) | set(third)) == SIZE  # every initiative of the map, once
    app.selectbox(key="liste_page").set_value(0).run()
    assert listed(app) == first
    assert [b.label for b in app.get("download_button")] == ["Télécharger en CSV", "Télécharger en GeoJSON"]


def test_the_order_chosen_sorts_the_whole_selection_not_the_page(app):
    everything = set()
    for page in range(3):
        app.selectbox(key="liste_page").set_value(page).run()
        everything |= set(listed(app))
    app.selectbox(key="liste_ordre").set_value("name").run()
    assert caption(app).startswith("Lignes 1 à ")  # another order: its first page
    pages = []
    for page in range(3):
        app.selectbox(key="liste_page").set_value(page).run()
        pages += listed(app)
    assert pages == sorted(everything, key=str.lower)


def test_a_new_selection_starts_again_at_its_first_page(app):
    app.button(key="liste_apres").click().run()
    assert caption(app).startswith(f"Lignes {PAGE_ROWS + 1} à")
    app.text_input(key="q").input("solidaire").run()
    assert not app.exception
    assert caption(app).startswith("Lignes 1 à ")


def test_the_data_page_counts_as_french_typography_writes(app):
    app.switch_page("app_pages/donnees.py").run()
    assert not app.exception, app.exception
    assert any(c.value.startswith("1\u202f150 initiative(s) sélectionnée(s) sur 1\u202f150") for c in app.caption)
