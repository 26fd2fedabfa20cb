"""What the browser tests and the benchmarks share: Debian's Chromium, the app served as `make run` does on a
free local port (offline), and a page that blocks and counts every request leaving 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from geo.files import REPO_DIR

CHROMIUM = os.environ.get("CARTE_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("CARTE_SCREENSHOTS", REPO_DIR / "artifacts" / "screenshots"))
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL_PREFIXES = ("file://", "http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "ws://localhost", "data:",
                  "blob:", "about:")


def browser_available() -> str:
    """Why the browser tests cannot run here, or '' when they can."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[dev]')"
    return ""


class ServerDidNotStart(RuntimeError):
    """The app did not answer its health check within a minute (its log is the message)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_app(log: Path, env_extra: dict[str, str], script: str = "app.py", *, wait: float = 60):
    """Start the app as ``make run`` does (``ui/serve.py``: ready once warm), or another ``script``, offline on a
    free port; yield its URL, stop it."""
    port = free_port()
    env = {**os.environ, "CARTE_TILES": "none", "CARTE_GEOCODING": "offline", **env_extra}
    script = "ui/serve.py" if script == "app.py" else script
    with open(log, "w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=REPO_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.3)
    else:
        server.kill()
        raise ServerDidNotStart(f"streamlit did not start:\n{log.read_text()}")
    if server.poll() is not None:
        raise ServerDidNotStart(f"the server stopped:\n{log.read_text()}")
    yield url
    server.terminate()
    server.wait(timeout=20)


class Visit:
    """A browser page that blocks and counts every request leaving 127.0.0.1."""

    def __init__(self, context):
        self.context = context
        self.page = context.new_page()
        self.outside: list[str] = []
        self.page.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith(LOCAL_PREFIXES):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def map_frame(self, drawn: bool = True):
        """The first streamlit-folium iframe whose initiative markers are drawn (their file fetched), or with
        ``drawn=False`` only added (a test of a file that cannot be fetched)."""
        ready = "() => typeof Carte !== 'undefined' && !!window.feature_group" + (
            " && window.carteDrawn !== undefined" if drawn else "")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for frame in (f for f in self.page.frames if "streamlit_folium" in f.url):
                try:
                    if frame.evaluate(ready):
                        return frame
                except Exception:  # the frame may be reloading
                    pass
            self.page.wait_for_timeout(200)
        raise AssertionError("the map did not draw")

    def settle(self) -> None:
        """Wait until Streamlit has finished running the script and drawing its elements."""
        self.page.wait_for_function(
            "() => !document.querySelector('[data-testid=stSkeleton], [data-testid=stStatusWidget]')",
            timeout=30_000)
        self.page.wait_for_timeout(600)

    def screenshot(self, name: str) -> Path:
        self.settle()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=path, full_page=False)
        return path
