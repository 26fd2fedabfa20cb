"""Autour de moi at scale: a phone chooses its commune, time until the nearest answers are listed and the page has
settled, on synthetic catalogues of each size, in one run. Target (issue 20): at 100,000 entries ≤ 1.5× the
1,400 figure (median of the visits after the first; the first one is said apart: the server fills its database).

    python -m bench.nearby --sizes 1400,100000 --visits 4
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench.journeys import synthetic_apps
from tests.support import BROWSER_ARGS, CHROMIUM

TARGET = 1.5
START = "Marseille 1er"


def visit(browser, url: str) -> tuple[float, str]:
    """One phone visit: seconds from choosing the commune to the answer, and the count it says."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="fr-FR")
    page = context.new_page()
    page.goto(f"{url}/autour_de_moi")
    page.get_by_text("Point de départ", exact=True).first.wait_for(timeout=300_000)
    page.wait_for_timeout(1500)
    page.locator("[data-testid=stMain]").get_by_text("Commune", exact=True).first.click()
    box = page.locator('[role=combobox][aria-label*="Commune ou arrondissement"]')
    box.wait_for(timeout=60_000)
    box.click()
    box.fill(START)
    page.wait_for_timeout(300)
    began = time.monotonic()
    box.press("Enter")
    page.get_by_text("du plus proche au plus loin").first.wait_for(timeout=120_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=120_000)
    seconds = time.monotonic() - began
    said = page.get_by_text("résultat", exact=False).first.inner_text()
    context.close()
    return seconds, said


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(prog="python -m bench.nearby")
    parser.add_argument("--sizes", default="1400,100000")
    parser.add_argument("--visits", type=int, default=4)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    warm: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        for size, url, _ in synthetic_apps(Path(scratch), sizes):
            runs = [visit(browser, url) for _ in range(args.visits)]
            seconds = [s for s, _ in runs]
            warm[size] = statistics.median(seconds[1:]) if len(seconds) > 1 else seconds[0]
            print(f"{size:>7} initiatives : première visite {seconds[0]:.2f} s, puis médiane {warm[size]:.2f} s "
                  f"({', '.join(f'{s:.2f}' for s in seconds[1:])}) — {runs[-1][1]}")
        browser.close()
    base = warm[sizes[0]]
    for size in sizes[1:]:
        ratio = warm[size] / base
        print(f"  {size} / {sizes[0]} : {ratio:.2f}× (cible ≤ {TARGET}×) {'tenue' if ratio <= TARGET else 'MANQUÉE'}")


if __name__ == "__main__":
    main()
