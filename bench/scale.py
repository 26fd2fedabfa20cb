"""The Carte at scale, in Chromium, on synthetic catalogues of each size in one run (issue 20): warm load → first
markers, a filter → map settled, WebSocket bytes per load and per filter, the tab's JS heap after a warm load and
over many filter changes. Ratios to the first size are the targets (≤ 2× at 100,000 and 220,000; ≤ 2 MB per
filter; heap ≤ 250 MB and not growing over the filters).

    python -m bench.scale --sizes 1400,100000,220000 --loads 3 --filters 50
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import tempfile
import time
from pathlib import Path

from bench.journeys import _map_frame, synthetic_apps
from bench.synthetic import WORDS
from tests.support import BROWSER_ARGS, CHROMIUM

TARGETS = {"load": 2.0, "filter": 2.0}
FILTER_BYTES = 2e6
HEAP = 250e6
# Searches that each keep a different large part of a synthetic catalogue (bench/synthetic.py's words, then
# pairs of them): never the same selection twice in a run, so no filter is answered from the browser's cache of
# Streamlit messages.
QUERIES = (*WORDS, *(f"{a} {b}" for a, b in itertools.pairwise(WORDS)))


class Counter:
    """Bytes the server sends the tab over its WebSocket since the last reset."""

    def __init__(self, page):
        self.bytes = 0
        page.on("websocket", lambda socket: socket.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        self.bytes += len(payload)

    def take(self) -> int:
        taken, self.bytes = self.bytes, 0
        return taken


def heap(page) -> float:
    """The tab's JS heap in use after a full garbage collection (the map's frame shares the tab's isolate)."""
    session = page.context.new_cdp_session(page)
    session.send("HeapProfiler.collectGarbage")
    used = session.send("Runtime.getHeapUsage")["usedSize"]
    session.detach()
    return used


def settled(page, timeout: float = 300) -> None:
    """The map redrawn (``carteDrawn`` set again) and Streamlit at rest."""
    _map_frame(page, timeout)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=timeout * 1000)


def search(page, text: str) -> None:
    frame = _map_frame(page)
    frame.evaluate("() => { window.carteDrawn = undefined; }")
    box = page.get_by_role("textbox", name="Recherche")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function("text => new URLSearchParams(location.search).get('q') === text", arg=text,
                           timeout=300_000)
    settled(page)


def opened(browser, url: str):
    """A new tab on the map, drawn and at rest, with its WebSocket counted."""
    context = browser.new_context(viewport={"width": 1400, "height": 950}, locale="fr-FR")
    page = context.new_page()
    counter = Counter(page)
    page.goto(url)
    settled(page)
    return context, page, counter


def measure(browser, url: str, loads: int, filters: int) -> dict:
    """One size: a first visit (the server fills its database and reads the layer), then warm loads (the page
    reloaded), then filter changes in a new tab."""
    from playwright.sync_api import Error as PlaywrightError

    figures: dict = {"load": [], "load_bytes": [], "filter": [], "filter_bytes": []}
    context = browser.new_context(viewport={"width": 1400, "height": 950}, locale="fr-FR")
    page = context.new_page()
    began = time.monotonic()
    page.goto(url)
    settled(page, 600)
    figures["first"] = time.monotonic() - began
    context.close()
    context, page, counter = opened(browser, url)
    for _ in range(loads):  # warm: the server has the layer, the browser its files (the page reloaded)
        page.wait_for_timeout(300)
        counter.take()
        began = time.monotonic()
        page.reload()
        _map_frame(page, 300)
        figures["load"].append(time.monotonic() - began)
        settled(page)
        page.wait_for_timeout(500)
        figures["load_bytes"].append(counter.take())
        figures.setdefault("heap_loaded", []).append(heap(page))
    context.close()
    context, page, counter = opened(browser, url)
    figures["heap"] = [heap(page)]
    for index in range(filters):
        try:
            page.wait_for_timeout(300)
            counter.take()
            began = time.monotonic()
            search(page, QUERIES[index % len(QUERIES)])
            figures["filter"].append(time.monotonic() - began)
            page.wait_for_timeout(300)
            figures["filter_bytes"].append(counter.take())
            if index % 10 == 9 or index == filters - 1:
                figures["heap"].append(heap(page))
        except PlaywrightError as error:  # the tab ran out of memory: said, with what was measured before
            figures["crashed"] = f"onglet planté au filtre n° {index + 1} ({str(error).splitlines()[0]})"
            break
    context.close()
    return figures


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(prog="python -m bench.scale")
    parser.add_argument("--sizes", default="1400,100000,220000")
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--filters", type=int, default=50)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    results: dict[int, dict] = {}
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        for size, url, ready in synthetic_apps(Path(scratch), sizes):  # a new deployment: no database yet
            results[size] = measure(browser, url, args.loads, args.filters)
            results[size]["ready"] = ready
            report(size, results[size])
        browser.close()
    base = results[sizes[0]]
    for size in sizes[1:]:
        for key, target in TARGETS.items():
            ratio = statistics.median(results[size][key]) / statistics.median(base[key])
            print(f"  {key} {size} / {sizes[0]} : {ratio:.2f}× (cible ≤ {target}×) "
                  f"{'tenue' if ratio <= target else 'MANQUÉE'}")


def report(size: int, figures: dict) -> None:
    median = statistics.median
    heaps = figures["heap"]
    print(f"{size:>7} initiatives : nouveau serveur prêt (santé verte) en {figures.get('ready', 0):.1f} s, "
          f"première visite → carte {figures['first']:.1f} s ; "
          f"chargement à chaud → premiers marqueurs {median(figures['load']):.2f} s "
          f"({', '.join(f'{s:.2f}' for s in figures['load'])}) ; "
          f"un filtre → carte redessinée {median(figures['filter']):.2f} s ; "
          f"WebSocket {median(figures['load_bytes']) / 1e6:.2f} Mo par chargement, "
          f"{median(figures['filter_bytes']) / 1e6:.2f} Mo par filtre (max {max(figures['filter_bytes']) / 1e6:.2f}) ; "
          f"tas JS après chargement {median(figures['heap_loaded']) / 1e6:.0f} Mo ; sur {len(figures['filter'])} "
          f"filtres : {' → '.join(f'{h / 1e6:.0f}' for h in heaps)} Mo" + (f" ; {figures['crashed']}"
                                                                          if "crashed" in figures else ""))


if __name__ == "__main__":
    main()
