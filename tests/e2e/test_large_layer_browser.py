"""A layer too large to carry its popups: the browser fetches the details of the clicked initiative."""

from __future__ import annotations

import re
import shutil

import pytest

from bench.synthetic import features, write_data_dir
from geo.text import number
from geo.webmap.markers import INLINE_DETAILS_LIMIT, MARKERS_FILE
from tests.conftest import DATA, shown_sources
from tests.e2e import axe
from tests.support import serve_app

pytestmark = pytest.mark.browser
SIZE = 2 * INLINE_DETAILS_LIMIT  # a search for « solidaire » keeps more than the limit: still by the layer's file

# The marker of the lowest index from ``index`` on (initiatives known only by their commune are in badges).
OPEN_POPUP = """index => new Promise(resolve => {
    const group = window.feature_group[window.feature_group.length - 1].getLayers()[0];
    const marker = group.getLayers().filter(layer => layer.index >= index)
        .reduce((best, layer) => (best && best.index <= layer.index ? best : layer), null);
    group.zoomToShowLayer(marker, () => { marker.openPopup(); resolve([marker.index, marker.options.title]); });
})"""
# Markers and badged initiatives drawn by the current layer, once it is drawn (the layer's file fetched).
DRAWN = """() => { const group = window.feature_group[window.feature_group.length - 1].getLayers()[0];
    return group && group.carteBadges ?
        group.getLayers().length + group.carteBadges.getLayers().reduce((n, b) => n + b.rows.length, 0) : null; }"""


# How many handlers the map holds for the events a drawing listens to (one added per drawing keeps it alive; the
# markers' own zoom handlers come and go with those in view).
HANDLERS = """() => Object.fromEntries(["zoomend", "moveend", "popupopen", "popupclose"]
    .map(k => [k, (window.map._events[k] || []).length]))"""


def drawn(frame) -> int:
    return frame.wait_for_function(DRAWN, timeout=60_000).json_value()


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
    visit.page.get_by_text(f"{number(TOTAL)} initiatives sur {number(TOTAL)}").wait_for(timeout=120_000)
    frame = visit.map_frame()
    assert drawn(frame) == TOTAL
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
    visit.page.get_by_text(f"{number(TOTAL)} initiatives sur {number(TOTAL)}").wait_for(timeout=120_000)
    frame = visit.map_frame()
    drawn(frame)
    first = next(i for i, address in enumerate(SOURCE["address"]) if address and SOURCE["precision"][i] != "commune")
    index, title = frame.evaluate(OPEN_POPUP, SIZE + first)
    place = SOURCE.iloc[index - SIZE]
    assert title.startswith(place["name"] + " — ")
    frame.wait_for_function("text => document.querySelector('.carte-popup') && "
                            "document.querySelector('.carte-popup').innerText.includes(text)",
                            arg=place["address"], timeout=15_000)



def test_a_card_of_a_large_layer_has_today_and_the_six_days_after(large_app, visit):
    # The published details hold a fortnight from this week's Monday: the card shows only the week from today.
    visit.page.goto(large_app)
    visit.page.get_by_text(f"{number(TOTAL)} initiatives sur {number(TOTAL)}").wait_for(timeout=120_000)
    frame = visit.map_frame()
    drawn(frame)
    first = next(i for i, hours in enumerate(SOURCE["opening_hours"].fillna(""))
                 if hours.strip() and SOURCE["precision"][i] != "commune")
    index, title = frame.evaluate(OPEN_POPUP, SIZE + first)
    assert title.startswith(SOURCE.iloc[index - SIZE]["name"] + " — ")
    hours = frame.locator(".carte-popup .carte-hours")
    hours.wait_for(timeout=15_000)
    assert "Aujourd’hui" in hours.inner_text()
    assert hours.locator("details > div").count() == 6



def shown(visit) -> int:
    text = visit.page.get_by_text(re.compile(rf"^[\d\u202f]+ initiatives sur {number(TOTAL)}$")).first.inner_text()
    return int(text.split(" ")[0].replace("\u202f", ""))


def test_a_filter_on_a_large_layer_sends_its_rows_and_the_map_keeps_one_layer_alive(large_app, visit):
    fetched = []
    visit.page.on("request", lambda request: fetched.append(request.url) if MARKERS_FILE in request.url else None)
    visit.page.goto(large_app)
    visit.page.get_by_text(f"{number(TOTAL)} initiatives sur {number(TOTAL)}").wait_for(timeout=120_000)
    frame = visit.map_frame()
    assert drawn(frame) == TOTAL
    handlers = frame.evaluate(HANDLERS)
    for query in ("solidaire", "jardin", "solidaire"):
        search = visit.page.get_by_role("textbox", name="Recherche")
        search.fill(query)
        search.press("Enter")
        visit.page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=query)
        visit.settle()
        count = shown(visit)
        assert count < TOTAL
        frame.wait_for_function("n => { const g = window.feature_group[window.feature_group.length - 1]"
                                ".getLayers()[0]; return g && g.carteBadges && g.getLayers().length + g.carteBadges"
                                ".getLayers().reduce((k, b) => k + b.rows.length, 0) === n; }", arg=count,
                                timeout=60_000)
    assert len(fetched) == 1  # the layer's markers came once; each filter sent which rows to draw
    # streamlit-folium keeps every group it drew: only the one on the map is left alive; and no drawing leaves a
    # handler on the map that would keep it (its badges, its view, its keys) after the next one.
    assert frame.evaluate("() => window.feature_group.length") == 1
    assert frame.evaluate(HANDLERS) == handlers
    zoom = frame.evaluate("() => window.map.getZoom()")
    cluster = frame.locator(".leaflet-marker-icon.marker-cluster").first  # the keyboard reaches the current layer
    cluster.focus()
    cluster.press("Enter")
    frame.wait_for_function("z => window.map.getZoom() > z", arg=zoom, timeout=15_000)


def test_a_layer_that_cannot_be_fetched_says_so_over_the_map(large_app, visit):
    visit.page.route(f"**/{MARKERS_FILE}", lambda route: route.abort())
    visit.page.goto(large_app)
    visit.page.get_by_text(f"{number(TOTAL)} initiatives sur {number(TOTAL)}").wait_for(timeout=120_000)
    frame = visit.map_frame(drawn=False)
    alert = frame.get_by_role("alert")
    alert.wait_for(timeout=30_000)
    assert "Les initiatives n'ont pas pu être chargées" in alert.inner_text()


def test_the_paged_list_of_a_large_layer_passes_axe_and_turns_by_keyboard(large_app, visit):
    if not axe.AXE.exists():
        pytest.skip(f"axe-core absent ({axe.AXE}) : make test l'installe (npm install axe-core)")
    visit.page.goto(large_app)
    visit.page.get_by_text(f"{number(TOTAL)} initiatives sur {number(TOTAL)}").wait_for(timeout=120_000)
    drawn(visit.map_frame())
    caption = visit.page.get_by_text(re.compile(r"^Lignes 1 à 500 sur "))
    caption.wait_for(timeout=30_000)
    assert axe.blocking(axe.settled_audit(visit)) == []
    forward = visit.page.get_by_role("button", name="Page suivante")
    forward.focus()
    visit.page.keyboard.press("Enter")
    visit.page.get_by_text(re.compile(r"^Lignes 501 à 1\u202f000 sur ")).wait_for(timeout=30_000)
    visit.settle()
    assert visit.page.get_by_role("button", name="Page précédente").is_enabled()
