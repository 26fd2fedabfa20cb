"""Real headless Chromium (Debian's, driven by Playwright) against the app served by `streamlit run`.

Without a browser these tests skip with the reason, except under CI (CI=true) where they must run.
Every request that leaves 127.0.0.1 is blocked and counted; each test ends by asserting there was none.
"""

from __future__ import annotations

import os

import pytest

from tests.support import BROWSER_ARGS, CHROMIUM, ServerDidNotStart, Visit, browser_available, serve_app


def pytest_collection_modifyitems(config, items):
    reason = browser_available()
    if not reason:
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"browser tests must run under CI, but: {reason}")
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """The app started with `streamlit run` on a free local port, offline, on the shipped data."""
    try:
        yield from serve_app(tmp_path_factory.mktemp("streamlit") / "streamlit.log", {})
    except ServerDidNotStart as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=BROWSER_ARGS,
        )
        yield chromium
        chromium.close()


@pytest.fixture
def visit(browser):
    """A fresh browser context per test (desktop size); ``visit.context`` can be reconfigured."""
    context = browser.new_context(viewport={"width": 1400, "height": 950}, locale="fr-FR")
    session = Visit(context)
    yield session
    context.close()
    assert session.outside == [], f"requests left 127.0.0.1: {session.outside[:5]}"

