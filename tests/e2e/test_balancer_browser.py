"""Several app processes behind nginx configured as the repository ships it (deploy/nginx/, upstream.conf's sticky
sessions): visitors are spread over the processes, each session stays on its own (its WebSocket, the map's frame
and files), and when a process stops its visitors' pages come back on another one. Without nginx these tests
skip, except under CI (.ci/run installs it)."""

from __future__ import annotations

import os
import re
import shutil
import urllib.request
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

import pytest

from bench.proxy import NGINX, Nginx
from tests.conftest import DATA, TOTAL
from tests.support import Visit, serve_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def balanced(tmp_path_factory):
    """Two app processes on one data folder (one SQLite catalogue, as two processes of one machine) behind nginx:
    (proxy URL, {upstream address: its server generator}, nginx prefix)."""
    if not os.path.exists(NGINX):
        if os.environ.get("CI") == "true":
            pytest.fail("nginx absent alors que la CI doit tester la répartition livrée (voir .ci/run)")
        pytest.skip("nginx absent : apt-get install nginx-light pour ces tests")
    prefix = tmp_path_factory.mktemp("repartiteur")
    folder = prefix / "data"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("catalogue.sqlite*"))
    with ExitStack() as stack:
        servers = {}
        for name in ("premier", "second"):  # one after the other, as systemd would start them
            server = serve_app(prefix / f"{name}.log", {"CARTE_DATA_DIR": str(folder)})
            servers[next(server).removeprefix("http://")] = server
            stack.callback(lambda s=server: next(s, None))
        proxy = stack.enter_context(Nginx(prefix / "nginx", list(servers), logged=True))
        yield proxy, servers, prefix / "nginx"


def routes(prefix: Path) -> dict[str, set[str]]:
    """Which upstreams answered each server key (the cookie), from nginx's access log (where nginx tried one that
    did not answer first, it writes « tried, answered »)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for line in (prefix / "access.log").read_text().splitlines():
        key, _status, _uri, upstreams = line.split(" ", 3)
        if key != "-" and upstreams != "-":
            seen[key].add(upstreams.split(", ")[-1])
    return seen


def test_new_visitors_get_a_key_and_are_spread_over_the_processes(balanced):
    proxy, servers, prefix = balanced
    keys = []
    for _ in range(20):
        with urllib.request.urlopen(proxy, timeout=10) as answer:
            cookie = next(c for c in answer.headers.get_all("Set-Cookie") if c.startswith("carte_serveur="))
        assert re.fullmatch(r"carte_serveur=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax", cookie), cookie
        keys.append(cookie.split(";")[0].split("=")[1])
    for key in keys:  # each key, sent back, always reaches the same process
        for _ in range(3):
            request = urllib.request.Request(f"{proxy}/_stcore/health", headers={"Cookie": f"carte_serveur={key}"})
            with urllib.request.urlopen(request, timeout=10) as answer:
                given = " ".join(answer.headers.get_all("Set-Cookie") or [])
                assert answer.status == 200 and "carte_serveur" not in given  # given once
    seen = routes(prefix)
    assert all(len(seen[key]) == 1 for key in keys), seen
    assert {next(iter(seen[key])) for key in keys} == set(servers)  # both processes have visitors


def test_a_session_stays_on_its_process_and_comes_back_on_another_when_it_stops(balanced, browser):
    proxy, servers, prefix = balanced
    visit = Visit(browser.new_context(viewport={"width": 1400, "height": 950}, locale="fr-FR"))
    visit.page.goto(proxy)
    visit.page.get_by_text(f"{TOTAL} initiatives sur {TOTAL}").wait_for(timeout=60_000)
    frame = visit.map_frame()
    frame.locator(".leaflet-marker-icon.carte-marker").first.click()  # a card: the map's own files
    frame.locator(".carte-popup").wait_for(timeout=15_000)
    key = next(c["value"] for c in visit.context.cookies() if c["name"] == "carte_serveur")
    held = routes(prefix)[key]
    assert len(held) == 1, held  # the page, its WebSocket, the map's frame and files: one process
    address = next(iter(held))
    next(servers.pop(address), None)  # that process stops (a restart, a crash)
    visit.page.get_by_text(f"{TOTAL} initiatives sur {TOTAL}").wait_for(timeout=60_000)
    visit.page.wait_for_function("() => !document.body.innerText.includes('Connexion au serveur perdue')",
                                 timeout=60_000)
    search = visit.page.get_by_role("textbox", name="Recherche")
    search.fill("restaurant")
    search.press("Enter")
    visit.page.get_by_text(re.compile(rf"^\d+ initiatives? sur {TOTAL}$")).first.wait_for(timeout=60_000)
    visit.map_frame()
    assert routes(prefix)[key] == {address, *servers}  # the same key, now served by the other process
    visit.context.close()
