"""``python -m bench``: timings of every hot path on synthetic catalogues, medians of several runs,
with the naive per-Marker folium map as the reference.

    python -m bench                      # N = 100, 1 400, 10 000, 100 000
    python -m bench --quick --sizes 1400 # what the guard test runs
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.naive import app_memory, time_naive
from bench.synthetic import write_data_dir
from geo.files import read_json
from geo.layer import LAYER_FILE, read_layer
from geo.nearby import nearest
from geo.search import TextIndex
from geo.selection import Filters, prepare, select
from geo.territory import load_territory
from geo.webmap.basemap import base_map, outlines_js
from geo.webmap.markers import InitiativeMarkers

FACETS = {
    "filtre catégorie": Filters(categories=("restaurant-solidaire", "laureat")),
    "filtre thème": Filters(themes=("sport", "jeunesse")),
    "filtre commune": Filters(places=("13055", "13001")),
    "filtre année": Filters(years=(2019, 2021)),
    "recherche texte": Filters(text="jardin solidaire"),
}


def median_time(action, runs: int) -> tuple[float, object]:
    """Median wall time of ``runs`` calls (seconds), and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def render_map(table, outlines) -> str:
    """The Carte map as the app builds it (details fetched on click beyond the inline limit)."""
    the_map = base_map(outlines)
    InitiativeMarkers(table, details_url="/app/static/carte/details/bench").add_to(the_map)
    return the_map.get_root().render()


def carte_rerun(folder: Path, runs: int) -> float:
    """Median time of a Carte page rerun after a category filter change (AppTest)."""
    from streamlit.testing.v1 import AppTest

    previous = os.environ.get("CARTE_DATA_DIR")
    os.environ["CARTE_DATA_DIR"] = str(folder)
    try:
        app = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=300)
        app.run()
        choices = [["restaurant-solidaire"], ["laureat", "association"], ["incubateur"], []]
        times = []
        for index in range(runs):
            widget = app.multiselect(key="categorie").set_value(choices[index % len(choices)])
            start = time.perf_counter()
            widget.run()
            times.append(time.perf_counter() - start)
            assert not app.exception, app.exception
        return statistics.median(times)
    finally:
        if previous is None:
            os.environ.pop("CARTE_DATA_DIR", None)
        else:
            os.environ["CARTE_DATA_DIR"] = previous


def browser_draw(folder: Path, runs: int) -> float | None:
    """Median time from the map frame's start until every marker is clustered and drawn (Chromium)."""
    from tests.support import CHROMIUM, Visit, browser_available

    if browser_available():
        return None
    import socket
    import subprocess
    import sys
    import urllib.request

    from playwright.sync_api import sync_playwright

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "CARTE_DATA_DIR": str(folder), "CARTE_TILES": "none", "CARTE_GEOCODING": "offline"}
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                               "--server.address", "127.0.0.1"], cwd=Path(__file__).resolve().parent.parent,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        times = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1400, "height": 950})
                visit = Visit(context)
                visit.page.goto(f"http://127.0.0.1:{port}/")
                frame = visit.map_frame()
                frame.wait_for_function("() => window.carteDrawn !== undefined", timeout=120_000)
                times.append(frame.evaluate("() => window.carteDrawn") / 1000)
                context.close()
            browser.close()
        return statistics.median(times)
    finally:
        server.terminate()
        server.wait(timeout=20)


def measure(folder: Path, n: int, runs: int, *, quick: bool, browser: bool) -> list[tuple[str, str]]:
    """Every measure for one synthetic catalogue, as (label, figure) rows."""
    rows: list[tuple[str, str]] = []
    load, table = median_time(lambda: prepare(read_layer(folder / LAYER_FILE)), runs)
    rows.append(("chargement de la couche", f"{load * 1000:.0f} ms"))
    spent, index = median_time(lambda: TextIndex(table["search_text"].tolist()), 1)
    rows.append(("index de recherche (une fois par version)", f"{spent * 1000:.0f} ms"))
    for label, filters in FACETS.items():
        spent, chosen = median_time(lambda f=filters: select(table, f, index), runs)
        rows.append((label, f"{spent * 1000:.1f} ms ({len(chosen)} retenues)"))
    spent, _ = median_time(lambda: nearest(table, 43.2965, 5.3698, limit=20), runs)
    rows.append(("20 plus proches", f"{spent * 1000:.1f} ms"))
    outlines = outlines_js(read_json(folder / "communes.geojson"))
    ours, page = median_time(lambda: render_map(table, outlines), runs)
    rows.append(("carte : construction + HTML", f"{ours * 1000:.0f} ms, {len(page) / 1e6:.2f} Mo"))
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        naive, naive_size, naive_memory = pool.submit(time_naive, folder, 1 if n >= 10_000 or quick else runs).result()
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        memory = pool.submit(app_memory, folder).result()
    rows.append(("référence naïve (un Marker par point)", f"{naive * 1000:.0f} ms, {naive_size / 1e6:.2f} Mo, "
                 f"{naive_memory:.0f} Mo de mémoire"))
    rows.append(("gain carte / référence", f"{naive / ours:.0f}×"))
    rerun = carte_rerun(folder, runs)
    rows.append(("page Carte : réexécution après filtre", f"{rerun * 1000:.0f} ms"))
    rows.append(("gain page / référence (carte naïve)", f"{naive / rerun:.1f}×"))
    if browser and n <= 10_000:
        drawn = browser_draw(folder, runs)
        rows.append(("navigateur : carte dessinée", "sans navigateur" if drawn is None else f"{drawn * 1000:.0f} ms"))
    rows.append(("mémoire du processus (pic)", f"{memory:.0f} Mo"))
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--sizes", default="100,1400,10000,100000")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (median)")
    parser.add_argument("--quick", action="store_true", help="fewer runs, for the guard test")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    runs = 2 if args.quick else args.runs
    territory = load_territory()
    print(f"Carte des Possibles · banc d'essai · {os.cpu_count()} cœurs · médiane de {runs} mesures")
    for n in (int(size) for size in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as scratch:
            folder = write_data_dir(Path(scratch) / "data", territory, n)
            rows = measure(folder, n, runs, quick=args.quick, browser=not args.no_browser)
        print(f"\nN = {n:,}".replace(",", " "))
        for label, value in rows:
            print(f"  {label:<42} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
