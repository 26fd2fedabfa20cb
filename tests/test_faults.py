"""Trust under faults: a database that stops answering (frozen, as in a network partition) never hangs a
visitor; the catalogue this server last held stays on the map (recent imports included), not the shipped one."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.build import build
from geo.chain import data_chain
from geo.database import DATABASE_WAIT_SECONDS
from geo.files import REPO_DIR
from geo.store import CatalogueStore
from tests.conftest import CATALOGUE_SIZE, DATA, REFERENCE_FILES, initiative
from ui.database import PUBLISHED_POLL_SECONDS


def _bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


@pytest.fixture
def own_postgres():
    """A PostgreSQL server of this test's own (the test freezes it), on a free port of 127.0.0.1, started by the
    same script as CI's (.ci/postgres)."""
    binaries = _bin()
    if binaries is None:
        if os.environ.get("CARTE_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL absent alors que CARTE_REQUIRE_POSTGRES est posé (voir .ci/run)")
        pytest.skip("PostgreSQL absent (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="carte-pg-"))  # not under pytest's own folder: postgres cannot enter it
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = subprocess.run([REPO_DIR / ".ci" / "postgres"], env={**os.environ, "CARTE_PG_PORT": str(port),
                         "CARTE_PG_DIR": str(folder)}, check=True, capture_output=True, text=True).stdout.strip()
    server = Server(int((folder / "data" / "postmaster.pid").read_text().split()[0]))
    try:
        yield url, server
    finally:
        server.signal(signal.SIGCONT)
        run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*run_as, binaries / "pg_ctl", "-s", "-D", folder / "data", "-m", "immediate", "stop"],
                       check=False)
        shutil.rmtree(folder, ignore_errors=True)


class Server:
    def __init__(self, pid: int):
        self.pid = pid

    def processes(self) -> list[int]:
        children = subprocess.run(["pgrep", "-P", str(self.pid)], capture_output=True, text=True).stdout.split()
        return [self.pid, *map(int, children)]

    def stop(self) -> None:
        """A fast shutdown, as a crash or a maintenance does: clients are cut off."""
        os.kill(self.pid, signal.SIGINT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and Path(f"/proc/{self.pid}").exists():
            time.sleep(0.2)

    def signal(self, number: int) -> None:
        """SIGSTOP freezes the server and every backend (it accepts connections and answers nothing)."""
        for pid in self.processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, number)


def shown(app: AppTest) -> int:
    line = next(m.value for m in app.markdown if re.match(r"\*\*\d+\*\* initiatives? sur \d+$", m.value))
    return int(line.split("**")[1])


