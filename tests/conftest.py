"""Shared fixtures: the territory, a scratch copy of data/, a catalogue writer, the stub geocoder."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from geo.catalogue import COLUMNS
from geo.files import REPO_DIR
from geo.territory import load_territory
from tests.stub_geocoder import StubGeocoder

DATA = REPO_DIR / "data"
REFERENCE_FILES = ("communes.csv", "communes.geojson", "arrondissements.csv", "arrondissements.geojson",
                   "marseille_streets.json", "places.csv")
SOURCE = "Test, communiqué, 2024"


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
