"""A large layer's popup details on a server that runs across weeks: each new week publishes their hours again
(from its Monday), so that « ouvert maintenant » never goes stale; the chunks without hours stay the same files."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from bench.synthetic import write_data_dir
from geo.files import REPO_DIR
from geo.webmap.assets import STATIC_DIR
from geo.webmap.markers import INLINE_DETAILS_LIMIT, MARKERS_FILE
from tests.conftest import DATA


@pytest.fixture(scope="module")
def folder(tmp_path_factory, territory):
    """More initiatives than a map carries inline, and the shipped open-data places (with hours) beside them."""
    folder = write_data_dir(tmp_path_factory.mktemp("semaines") / "data", territory, INLINE_DETAILS_LIMIT + 100)
    shutil.copytree(DATA / "sources", folder / "sources")
    return folder


def published_folder(app: AppTest):
    (the_map,) = app.get("component_instance")
    url = json.loads(re.search(r'"detailsUrl":("[^"]+")', the_map.proto.json_args.replace("\\\"", '"')).group(1))
    return STATIC_DIR / "carte" / "details" / url.rsplit("/", 1)[-1]


def dated_chunks(folder) -> dict[str, str]:
    """Each chunk holding hours, and the first day of those hours."""
    found = {}
    for chunk in folder.glob("*.json"):
        if chunk.name != MARKERS_FILE:
            firsts = {record["hw"][0][0] for record in json.loads(chunk.read_text()).values() if "hw" in record}
            if firsts:
                (found[chunk.name],) = firsts
    return found


def test_a_new_week_publishes_the_hours_again_from_its_monday(folder, monkeypatch):
    monkeypatch.setenv("CARTE_DATA_DIR", str(folder))
    monkeypatch.setenv("CARTE_TILES", "none")
    monkeypatch.setenv("CARTE_GEOCODING", "offline")
    monkeypatch.setenv("CARTE_NOW", "2026-12-03T10:00")  # a Thursday
    app = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=120)
    app.run()
    assert not app.exception, app.exception
    first = published_folder(app)
    assert set(dated_chunks(first).values()) == {"2026-11-30"}

    monkeypatch.setenv("CARTE_NOW", "2026-12-10T10:00")  # the same server, a week later
    app.run()
    assert not app.exception, app.exception
    second = published_folder(app)
    assert second != first and first.exists()  # a page opened last week still fetches from its folder
    dated = dated_chunks(second)
    assert set(dated.values()) == {"2026-12-07"}
    undated = [c.name for c in second.glob("*.json") if c.name not in dated and c.name != MARKERS_FILE]
    assert undated and all(os.path.samefile(first / name, second / name) for name in undated)
