"""The benchmark stays runnable and complete (its timings are checked by people, not here), and the
fast paths give the same answers as the simple ones."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from bench.synthetic import features
from geo.files import REPO_DIR
from geo.layer import read_layer
from geo.search import TextIndex
from geo.selection import Filters, prepare, select
from tests.conftest import DATA

EXPECTED_LINES = [
    "chargement de la couche", "index de recherche", "filtre catégorie", "filtre thème", "filtre commune",
    "filtre année", "recherche texte", "20 plus proches", "carte : construction + HTML",
    "référence naïve (un Marker par point)", "gain carte / référence", "page Carte : réexécution après filtre",
    "gain page / référence", "navigateur : carte dessinée", "mémoire du processus (pic)",
]


def test_the_benchmark_runs_at_1400_in_quick_mode_and_prints_every_measure():
    result = subprocess.run([sys.executable, "-m", "bench", "--sizes", "1400", "--quick"], cwd=REPO_DIR,
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "N = 1 400" in result.stdout
    for label in EXPECTED_LINES:
        line = next((line for line in result.stdout.splitlines() if line.strip().startswith(label)), None)
        assert line is not None, f"missing: {label}\n{result.stdout}"
        assert line.split(label, 1)[1].strip(), f"no figure for {label}"


@pytest.fixture(scope="module")
def synthetic(territory):
    import pandas as pd

    table = pd.DataFrame([{**f["properties"], "lon": f["geometry"]["coordinates"][0],
                           "lat": f["geometry"]["coordinates"][1]} for f in features(territory, 3000, seed=7)])
    return prepare(table)


@pytest.mark.parametrize("query", ["jardin", "jardin solidaire", "SOLID", "cuisine école", "zzz", "1", "é"])
def test_the_text_index_finds_exactly_what_a_scan_finds(synthetic, query):
    indexed = select(synthetic, Filters(text=query), TextIndex(synthetic["search_text"].tolist()))
    scanned = select(synthetic, Filters(text=query))
    assert list(indexed["id"]) == list(scanned["id"])


def test_the_text_index_works_on_a_subset_of_the_layer(synthetic):
    index = TextIndex(synthetic["search_text"].tolist())
    subset = synthetic[synthetic["category"] == "laureat"]
    assert list(select(subset, Filters(text="jardin"), index)["id"]) == list(
        select(subset, Filters(text="jardin"))["id"])


def test_the_shipped_layer_searches_the_same_with_and_without_index():
    table = prepare(read_layer(DATA / "initiatives.geojson"))
    index = TextIndex(table["search_text"].tolist())
    for query in ("presage", "Mucem", "droits femmes", "marseille"):
        assert np.array_equal(select(table, Filters(text=query), index)["id"].to_numpy(),
                              select(table, Filters(text=query))["id"].to_numpy())


def test_after_a_page_run_streamlit_s_collector_skips_what_is_loaded_for_good():
    """Streamlit collects every generation after each script run, holding the GIL: over the ~190,000 objects of
    the loaded modules and tables that took 90–150 ms on every run, while the page's last messages and the
    map's files waited. What is loaded for good is frozen out of its way; it scans what the run made."""
    script = ("import gc, sys; from streamlit.testing.v1 import AppTest\n"
              "at = AppTest.from_file(sys.argv[1], default_timeout=120); at.run(); at.run()\n"
              "assert not at.exception, at.exception\n"
              "print(gc.get_freeze_count(), len(gc.get_objects()))\n")
    result = subprocess.run([sys.executable, "-c", script, str(REPO_DIR / "app.py")], cwd=REPO_DIR,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    frozen, scanned = map(int, result.stdout.split()[-2:])
    assert frozen > 4 * scanned, (frozen, scanned)
