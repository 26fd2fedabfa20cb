"""``python -m bench.mobile``: a phone's first visit on 4G (issue 20 target: ≤ 2.5 s to the map drawn), nothing in
its cache, Chromium's network throttled to 10 Mbit/s down, 5 up, 50 ms of latency (what the issue measured):
the app served directly, behind the shipped nginx (gzip), with WebSocket compression
(``server.enableWebsocketCompression``) too, and over HTTPS with HTTP/2 as a real site is. Medians of a few
visits, each in a new browser context; what travelled, on the wire.

    python -m bench.mobile --visits 5
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from bench.journeys import _map_frame, _served
from bench.proxy import Nginx
from tests.support import BROWSER_ARGS, CHROMIUM

TARGET = 2.5
FOUR_G = {"offline": False, "latency": 50, "downloadThroughput": 10e6 / 8, "uploadThroughput": 5e6 / 8}


def first_visit(browser, url: str) -> tuple[float, int, int]:
    """Seconds from the address typed to the map drawn, requests, bytes on the wire (HTTP and WebSocket)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="fr-FR", ignore_https_errors=True)
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", FOUR_G)
    wire = {"bytes": 0, "requests": 0}

    def received(event):
        wire["bytes"] += event.get("encodedDataLength", 0)
        wire["requests"] += 1

    def frame(event):  # WebSocket frames: their payload as sent (compressed frames are counted decompressed)
        wire["bytes"] += len(event["response"].get("payloadData", "")) * (3 if event["response"].get("opcode") == 2
                                                                           else 4) // 4
    session.on("Network.loadingFinished", received)
    session.on("Network.webSocketFrameReceived", frame)
    began = time.monotonic()
    page.goto(url)
    _map_frame(page, 120)
    seconds = time.monotonic() - began
    page.wait_for_timeout(500)
    context.close()
    return seconds, wire["requests"], wire["bytes"]


def main() -> None:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(prog="python -m bench.mobile")
    parser.add_argument("--visits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, ExitStack() as stack, sync_playwright() as playwright:
        plain = stack.enter_context(_served(Path(scratch) / "simple.log", {}))
        compressed = stack.enter_context(_served(Path(scratch) / "compresse.log",
                                                 {"STREAMLIT_SERVER_ENABLE_WEBSOCKET_COMPRESSION": "true"}))
        set_ups = {
            "direct (streamlit)": plain,
            "nginx livré (gzip)": stack.enter_context(Nginx(Path(scratch) / "n1", [plain.split("//")[1]])),
            "nginx livré + WebSocket compressé": stack.enter_context(
                Nginx(Path(scratch) / "n2", [compressed.split("//")[1]])),
            "nginx livré + WebSocket compressé, HTTPS et HTTP/2": stack.enter_context(
                Nginx(Path(scratch) / "n3", [compressed.split("//")[1]], tls=True)),
        }
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=[*BROWSER_ARGS, "--ignore-certificate-errors"])
        runs: dict[str, list] = {name: [] for name in set_ups}
        for _ in range(args.visits):
            for name, url in set_ups.items():  # interleaved: each visit of each set-up in the same minute
                try:
                    runs[name].append(first_visit(browser, url))
                except PlaywrightError as error:  # said and counted, not a crash of the whole bench
                    print(f"  visite en échec ({name}) : {str(error).splitlines()[0]}", flush=True)
                    runs[name].append(None)
        browser.close()
    print(f"Premier chargement sur un téléphone en 4G (10 Mbit/s, 50 ms), médianes de {args.visits} :")
    for name, tried in runs.items():
        visits = [visit for visit in tried if visit]
        if len(visits) < len(tried):
            print(f"  {name:<52} {len(tried) - len(visits)} visite(s) sur {len(tried)} sans carte en 30 s")
        if not visits:
            continue
        seconds = statistics.median(v[0] for v in visits)
        print(f"  {name:<52} {seconds:5.2f} s  {statistics.median(v[1] for v in visits):4.0f} requêtes  "
              f"{statistics.median(v[2] for v in visits) / 1e6:5.2f} Mo  {'tenu' if seconds <= TARGET else 'non tenu'}"
              f" (cible ≤ {TARGET} s)")


if __name__ == "__main__":
    main()
