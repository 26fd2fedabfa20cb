"""A layer too large to carry its popups: the browser fetches the details of the clicked initiative."""

from __future__ import annotations

import shutil

import pytest

from bench.synthetic import features, write_data_dir
from geo.webmap.markers import INLINE_DETAILS_LIMIT
from tests.conftest import DATA, shown_sources
from tests.support import serve_app

pytestmark = pytest.mark.browser
SIZE = INLINE_DETAILS_LIMIT + 500

# The marker of the lowest index from ``index`` on (initiatives known only by their commune are in badges).
OPEN_POPUP = """index => new Promise(resolve => {
    const group = window.feature_group[window.feature_group.length - 1].getLayers()[0];
    const marker = group.getLayers().filter(layer => layer.index >= index)
        .reduce((best, layer) => (best && best.index <= layer.index ? best : layer), null);
    group.zoomToShowLayer(marker, () => { marker.openPopup(); resolve([marker.index, marker.options.title]); });
})"""
DRAWN = """() => { const group = window.feature_group[window.feature_group.length - 1].getLayers()[0];
    return group.getLayers().length + group.carteBadges.getLayers().reduce((n, b) => n + b.rows.length, 0); }"""


SOURCE = shown_sources()[0].reset_index(drop=True)  # the open-data places as the map lists them, each once
TOTAL = SIZE + len(SOURCE)


@pytest.fixture(scope="module")
def large_app(tmp_path_factory, territory):
    """A synthetic catalogue too large for inline details, and the shipped open-data source beside it."""
    folder = write_data_dir(tmp_path_factory.mktemp("large") / "data", territory, SIZE)
    shutil.copytree(DATA / "sources", folder / "sources")
    yield from serve_app(folder.parent / "streamlit.log", {"CARTE_DATA_DIR": str(folder)})


def test_popups_of_a_large_layer_fetch_their_details_on_click(large_app, visit, territory):
    visit.page.goto(large_app)
    visit.page.get_by_text(f"{TOTAL} initiatives sur {TOTAL}").wait_for(timeout=120_000)
    frame = visit.map_frame()
    assert frame.evaluate(DRAWN) == TOTAL
    index, title = frame.evaluate(OPEN_POPUP, 1234)
    expected = features(territory, SIZE)[index]["properties"]
    assert title.startswith(expected["name"] + " — ")  # its name, then its category
    popup = frame.locator(".carte-popup")
    popup.wait_for(timeout=15_000)
    frame.wait_for_function("text => document.querySelector('.carte-popup').innerText.includes(text)",
                            arg=expected["description"], timeout=15_000)
    assert expected["source"] in popup.inner_text()


def test_popups_of_an_open_data_source_beside_a_large_catalogue_fetch_theirs_too(large_app, visit):
    # The source's initiatives come after the catalogue's, with slots of their own (negative numbers).
    visit.page.goto(large_app)
    visit.page.get_by_text(f"{TOTAL} initiatives sur {TOTAL}").wait_for(timeout=120_000)
    frame = visit.map_frame()
    first = next(i for i, address in enumerate(SOURCE["address"]) if address and SOURCE["precision"][i] != "commune")
    index, title = frame.evaluate(OPEN_POPUP, SIZE + first)
    place = SOURCE.iloc[index - SIZE]
    assert title.startswith(place["name"] + " — ")
    frame.wait_for_function("text => document.querySelector('.carte-popup') && "
                            "document.querySelector('.carte-popup').innerText.includes(text)",
                            arg=place["address"], timeout=15_000)