def served_data(tmp_path: Path, territory, monkeypatch, url: str) -> Path:
    """A data folder as a deployment has it (reference files, the catalogue's CSV and layer, the sources), served
    by the app on the database at ``url``."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in (*REFERENCE_FILES, "initiatives.csv"):
        shutil.copy(DATA / name, folder / name)
    (folder / "sources").mkdir()
    for path in (DATA / "sources").iterdir():
        shutil.copy(path, folder / "sources" / path.name)
    build(folder, territory, data_chain(folder, territory))
    monkeypatch.setenv("CARTE_DATA_DIR", str(folder))
    monkeypatch.setenv("CARTE_DATABASE_URL", url)
    monkeypatch.setenv("CARTE_TILES", "none")
    return folder


def test_a_frozen_database_leaves_visitors_the_catalogue_this_server_held(own_postgres, tmp_path, territory,
                                                                          monkeypatch):
    url, server = own_postgres
    folder = served_data(tmp_path, territory, monkeypatch, url)
    catalogue = CatalogueStore.open(folder, territory, url)
    catalogue.add([initiative(id="importee-hier", name="Importée hier", address="")], "Camille")  # not shipped
    catalogue.engine.dispose()
    first = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60).run()
    assert not first.exception, first.exception
    held = shown(first)

    server.signal(signal.SIGSTOP)
    time.sleep(PUBLISHED_POLL_SECONDS + 0.5)  # the next page asks the database again, which no longer answers
    started = time.monotonic()
    frozen = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60).run()
    waited = time.monotonic() - started
    assert not frozen.exception, frozen.exception
    assert shown(frozen) == held  # the catalogue this server held, with yesterday's import: not the shipped one
    assert waited < DATABASE_WAIT_SECONDS + 10, waited  # before: every visitor waited until the database came back

    time.sleep(PUBLISHED_POLL_SECONDS + 0.5)  # the poll before is still stuck: the next visitor does not queue
    started = time.monotonic()
    again = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60).run()
    assert not again.exception and shown(again) == held
    assert time.monotonic() - started < DATABASE_WAIT_SECONDS, "a second visitor waited behind the first"


PASSWORD = "mot de passe des pannes"


def signed_in_contribution(monkeypatch) -> AppTest:
    from geo.passwords import hash_password

    monkeypatch.setenv("CARTE_STAFF_PASSWORD_HASH", hash_password(PASSWORD))
    app = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60)
    app.switch_page("app_pages/equipe.py").run()
    app.text_input[0].input(PASSWORD)
    app.button[0].click().run()
    return app.switch_page("app_pages/contribuer.py").run()


def test_staff_read_one_french_message_per_section_when_the_database_goes_down(own_postgres, tmp_path, territory,
                                                                               monkeypatch):
    url, server = own_postgres
    folder = served_data(tmp_path, territory, monkeypatch, url)
    CatalogueStore.open(folder, territory, url).engine.dispose()
    from ui.auth import lockout

    monkeypatch.setenv("CARTE_DATABASE_URL", url.replace("postgres@", "personne@"))  # « role … does not exist »
    lockout.clear()
    opening = signed_in_contribution(monkeypatch)
    assert not opening.exception, opening.exception
    assert "l'ouverture du catalogue" in opening.error[0].value and not opening.button_group

    monkeypatch.setenv("CARTE_DATABASE_URL", url)
    lockout.clear()
    app = signed_in_contribution(monkeypatch)
    assert not app.exception and not app.error, (app.exception, [e.value for e in app.error])
    server.stop()
    for name in ("Ajouter ou modifier", "Historique"):
        app.button_group(key="contribuer_section").set_value(name).run()
        assert not app.exception, app.exception  # before: SQLAlchemy's traceback, its SQL and host:port
        messages = [e.value for e in app.error]
        assert len(messages) == 1 and messages[0].startswith("La base du catalogue ne répond pas")
        assert f"« {name} »" in messages[0] and "127.0.0.1" not in messages[0] and "SELECT" not in messages[0]


def test_a_schema_from_a_newer_release_is_said_and_public_pages_keep_working(tmp_path, territory, monkeypatch):
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'catalogue.sqlite'}"
    folder = served_data(tmp_path, territory, monkeypatch, url)
    catalogue = CatalogueStore.open(folder, territory, url)
    with catalogue.engine.begin() as connection:  # what a rolling upgrade or a rollback of this server meets
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    catalogue.engine.dispose()
    public = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60).run()
    assert not public.exception, public.exception  # before: alembic's CommandError on every page
    assert shown(public) > 0  # the shipped layers, with the page's message
    from ui.auth import lockout

    lockout.clear()
    staff = signed_in_contribution(monkeypatch)
    assert not staff.exception, staff.exception
    assert "« 9999_future »" in staff.error[0].value and "Mettez ce serveur à jour" in staff.error[0].value
    with sa.create_engine(url).connect() as connection:  # nothing was changed, no downgrade attempted
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "9999_future"


def test_a_backup_onto_a_full_disk_leaves_no_file_that_looks_like_a_backup(tmp_path, territory, monkeypatch):
    import resource
    import sqlite3
    import sys

    url = f"sqlite:///{tmp_path / 'catalogue.sqlite'}"
    folder = served_data(tmp_path, territory, monkeypatch, url)
    CatalogueStore.open(folder, territory, url).engine.dispose()
    size = (tmp_path / "catalogue.sqlite").stat().st_size
    target = tmp_path / "sauvegardes" / "catalogue-2026-12-01.sqlite"
    target.parent.mkdir()

    def full_disk():  # a write past this size fails with EFBIG, as a full disk fails with ENOSPC
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size // 3, size // 3))

    env = {**os.environ, "CARTE_DATABASE_URL": url}
    command = [sys.executable, "-m", "geo", "backup", str(target), "--data", str(folder)]
    failed = subprocess.run(command, cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=120,
                            preexec_fn=full_disk)
    assert failed.returncode == 1 and "Sauvegarde impossible" in failed.stderr and "Traceback" not in failed.stderr
    assert list(target.parent.iterdir()) == []  # before: a copy without its tables, named like a backup
    done = subprocess.run(command, cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "relue et vérifiée" in done.stdout
    with contextlib.closing(sqlite3.connect(target)) as copy:
        assert copy.execute("SELECT count(*) FROM initiatives").fetchone()[0] == CATALOGUE_SIZE
    assert [path.name for path in target.parent.iterdir()] == [target.name]


@pytest.mark.parametrize("how", ["0 octet", "sans -wal"])
def test_a_database_file_found_empty_is_refilled_and_staff_are_told(tmp_path, territory, monkeypatch, how):
    import sqlite3

    path = tmp_path / "catalogue.sqlite"
    if how == "0 octet":
        path.write_bytes(b"")
    else:  # what copying the .sqlite file alone gives while its first changes are still in the -wal beside it
        with contextlib.closing(sqlite3.connect(path)) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
    folder = served_data(tmp_path, territory, monkeypatch, f"sqlite:///{path}")
    from ui.auth import lockout

    lockout.clear()
    app = signed_in_contribution(monkeypatch)
    assert not app.exception, app.exception
    warning = next(w.value for w in app.warning if "la base du catalogue était vide" in w.value)
    assert ("0 octet" if how == "0 octet" else "sans tables") in warning and "geo backup" in warning
    first = CatalogueStore.open(folder, territory, f"sqlite:///{path}").history()[-1]
    assert "la base existait mais était vide" in first.summary  # the history keeps it


def test_a_catch_up_read_that_hangs_keeps_the_catalogue_held_and_is_not_kept(tmp_path, territory, monkeypatch):
    import threading

    import geo.published
    from geo.bounded import Bounded

    url = f"sqlite:///{tmp_path / 'catalogue.sqlite'}"
    folder = served_data(tmp_path, territory, monkeypatch, url)
    catalogue = CatalogueStore.open(folder, territory, url)
    catalogue.add([initiative(id="importee-hier", name="Importée hier", address="")], "Camille")
    first = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60).run()
    held = shown(first)
    started = time.monotonic()
    AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60).run()
    page = time.monotonic() - started  # a page on this machine, its data cached
    # Another server publishes a new version; the poll sees it, then reading its rows never returns (a
    # database frozen between the two, as a network partition does).
    catalogue.add([initiative(id="importee-ce-matin", name="Importée ce matin", address="")], "Alix")
    released, current = threading.Event(), geo.published.PublishedCatalogue.current

    def frozen(self):
        released.wait(60)
        return current(self)

    monkeypatch.setattr(geo.published.PublishedCatalogue, "current", frozen)
    monkeypatch.setattr("ui.database.READ", Bounded("lecture-catalogue", 2))
    from ui import database

    database.saved()  # the next page polls at once
    try:
        started = time.monotonic()
        hung = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60).run()
        assert time.monotonic() - started < 2 + 8  # before: the visitor waited for the database
        assert not hung.exception, hung.exception
        assert shown(hung) == held  # the catalogue this server held, not the shipped one (33)
        started = time.monotonic()
        again = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60).run()
        # not the 2 s bound again: the read still stuck makes the next fail at once
        assert shown(again) == held and time.monotonic() - started < page + 1.5, "the second visitor queued"
    finally:
        released.set()
    time.sleep(0.5)
    back = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60).run()
    assert shown(back) == held + 1  # the held table was not kept as the new version's: read again, caught up


def test_a_damaged_geocode_cache_at_first_start_is_skipped_and_said(tmp_path, territory, monkeypatch):
    import logging

    url = f"sqlite:///{tmp_path / 'catalogue.sqlite'}"
    folder = served_data(tmp_path, territory, monkeypatch, url)
    (folder / "geocode_cache.json").write_text('{"le-republique": ', encoding="utf-8")  # cut mid-write
    said = []
    handler = logging.Handler()
    handler.emit = lambda record: said.append(record.getMessage())
    from geo.store import seeding as store

    store.LOG.addHandler(handler)
    try:
        public = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60).run()
    finally:
        store.LOG.removeHandler(handler)
    assert not public.exception, public.exception  # before: CacheError at the first page, as a traceback
    assert shown(public) > 0 and not public.warning  # the database was filled: the catalogue, not a fallback
    assert any("cache de géocodage illisible" in line and "sans ce cache" in line for line in said)
    assert CatalogueStore.open(folder, territory, url).version() == 1


def test_a_first_read_longer_than_a_pages_bound_is_done_before_the_server_opens(tmp_path, territory, monkeypatch):
    """At 220,000 initiatives on a slow machine the first read of the catalogue took 23 s, over the 15 s a page
    waits for it: the server opened on the shipped layers and its first visitors read again. Before it opens,
    the server waits for the whole read (bounded only against a database that never answers)."""
    import geo.published
    from geo.bounded import Bounded
    from ui import data, serve

    url = f"sqlite:///{tmp_path / 'catalogue.sqlite'}"
    folder = served_data(tmp_path, territory, monkeypatch, url)
    catalogue = CatalogueStore.open(folder, territory, url)
    catalogue.add([initiative(id="importee-hier", name="Importée hier", address="")], "Camille")
    full = geo.published.PublishedCatalogue._full

    def slow(self):  # a large catalogue on a slow machine
        time.sleep(2)
        return full(self)

    monkeypatch.setattr(geo.published.PublishedCatalogue, "_full", slow)
    monkeypatch.setattr("ui.database.READ", Bounded("lecture-catalogue", 0.5))
    read = serve.warm()
    assert "importee-hier" in set(data.initiatives(say=False)["id"])  # the database's catalogue, not the shipped
    page = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60).run()
    assert not page.exception, page.exception
    assert not [w.value for w in page.warning]  # nothing « momentanément indisponible »
    assert shown(page) == read  # the page drew what the warm-up read, without reading it again


def test_a_database_that_never_answers_at_start_delays_the_opening_only_by_its_bound(tmp_path, territory,
                                                                                       monkeypatch, caplog):
    import logging
    import threading

    import geo.published
    from geo.bounded import Bounded
    from ui import serve

    monkeypatch.setattr(logging.getLogger("carte"), "propagate", True)  # the app's own handler stops it otherwise
    caplog.set_level(logging.ERROR, logger="carte")
    url = f"sqlite:///{tmp_path / 'catalogue.sqlite'}"
    served_data(tmp_path, territory, monkeypatch, url)
    released, done, current = threading.Event(), threading.Event(), geo.published.PublishedCatalogue.current

    def frozen(self):
        released.wait(60)
        try:
            return current(self)
        finally:
            done.set()

    monkeypatch.setattr(geo.published.PublishedCatalogue, "current", frozen)
    monkeypatch.setattr("ui.database.START_READ", Bounded("lecture-avant-ouverture", 1))
    monkeypatch.setattr("ui.database.READ", Bounded("lecture-catalogue", 1))
    try:
        started = time.monotonic()
        assert serve.warm() > 0  # the shipped layers, said
        assert time.monotonic() - started < 1 + 1 + 8
        assert "catalogue non lu avant l'ouverture (TimeoutError)" in caplog.text
        page = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60).run()
        assert not page.exception, page.exception
        assert "momentanément indisponible" in page.warning[0].value
    finally:
        released.set()
        done.wait(30)  # the stuck reads end within the test: their log lines go to its capture
