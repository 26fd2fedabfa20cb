"""Two app servers (two `streamlit run`, as behind a load balancer) on one PostgreSQL catalogue: staff save on the
first, and the public map of the second shows it within seconds, without restart."""

from __future__ import annotations

import re
import shutil
import time
from contextlib import ExitStack

import pytest

from geo.build import build
from geo.chain import data_chain
from geo.passwords import hash_password
from geo.territory import load_territory
from tests.conftest import DATA, REFERENCE_FILES, postgres_schema
from tests.e2e.test_contributions_browser import PASSWORD, import_spreadsheet
from tests.support import Visit, serve_app

pytestmark = pytest.mark.browser
SPREADSHEET = ("nom;catégorie;thèmes;description;adresse;code postal;commune;source\r\n"
               "Recyclerie du Panier;association;environnement;Objets réparés.;;13002;Marseille;Test 2026\r\n")


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    """Two app processes, each with its own copy of the data folder (their disks are not shared), on one
    PostgreSQL database."""
    with ExitStack() as stack:
        url = stack.enter_context(postgres_schema())
        servers = []
        for name in ("premier", "second"):
            folder = tmp_path_factory.mktemp(name) / "data"
            folder.mkdir()
            for file in (*REFERENCE_FILES, "initiatives.csv"):
                shutil.copy(DATA / file, folder / file)
            territory = load_territory(folder)
            build(folder, territory, data_chain(folder, territory))
            log = folder.parent / "streamlit.log"
            server = serve_app(log, {
                "CARTE_DATA_DIR": str(folder), "CARTE_DATABASE_URL": url,
                "CARTE_STAFF_PASSWORD_HASH": hash_password(PASSWORD)})
            servers.append((next(server), log))
            stack.callback(lambda s=server: next(s, None))
        yield servers


def test_a_save_on_one_server_shows_on_the_public_map_of_the_other(two_servers, browser, tmp_path):
    (first, _), (second, second_log) = two_servers
    public = Visit(browser.new_context(viewport={"width": 1400, "height": 950}, locale="fr-FR"))
    public.page.goto(second)  # the second server is serving the map before the save
    search = public.page.get_by_role("textbox", name="Recherche")
    search.fill("recyclerie")
    search.press("Enter")
    public.page.get_by_text(re.compile(r"^Aucune initiative")).first.wait_for(timeout=60_000)

    staff = Visit(browser.new_context(viewport={"width": 1400, "height": 950}, locale="fr-FR"))
    upload = tmp_path / "recyclerie.csv"
    upload.write_bytes(SPREADSHEET.encode("utf-8"))
    import_spreadsheet(staff, first, upload, 1)
    staff.page.get_by_text(re.compile("Version n° 2 publiée")).wait_for()
    saved_at = time.monotonic()

    found = public.page.get_by_text(re.compile(r"^1 initiative sur 34$"))
    queries = ["recyclerie du", "recyclerie"]
    while not found.count() and time.monotonic() - saved_at < 30:
        search.fill(queries[0])  # the visitor searches again (a changed query reruns the page); the second
        search.press("Enter")    # server asks the database for the published version every 2 s
        queries.reverse()
        public.page.wait_for_timeout(300)
        public.settle()  # the page answered before the next search (searching again mid-run would interrupt it)
    assert found.count(), f"the second server never showed the save; its log:\n{second_log.read_text()[-3000:]}"
    picked_up = time.monotonic() - saved_at
    assert picked_up < 10, f"the second server showed the change after {picked_up:.1f} s"
    frame = public.map_frame()
    frame.wait_for_function("() => document.querySelectorAll('.carte-area-marker').length === 1")
    for visit in (public, staff):
        assert visit.outside == []
        visit.context.close()
