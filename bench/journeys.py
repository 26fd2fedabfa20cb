"""``python -m bench.journeys``: the visitor's journeys in Chromium, each next to a plain one-line Streamlit page
served by the same machine in the same run — page load → map drawn (cold and warm), a filter change → map
updated, an « Autour de moi » answer — medians of several runs, and what a phone's first visit downloads
(bytes on the wire and decoded). A page holding nothing but the same map through streamlit-folium gives the
floor: what the component's frame and Leaflet cost whatever the page around them.

    python -m bench.journeys --runs 5
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from geo.files import REPO_DIR
from tests.support import CHROMIUM, serve_app

PLAIN = 'import streamlit as st\n\nst.write("Bonjour")\n'
# The floor: a page holding nothing but the same map through streamlit-folium (no filters, no header, no list).
MAP_ONLY = ("import streamlit as st\n\nfrom ui import data\nfrom ui.maps import initiatives_map\n\n"
            "st.set_page_config(layout='wide')\ninitiatives_map(data.initiatives(), key='carte')\n")
DRAWN = "() => window.carteDrawn !== undefined"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def _map_frame(page, timeout: float = 60):
    """The map's frame once its markers are drawn."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" in frame.url:
                try:
                    if frame.evaluate(DRAWN):
                        return frame
                except Exception:  # the frame is reloading
                    pass
        page.wait_for_timeout(20)
    raise AssertionError("the map was not drawn")


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(app: str, plain: str, map_only: str, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(runs):
            for name, seconds in one_run(browser, app, plain, map_only):
                times.setdefault(name, []).append(seconds)
        browser.close()
    return times


def one_run(browser, app: str, plain: str, map_only: str) -> list[tuple[str, float]]:
    """Each journey once, in fresh browser contexts (cold: nothing cached; warm: the same page reloaded)."""
    rows = []
    context = browser.new_context(viewport={"width": 1400, "height": 950}, locale="fr-FR")
    page = context.new_page()
    rows.append(("page simple, à froid", _timed(lambda: (page.goto(plain), page.get_by_text("Bonjour").wait_for()))))
    rows.append(("page simple, à chaud", _timed(lambda: (page.reload(), page.get_by_text("Bonjour").wait_for()))))
    context.close()

    context = browser.new_context(viewport={"width": 1400, "height": 950}, locale="fr-FR")
    page = context.new_page()
    rows.append(("la carte seule (plancher), à froid", _timed(lambda: (page.goto(map_only), _map_frame(page)))))
    rows.append(("la carte seule (plancher), à chaud", _timed(lambda: (page.reload(), _map_frame(page)))))
    context.close()

    context = browser.new_context(viewport={"width": 1400, "height": 950}, locale="fr-FR")
    page = context.new_page()
    rows.append(("Carte : chargement → carte dessinée, à froid", _timed(lambda: (page.goto(app), _map_frame(page)))))
    rows.append(("Carte : chargement → carte dessinée, à chaud", _timed(lambda: (page.reload(), _map_frame(page)))))
    _map_frame(page).evaluate("() => { window.carteDrawn = undefined; }")  # the next drawing will set it again
    search = page.get_by_role("textbox", name="Recherche")
    search.fill("restaurant")
    rows.append(("Carte : un filtre → carte mise à jour", _timed(lambda: (
        search.press("Enter"), page.wait_for_function("() => /[?&]q=restaurant/.test(location.search)"),
        _map_frame(page)))))
    page.goto(f"{app}/autour_de_moi")
    start = page.get_by_role("textbox", name="Adresse")
    start.wait_for()
    start.fill("Mucem, Marseille")
    rows.append(("Autour de moi : adresse → première réponse", _timed(lambda: (
        page.get_by_role("button", name="Chercher").click(),
        page.get_by_text("du plus proche au plus loin").first.wait_for(timeout=30_000)))))
    context.close()
    return rows


COMPRESSIBLE = ("javascript", "css", "json", "html", "svg", "text/", "protobuf", "octet-stream")


def transfer(app: str) -> tuple[int, int, int, int]:
    """A phone's first visit to the map: requests, bytes on the wire as Streamlit sends them, bytes decoded, and
    bytes on the wire behind a proxy that gzips text (level 6, what nginx's ``gzip on`` does)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                      locale="fr-FR")
        page = context.new_page()
        finished = []
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto(app)
        _map_frame(page)
        page.wait_for_timeout(1000)
        wire = decoded = proxied = 0
        for request in finished:
            sizes = request.sizes()
            wire += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            with contextlib.suppress(Exception):  # a redirect, or a body already gone
                body = request.response().body()
                decoded += len(body)
                kind = request.response().headers.get("content-type", "")
                proxied += sizes["responseHeadersSize"] + (
                    len(gzip.compress(body, 6)) if any(k in kind for k in COMPRESSIBLE) else len(body))
        browser.close()
        return len(finished), wire, decoded, proxied


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.journeys")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with ExitStack() as stack, tempfile.TemporaryDirectory() as scratch:
        plain_file, map_file = Path(scratch) / "simple.py", Path(scratch) / "carte_seule.py"
        plain_file.write_text(PLAIN, encoding="utf-8")
        map_file.write_text(MAP_ONLY, encoding="utf-8")
        (Path(scratch) / "static").symlink_to(REPO_DIR / "static")  # Streamlit serves static/ beside the script
        app = stack.enter_context(_served(Path(scratch) / "app.log", {}))
        plain = stack.enter_context(_served(Path(scratch) / "simple.log", {}, script=str(plain_file)))
        map_only = stack.enter_context(_served(Path(scratch) / "carte_seule.log", {}, script=str(map_file)))
        times = measure(app, plain, map_only, args.runs)
        requests, wire, decoded, proxied = transfer(app)
    cold = statistics.median(times["page simple, à froid"])
    warm = statistics.median(times["page simple, à chaud"])
    print(f"Chromium, médianes de {args.runs} (page simple : {cold:.2f} s à froid, {warm:.2f} s à chaud)")
    for name, samples in times.items():
        median = statistics.median(samples)
        reference = cold if "froid" in name else warm
        print(f"  {name:<48} {median:6.2f} s   {median / reference:4.1f}× la page simple")
    print(f"Premier chargement de la Carte sur un téléphone : {requests} requêtes, {decoded / 1e6:.2f} Mo de contenu ; "
          f"transférés : {wire / 1e6:.2f} Mo tels que Streamlit les envoie, {proxied / 1e6:.2f} Mo derrière un proxy "
          "qui compresse (gzip)")


class _served:
    """``serve_app`` as a context manager, for the app or any other script."""

    def __init__(self, log: Path, env: dict[str, str], script: str = "app.py", wait: float = 60):
        self.server = serve_app(log, env, script=script, wait=wait)

    def __enter__(self) -> str:
        return next(self.server)

    def __exit__(self, *exc) -> None:
        next(self.server, None)


def synthetic_apps(scratch: Path, sizes: list[int]):
    """For each size, a synthetic catalogue in a new data folder and the app on it (a new deployment: its database
    filled at start): yields (size, URL, seconds until healthy), the server stopped before the next size."""
    from bench.synthetic import write_data_dir
    from geo.territory import load_territory

    territory = load_territory(REPO_DIR / "data")
    for size in sizes:
        folder = write_data_dir(scratch / str(size) / "data", territory, size)
        began = time.monotonic()
        with _served(scratch / f"{size}.log", {"CARTE_DATA_DIR": str(folder)}, wait=900) as url:
            yield size, url, time.monotonic() - began


if __name__ == "__main__":
    main()
