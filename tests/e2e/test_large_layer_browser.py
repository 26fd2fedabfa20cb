"""A layer too large to carry its popups: the browser fetches the details of the clicked initiative."""

from __future__ import annotations

import pytest

from bench.synthetic import features, write_data_dir
from geo.webmap.markers import INLINE_DETAILS_LIMIT
from tests.e2e.conftest import serve_app

pytestmark = pytest.mark.browser
SIZE = INLINE_DETAILS_LIMIT + 500

# The first marker from ``index`` on (initiatives known only by their commune are in badges instead).
OPEN_POPUP = """index => new Promise(resolve => {
    const group = window.feature_group[window.feature_group.length - 1].getLayers()[0];
    const marker = group.getLayers().find(layer => layer.index >= index);
    group.zoomToShowLayer(marker, () => { marker.openPopup(); resolve([marker.index, marker.options.title]); });
})"""
DRAWN = """() => { const group = window.feature_group[window.feature_group.length - 1].getLayers()[0];
    return group.getLayers().length + group.carteBadges.getLayers().reduce((n, b) => n + b.rows.length, 0); }"""


@pytest.fixture(scope="module")
def large_app(tmp_path_factory, territory):
    folder = write_data_dir(tmp_path_factory.mktemp("large") / "data", territory, SIZE)
    yield from serve_app(folder.parent / "streamlit.log", {"CARTE_DATA_DIR": str(folder)})


def test_popups_of_a_large_layer_fetch_their_details_on_click(large_app, visit, territory):
    visit.page.goto(large_app)
    visit.page.get_by_text(f"{SIZE} initiatives sur {SIZE}").wait_for(timeout=120_000)
    frame = visit.map_frame()
    assert frame.evaluate(DRAWN) == SIZE
    index, title = frame.evaluate(OPEN_POPUP, 1234)
    expected = features(territory, SIZE)[index]["properties"]
    assert title == expected["name"]
    popup = frame.locator(".carte-popup")
    popup.wait_for(timeout=15_000)
    frame.wait_for_function("text => document.querySelector('.carte-popup').innerText.includes(text)",
                            arg=expected["description"], timeout=15_000)
    assert expected["source"] in popup.inner_text()
