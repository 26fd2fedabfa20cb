"""Real headless Chromium (Debian's, driven by Playwright) against the app served by `streamlit run`.

Without a browser these tests skip with the reason, except under CI (CI=true) where they must run.
Every request that leaves 127.0.0.1 is blocked and counted; each test ends by asserting there was none.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from geo.files import REPO_DIR

CHROMIUM = os.environ.get("CARTE_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("CARTE_SCREENSHOTS", REPO_DIR / "artifacts" / "screenshots"))
LOCAL_PREFIXES = ("file://", "http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "ws://localhost", "data:",
                  "blob:", "about:")


def _browser_available() -> str:
    """Why the browser tests cannot run here, or '' when they can."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[dev]')"
    return ""


def pytest_collection_modifyitems(config, items):
    reason = _browser_available()
    if not reason:
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"browser tests must run under CI, but: {reason}")
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """The app started with `streamlit run` on a free local port, offline, on the shipped data."""
    yield from serve_app(tmp_path_factory.mktemp("streamlit") / "streamlit.log", {})


def serve_app(log: Path, env_extra: dict[str, str], script: str = "app.py"):
    """Start the app (or another ``script``) offline on a free port, yield its URL, stop it."""
    port = _free_port()
    env = {**os.environ, "CARTE_TILES": "none", "CARTE_GEOCODING": "offline", **env_extra}
    with open(log, "w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=REPO_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail(f"streamlit did not start:\n{log.read_text()}")
    yield url
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield chromium
        chromium.close()


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

    def map_frame(self):
        """The first streamlit-folium iframe whose initiative markers are drawn."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for frame in (f for f in self.page.frames if "streamlit_folium" in f.url):
                try:
                    if frame.evaluate("() => typeof Carte !== 'undefined' && !!window.feature_group"):
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


@pytest.fixture
def visit(browser):
    """A fresh browser context per test (desktop size); ``visit.context`` can be reconfigured."""
    context = browser.new_context(viewport={"width": 1400, "height": 950}, locale="fr-FR")
    session = Visit(context)
    yield session
    context.close()
    assert session.outside == [], f"requests left 127.0.0.1: {session.outside[:5]}"

