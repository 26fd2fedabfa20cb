"""What a newcomer sees of the data, in a real browser with a fixed clock (a Tuesday, 10:00 in Paris):
commune badges instead of piles, an ended initiative, a digital-mediation place with its hours, and
"Ouvert maintenant" in Autour de moi."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from geo.hours import PARIS
from tests.support import Visit, serve_app

pytestmark = pytest.mark.browser
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)
# How many markers share one coordinate at most (badges are not markers).
LARGEST_PILE = """() => { const counts = {};
    window.feature_group[window.feature_group.length - 1].getLayers()[0].getLayers().forEach(m => {
        const p = m.getLatLng(), key = p.lat.toFixed(5) + "," + p.lng.toFixed(5);
        counts[key] = (counts[key] || 0) + 1; });
    return Math.max(0, ...Object.values(counts)); }"""


@pytest.fixture(scope="module")
def clock_app(tmp_path_factory):
    yield from serve_app(tmp_path_factory.mktemp("clock") / "streamlit.log", {"CARTE_NOW": NOW.isoformat()})


@pytest.fixture
def clocked(visit):
    visit.page.clock.install(time=NOW)  # time flows from NOW (a frozen clock would stop Leaflet's animations)
    return visit


def open_map(visit: Visit, url: str):
    visit.page.goto(url)
    visit.page.get_by_text(re.compile(r"initiatives? sur \d+")).first.wait_for(timeout=30_000)
    return visit.map_frame()


def test_a_newcomer_sees_badges_not_piles_and_a_badge_lists_its_initiatives(clock_app, clocked):
    frame = open_map(clocked, clock_app)
    assert frame.evaluate(LARGEST_PILE) <= 3
    badge_layers = "window.feature_group[window.feature_group.length - 1].getLayers()[0].carteBadges.getLayers()"
    # far out the badges sit under the clusters (Marseille's would hide behind them), close in above the markers
    assert frame.evaluate(f"() => {badge_layers}.every(b => b.options.zIndexOffset < 0)")
    clocked.screenshot("carte-accueil")
    frame.evaluate("() => map_div.setView([43.297, 5.38], 14)")
    frame.wait_for_function(f"() => {badge_layers}.every(b => b.options.zIndexOffset > 0)")
    badge = frame.locator(".carte-area-marker", has_text="Marseille").first
    badge.wait_for()
    clocked.screenshot("carte-marseille")
    count = int(badge.inner_text().split()[0])  # "17 sans adresse · Marseille"
    # A click event on the badge itself: Playwright's pointer lands off target here, the page scrolling
    # its main column (not the window) under the map's frame while it aims.
    badge.dispatch_event("click")
    items = frame.locator(".carte-area-list a")
    items.first.wait_for()
    assert items.count() == count >= 9
    assert "sans adresse précise" in frame.locator(".carte-popup").first.inner_text()
    frame.locator(".carte-area-list a", has_text="Lab des Possibles").click()
    card = frame.locator(".carte-popup")
    card.get_by_text("Incubateur interne à la Métropole").wait_for()
    assert card.locator("a", has_text="Itinéraire à pied").count() == 0  # no walking to a commune's centre
    frame.locator(".carte-back").click()
    items.first.wait_for()
    assert items.count() == count


def open_popup(visit: Visit, url: str, showing: str):
    """Search, click the one marker, wait for its popup to show ``showing``; the frame and the popup."""
    frame = open_map(visit, url)
    frame.locator(".carte-marker").first.click()
    popup = frame.locator(".carte-popup")
    popup.get_by_text(showing).wait_for()
    return frame, popup


def test_an_ended_initiative_says_so_with_its_source(clock_app, clocked):
    frame, popup = open_popup(clocked, f"{clock_app}/?q=lab+zero", "Terminé en 2020")
    text = popup.inner_text()
    assert "Le Lab Zéro a fonctionné de 2017 à 2020" in text
    assert popup.locator("a", has_text="marseille-solutions.fr").count() == 1
    assert frame.locator(".carte-marker .carte-ended").count() == 1  # greyed on the map
    clocked.screenshot("popup-termine")


def test_a_digital_mediation_place_shows_its_hours_today_first(clock_app, clocked):
    _, popup = open_popup(clocked, f"{clock_app}/?q=fraternite+belle+de+mai", "Lieu de médiation numérique")
    text = popup.inner_text()
    assert "Ouvert maintenant" in text and "Aujourd’hui" in text
    assert "ANCT, mai 2023" in text and "Licence Ouverte 2.0" in text
    clocked.screenshot("popup-mediation-numerique")


# Results before the group heading each say « Ouvert maintenant »; none after it does (one heading per result).
OPEN_FIRST = """() => {
    const group = document.querySelector('h2.carte-groupe');
    const before = node => !group || (node.compareDocumentPosition(group) & Node.DOCUMENT_POSITION_FOLLOWING);
    const results = [...document.querySelectorAll('h2.carte-resultat')].filter(before).length;
    const open = [...document.querySelectorAll('[data-testid=stMarkdownContainer]')]
        .filter(e => e.innerText.startsWith('Ouvert maintenant · aujourd’hui'));
    return results > 0 && results === open.length && open.every(before);
}"""


def test_around_me_open_now(clock_app, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR", is_mobile=True,
                                  has_touch=True, geolocation={"latitude": 43.3110, "longitude": 5.3860},
                                  permissions=["geolocation"])  # Belle de Mai
    visit = Visit(context)
    try:
        visit.page.clock.install(time=NOW)  # time flows from NOW (a frozen clock would stop Leaflet's animations)
        visit.page.goto(f"{clock_app}/autour_de_moi")
        visit.page.get_by_text("Point de départ", exact=True).first.wait_for(timeout=30_000)
        visit.page.get_by_text("Ma position", exact=True).click()
        visit.page.get_by_text("Départ : Ma position").first.wait_for(timeout=30_000)
        visit.settle()  # the rerun that placed the start point has redrawn the page
        visit.page.get_by_role("combobox", name="Catégories").click()
        visit.page.get_by_role("option", name="Lieu de médiation numérique").click()
        visit.page.keyboard.press("Escape")
        visit.settle()
        visit.page.get_by_text("Ouvert maintenant", exact=True).click()
        # The open places come first, each saying so; then, apart under their own heading, those whose hours
        # say nothing for now (waits out the rerun that applies the filter).
        visit.page.wait_for_function(OPEN_FIRST, timeout=30_000)
        visit.settle()
        assert visit.page.get_by_text("Fermé maintenant").count() == 0
        visit.screenshot("autour-de-moi-ouvert")
        assert visit.outside == []
    finally:
        context.close()
