"""Shared fixtures: the territory, a scratch copy of data/, a catalogue writer, the stub geocoder."""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from geo.catalogue import COLUMNS
from geo.files import REPO_DIR
from geo.territory import load_territory
from tests.stub_geocoder import StubGeocoder

DATA = REPO_DIR / "data"
REFERENCE_FILES = ("communes.csv", "communes.geojson", "arrondissements.csv", "arrondissements.geojson",
                   "marseille_streets.json", "places.csv")
SOURCE = "Test, communiqué, 2024"


def _shipped_size(path: Path) -> int:
    """How many rows a shipped CSV has, or features a shipped layer (one per line, as geo.layer writes them)."""
    with open(path, encoding="utf-8", newline="") as handle:
        if path.suffix == ".csv":
            return sum(1 for _ in csv.DictReader(handle))
        return sum(1 for line in handle if line.startswith('{"type":"Feature"'))


# What the shipped data holds, read from it: a data change never breaks a test that counts.
CATALOGUE_SIZE = _shipped_size(DATA / "initiatives.csv")
ANCT_SIZE = _shipped_size(DATA / "sources" / "mediation_numerique.geojson")  # digital-mediation places, ANCT
AIX_SIZE = _shipped_size(DATA / "sources" / "aix_en_provence.geojson")  # the Ville d'Aix's places


def shown_sources():
    """The open-data places as the map shows them: every shipped source layer, each place once."""
    from geo.layer import read_layer
    from geo.sources import datasets
    from geo.sources.duplicates import sources_shown

    return sources_shown([read_layer(DATA / d.layer_file) for key, d in datasets().items() if key != "catalogue"])


FOLDED = shown_sources()[1]
SOURCES_SHOWN = ANCT_SIZE + AIX_SIZE - FOLDED  # the open-data places on the map
TOTAL = CATALOGUE_SIZE + SOURCES_SHOWN
# A PostgreSQL server for the store tests: `export CARTE_TEST_POSTGRES_URL=$(.ci/postgres)`. .ci/run starts one
# and sets CARTE_REQUIRE_POSTGRES, so that in CI its absence fails instead of skipping.
POSTGRES_URL = os.environ.get("CARTE_TEST_POSTGRES_URL")


@pytest.fixture(scope="session", autouse=True)
def session_data(tmp_path_factory):
    """The app under test reads a copy of data/: its catalogue database is created there, never in the
    repository's data/ (where it would be the live catalogue of `make run`, kept between runs). Tests that
    need another folder set CARTE_DATA_DIR themselves."""
    folder = tmp_path_factory.mktemp("session") / "data"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("catalogue.sqlite*", "backups"))
    previous = os.environ.get("CARTE_DATA_DIR")
    os.environ["CARTE_DATA_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("CARTE_DATA_DIR", None)
    else:
        os.environ["CARTE_DATA_DIR"] = previous


@pytest.fixture(scope="session")
def territory():
    return load_territory(DATA)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A data folder with the reference files but no catalogue, layer or cache."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in REFERENCE_FILES:
        shutil.copy(DATA / name, folder / name)
    return folder


def initiative(**values) -> dict[str, str]:
    """A valid catalogue row, with any field overridden."""
    row = {column: "" for column in COLUMNS}
    row.update(id="le-republique", name="Le République", category="restaurant-solidaire",
               themes="alimentation", description="Repas à 1 €.", address="1 place Sadi-Carnot",
               postcode="13002", commune="Marseille", insee="13202", year="2023", source=SOURCE)
    row.update(values)
    return row


def write_catalogue(folder: Path, rows: list[dict[str, str]]) -> Path:
    path = folder / "initiatives.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def stub():
    with StubGeocoder() as server:
        yield server


@contextlib.contextmanager
def postgres_schema():
    """The URL of a schema of its own on the test PostgreSQL server, dropped afterwards; skipped with a message
    without a server (a failure where CARTE_REQUIRE_POSTGRES says there must be one)."""
    if not POSTGRES_URL:
        if os.environ.get("CARTE_REQUIRE_POSTGRES"):
            pytest.fail("CARTE_TEST_POSTGRES_URL absent alors que CARTE_REQUIRE_POSTGRES est posé (voir .ci/run)")
        pytest.skip("PostgreSQL absent : export CARTE_TEST_POSTGRES_URL=$(.ci/postgres) pour ces tests")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty catalogue database of each kind: an SQLite file, or a schema of its own on the PostgreSQL
    server (dropped after the test)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'catalogue.sqlite'}"
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def store(data_copy, territory, database_url):
    """The shipped catalogue (CSV and its shipped layer, positions dated the day they were found) in a fresh
    database of each kind. Not a layer built here: its positions would carry today's date, not the shipped ones."""
    from geo.store import CatalogueStore

    for name in ("initiatives.csv", "initiatives.geojson"):
        (data_copy / name).write_bytes((DATA / name).read_bytes())
    catalogue = CatalogueStore.open(data_copy, territory, database_url)
    yield catalogue
    catalogue.engine.dispose()
