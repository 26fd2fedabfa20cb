"""Warm before healthy (issue 20): a new server opens its database (filling it), reads the layers and publishes
their files before Streamlit answers its health check, so the first visitor a load balancer sends is served from
the caches, like every later one."""

from __future__ import annotations

import re

import pytest

from bench.synthetic import write_data_dir
from geo.text import number
from geo.webmap.markers import INLINE_DETAILS_LIMIT
from tests.support import serve_app

pytestmark = pytest.mark.browser
SIZE = INLINE_DETAILS_LIMIT + 500  # large enough for the details and markers files
READY = "prêt à servir"
PUBLISHED = "fiches détaillées de la version"


def test_a_new_server_is_healthy_only_once_it_can_draw_a_page_from_its_caches(tmp_path, territory, visit):
    folder = write_data_dir(tmp_path / "data", territory, SIZE)  # no database yet: a new deployment
    log = tmp_path / "streamlit.log"
    server = serve_app(log, {"CARTE_DATA_DIR": str(folder)}, wait=180)
    url = next(server)
    try:
        started = log.read_text(encoding="utf-8")
        assert re.search(rf"{READY} : {SIZE} initiatives lues", started), started  # said before any answer
        assert started.count(PUBLISHED) == 1
        visit.page.goto(url)
        visit.page.get_by_text(f"{number(SIZE)} initiatives sur {number(SIZE)}").wait_for(timeout=30_000)
        visit.map_frame()
        visit.settle()
        served = log.read_text(encoding="utf-8")
        assert served.count(PUBLISHED) == 1  # the first visit read nothing again: the caches were warm
        assert "Traceback" not in served
    finally:
        next(server, None)
