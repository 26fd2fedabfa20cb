"""RGAA 4.1 in a real browser: axe-core in every page and frame, keyboard-only journeys with focus asserted,
French names and titles, motion that respects the visitor's setting. Phone (390×844), desktop and projector."""

from __future__ import annotations

import contextlib
import os
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from geo.passwords import hash_password
from tests.conftest import TOTAL
from tests.e2e import axe
from tests.support import Visit, serve_app

pytestmark = pytest.mark.browser

VIEWPORTS = {"telephone": {"width": 390, "height": 844}, "projecteur": {"width": 1920, "height": 1080}}
# Every public page, and the Territoire's sections (one is drawn at a time).
PUBLIC = {"carte": "/", "autour-de-moi": "/autour_de_moi", "territoire": "/territoire",
          "territoire-repartition": "/territoire?vue=R%C3%A9partition",
          "territoire-carte": "/territoire?vue=Carte+par+commune",
          "territoire-laureats": "/territoire?vue=Laur%C3%A9ats",
          "donnees": "/donnees", "accessibilite": "/accessibilite", "equipe": "/equipe",
          "presentation": "/territoire?presentation=1"}
PASSWORD = "mot de passe du test d'accessibilité"


@pytest.fixture(scope="module", autouse=True)
def axe_available():
    if not axe.AXE.exists():
        message = f"axe-core absent ({axe.AXE}) : make test l'installe (npm install axe-core)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def drawn(visit: Visit, with_map: bool) -> None:
    # The page itself first (settle() alone returns at once while the app has not yet connected), with its
    # chrome script run.
    visit.page.wait_for_function("() => window.carteChrome === true && !!document.querySelector("
                                 "'[data-testid=stMain] h1')", timeout=30_000)
    visit.settle()
    if with_map:
        visit.map_frame()
    # The map's frame (markers or the choropleth) sets its language, title and labels as it draws.
    for frame in (f for f in visit.page.frames if "streamlit_folium" in f.url):
        frame.wait_for_function("() => document.documentElement.lang === 'fr' && !!document.querySelector("
                                "'.leaflet-container')", timeout=20_000)
    visit.page.wait_for_timeout(500)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(PUBLIC))
def test_no_critical_or_serious_violation_on_any_public_page(app_url, browser, name, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="fr-FR")
    visit = Visit(context)
    try:
        visit.page.goto(app_url + PUBLIC[name])
        drawn(visit, with_map=name in ("carte", "autour-de-moi", "territoire", "presentation"))
        assert axe.blocking(axe.settled_audit(visit)) == []
        assert visit.outside == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def staff_url(tmp_path_factory):
    yield from serve_app(tmp_path_factory.mktemp("staff") / "streamlit.log",
                         {"CARTE_STAFF_PASSWORD_HASH": hash_password(PASSWORD)})


def test_no_critical_or_serious_violation_on_the_staff_pages(staff_url, visit):
    visit.page.goto(f"{staff_url}/equipe")
    visit.page.get_by_label("Mot de passe").fill(PASSWORD)
    visit.page.keyboard.press("Enter")
    visit.page.get_by_text("Vous êtes connecté·e.").wait_for(timeout=30_000)
    visit.page.get_by_role("link", name="Contribuer").first.click()
    visit.page.get_by_text("Importer un tableur").first.wait_for(timeout=30_000)
    for section in ("Importer un tableur", "Ajouter ou modifier", "Corriger une position", "Historique"):
        visit.page.get_by_text(section, exact=True).click()
        visit.settle()
        assert axe.blocking(axe.settled_audit(visit)) == [], section
    assert visit.page.title().startswith("Contribuer ·")


def test_each_page_has_its_own_title_and_every_document_speaks_french(app_url, visit):
    titles = set()
    for path in ("/", "/autour_de_moi", "/territoire", "/donnees", "/accessibilite", "/equipe"):
        visit.page.goto(app_url + path)
        drawn(visit, with_map=path in ("/", "/autour_de_moi", "/territoire"))
        titles.add(visit.page.title())
        for frame in visit.page.frames:
            assert frame.evaluate("() => document.documentElement.lang") == "fr", frame.url
            assert frame.evaluate("() => document.title") != ""
        for element in visit.page.locator("iframe").all():
            assert element.get_attribute("title") or element.get_attribute("tabindex") == "-1"
            assert "streamlit_folium" not in (element.get_attribute("title") or "")
    assert len(titles) == 6 and all(t.endswith("Carte des Possibles · ESS Aix-Marseille-Provence") for t in titles)


ENGLISH = re.compile(r"\b(Zoom in|Zoom out|Close popup|Help for|Remove|Open|Upload|file upload|per file|"
                     r"Browse files|Drag and drop|Collapse sidebar|Expand sidebar|Link to heading)\b|— (start|end)\b")
NAMES = """() => Array.from(document.querySelectorAll('[aria-label],[title],button,a,[role=button]')).map(e =>
    [e.getAttribute('aria-label') || '', e.getAttribute('title') || '', e.innerText || ''].join(' | '))"""


def test_the_controls_of_the_map_and_of_streamlit_are_named_in_french(app_url, visit, staff_url):
    visit.page.goto(f"{app_url}/?categorie=Restaurant+solidaire")
    frame = visit.map_frame()
    visit.page.wait_for_timeout(800)
    frame.locator(".carte-marker").first.click()
    frame.locator(".carte-popup").wait_for()
    heard = frame.evaluate(NAMES) + visit.page.evaluate(NAMES)
    assert [name for name in heard if ENGLISH.search(name)] == []
    assert frame.locator(".leaflet-control-zoom-in").get_attribute("aria-label") == "Zoomer"
    assert frame.locator(".leaflet-popup-close-button").get_attribute("aria-label") == "Fermer la fiche"
    labels = frame.evaluate("() => Array.from(document.querySelectorAll('.carte-marker')).map(e => e.title)")
    assert any(" — Restaurant solidaire" in label for label in labels)
    visit.page.goto(f"{staff_url}/equipe")  # the staff's file uploader, once signed in
    visit.page.get_by_label("Mot de passe").fill(PASSWORD)
    visit.page.keyboard.press("Enter")
    visit.page.get_by_role("link", name="Contribuer").first.click()
    visit.page.get_by_text("Choisir un fichier", exact=True).wait_for(timeout=30_000)
    visit.settle()
    assert [name for name in visit.page.evaluate(NAMES) if ENGLISH.search(name)] == []
    assert visit.page.get_by_text("2 Mo par fichier").count() == 1


def focused(frame) -> dict:
    return frame.evaluate("""() => { const e = document.activeElement;
        return {cls: e.className || '', title: e.getAttribute('title') || '', label: e.getAttribute('aria-label') || '',
                text: (e.innerText || '').slice(0, 80), popup: !!e.closest('.leaflet-popup')}; }""")


def test_by_keyboard_a_cluster_opens_then_a_card_opens_and_closes_with_focus_following(app_url, visit):
    visit.page.goto(app_url)
    frame = visit.map_frame()
    visit.settle()
    cluster = frame.locator(".marker-cluster").first
    assert re.match(r"^\d+ initiatives regroupées : Entrée pour les afficher$", cluster.text_content())
    cluster.focus()
    before = frame.evaluate("() => map_div.getZoom()")
    visit.page.keyboard.press("Enter")
    frame.wait_for_function("(z) => map_div.getZoom() > z", arg=before, timeout=10_000)
    visit.page.wait_for_timeout(1200)
    now = focused(frame)
    assert "leaflet-marker-icon" in now["cls"], now  # focus went to what the cluster held
    while "marker-cluster" in focused(frame)["cls"]:  # a cluster inside a cluster: Space opens it too
        visit.page.keyboard.press(" ")
        visit.page.wait_for_timeout(1500)
    marker = focused(frame)
    assert "carte-marker" in marker["cls"] and " — " in marker["title"]
    visit.page.keyboard.press("Enter")
    frame.locator(".leaflet-popup").wait_for()
    assert focused(frame)["popup"]  # the card is where focus went, not after every other marker
    assert frame.locator(".leaflet-popup").get_attribute("role") == "dialog"
    visit.page.keyboard.press("Tab")
    assert focused(frame)["popup"]  # its links come next
    visit.page.keyboard.press("Escape")
    frame.locator(".leaflet-popup").wait_for(state="detached")
    assert focused(frame)["title"] == marker["title"]  # back on the marker that opened it
    visit.screenshot("clavier-marqueur")


def test_by_keyboard_a_badge_lists_its_initiatives_and_focus_stays_in_the_card(app_url, visit):
    visit.page.goto(f"{app_url}/?categorie=Restaurant+solidaire")
    frame = visit.map_frame()
    badge = frame.locator(".carte-area-marker").first
    label = badge.get_attribute("aria-label")
    assert label.startswith("1 sans adresse · La Ciotat")  # what it shows is the start of its name
    badge.focus()
    visit.page.keyboard.press("Enter")
    frame.locator(".carte-area-list").wait_for()
    assert focused(frame)["popup"]
    visit.page.keyboard.press("Tab")
    assert "L'Oiseau rieur" in focused(frame)["text"]
    visit.page.keyboard.press("Enter")
    frame.locator("a[data-back]").wait_for()
    assert focused(frame)["text"].startswith("← Retour")  # the card opened, focus on its way back
    assert "L'Oiseau rieur" in frame.locator(".leaflet-popup").inner_text()
    visit.page.keyboard.press("Enter")
    frame.locator(".carte-area-list").wait_for()
    assert "L'Oiseau rieur" in focused(frame)["text"]  # back on the item that was chosen
    visit.page.keyboard.press("Escape")
    frame.locator(".leaflet-popup").wait_for(state="detached")
    assert focused(frame)["label"] == label


def tab_until(visit, accept, limit: int = 80) -> dict:
    """Press Tab until the focused element (in the page, or in a frame of it) satisfies ``accept``."""
    seen = []
    for _ in range(limit):
        visit.page.keyboard.press("Tab")
        element = visit.page.evaluate("""() => { const e = document.activeElement;
            return {tag: e.tagName, text: (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 80),
                    visible: e.matches(':focus-visible'),
                    outline: getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth}; }""")
        if accept(element):
            return element
        seen.append(f"{element['tag']} {element['text'][:30]!r}")
    raise AssertionError(f"not reached in {limit} Tab presses: {seen}")


def test_by_keyboard_filters_are_set_and_reset_and_focus_is_visible(app_url, visit):
    visit.page.goto(app_url)
    visit.map_frame()
    visit.settle()
    link = tab_until(visit, lambda e: e["tag"] == "A" and e["text"].endswith("Territoire"))  # after its icon
    assert link["outline"].startswith("solid") and not link["outline"].endswith(" 0px")  # focus one can see
    tab_until(visit, lambda e: e["tag"] == "INPUT" and "Recherche" in visit.page.evaluate(
        "() => document.activeElement.getAttribute('aria-label') || ''"))
    visit.page.keyboard.type("jardin")
    visit.page.keyboard.press("Enter")
    visit.page.wait_for_url(re.compile(r"q=jardin"), timeout=15_000)
    visit.settle()
    assert "q=jardin" in visit.page.url
    assert re.match(rf"^\d+ initiatives? affichées? sur {TOTAL}\.$", visit.page.locator("#carte-annonce").inner_text())
    reset = tab_until(visit, lambda e: e["tag"] == "BUTTON" and e["text"] == "Effacer les filtres")
    assert reset["visible"] and reset["outline"].startswith("solid"), reset
    visit.page.keyboard.press("Enter")
    visit.page.wait_for_url(lambda url: "q=" not in url, timeout=15_000)
    visit.settle()
    assert visit.page.locator("#carte-annonce").inner_text() == f"{TOTAL} initiatives affichées sur {TOTAL}."


def test_by_keyboard_the_downloads_are_reached_past_the_map(app_url, visit):
    visit.page.goto(f"{app_url}/?categorie=Restaurant+solidaire")  # a short list: the map holds few Tab stops
    visit.map_frame()
    visit.settle()
    tab_until(visit, lambda e: e["tag"] == "BUTTON" and "Télécharger en CSV" in e["text"], limit=120)


def test_by_keyboard_the_tour_moves_on_and_without_motion_when_asked(app_url, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR", reduced_motion="reduce")
    visit = Visit(context)
    try:
        visit.page.goto(f"{app_url}/territoire")
        visit.page.get_by_text("Étape").first.wait_for(timeout=30_000)
        frame = visit.map_frame()
        # No fly-to for a visitor who asked for less motion: the map is at the stop at once.
        assert frame.evaluate("() => !map_div._animatingZoom && map_div.getZoom() >= 14")
        first = visit.page.locator("[data-testid=stMain] h2").first.inner_text()
        tab_until(visit, lambda e: e["tag"] == "BUTTON" and "Suivante" in e["text"], limit=60)
        visit.page.keyboard.press("Enter")
        visit.page.wait_for_function("(first) => document.querySelector('[data-testid=stMain] h2').innerText !== first",
                                     arg=first, timeout=15_000)
        visit.settle()
        assert "Étape 2" in visit.page.locator("body").inner_text().replace("\n", " ")
        assert frame.evaluate("() => !document.querySelector('.carte-legend details').open")  # nothing over the stop
        assert visit.outside == []
    finally:
        context.close()


def test_the_radius_says_its_distance_and_results_are_headings_with_their_count_heard(app_url, visit):
    visit.page.goto(f"{app_url}/autour_de_moi")
    visit.page.get_by_text("Point de départ", exact=True).first.wait_for(timeout=30_000)
    visit.settle()
    assert visit.page.get_by_role("slider").first.get_attribute("aria-valuetext") == "10 km"
    field = visit.page.get_by_role("textbox", name="Adresse")
    field.fill("1 place Sadi-Carnot, 13002 Marseille")
    field.press("Enter")
    visit.page.get_by_text(re.compile(r"^\d+ résultats?$")).first.wait_for(timeout=30_000)
    visit.settle()
    headings = visit.page.get_by_role("heading", level=2).all_inner_texts()
    assert headings[0].startswith("1. ") and any(h.startswith("2. ") for h in headings)
    heard = visit.page.locator("#carte-annonce").inner_text()
    assert re.match(r"^\d+ résultats? trouvés?, du plus proche au plus loin\.$", heard)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_fiche_link_opens_its_card_next_to_its_marker_with_its_close_button_in_view(app_url, browser, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="fr-FR")
    visit = Visit(context)
    try:
        visit.page.goto(f"{app_url}/?fiche=le-republique")
        frame = visit.map_frame()
        frame.locator(".leaflet-popup").wait_for(timeout=15_000)
        where = """() => {
            const r = e => e.getBoundingClientRect(), map = r(map_div.getContainer());
            const tip = r(document.querySelector('.leaflet-popup-tip')), close = r(document.querySelector(
                '.leaflet-popup-close-button'));
            const marker = map_div._popup._source._icon ? r(map_div._popup._source._icon) : null;
            return {gap: marker ? Math.abs(tip.bottom - marker.top) : null,
                    close: close.top >= map.top && close.right <= map.right && close.left >= map.left,
                    at: [close.left, close.top, close.right, map.right]}; }"""
        with contextlib.suppress(PlaywrightTimeout):  # once the map has zoomed and panned the card into view
            frame.wait_for_function(
                f"() => {{ const b = ({where})(); return b.gap !== null && b.gap < 40 && b.close; }}", timeout=10_000)
        box = frame.evaluate(where)
        assert box["gap"] is not None and box["gap"] < 40 and box["close"], box
        visit.screenshot(f"fiche-{viewport}")
    finally:
        context.close()


def test_on_a_phone_the_menu_closes_once_a_page_is_chosen(app_url, browser):
    context = browser.new_context(viewport=VIEWPORTS["telephone"], locale="fr-FR", is_mobile=True, has_touch=True)
    visit = Visit(context)
    try:
        visit.page.goto(app_url)
        visit.settle()
        visit.page.get_by_role("button", name="Ouvrir le menu").click()
        visit.page.get_by_role("link", name="Accessibilité").click()
        visit.page.wait_for_url(re.compile(r"/accessibilite"))
        visit.page.get_by_role("heading", name="Déclaration d'accessibilité").wait_for(timeout=30_000)
        visit.page.wait_for_timeout(800)
        sidebar = visit.page.locator("[data-testid=stSidebar]")
        assert sidebar.get_attribute("aria-expanded") == "false" or not sidebar.is_visible()
        visit.screenshot("accessibilite-telephone")
    finally:
        context.close()


@pytest.mark.parametrize("size", [(1366, 768), (1440, 900)])
def test_the_first_click_in_a_map_partly_in_view_opens_the_card_without_moving_the_page(app_url, browser, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="fr-FR")
    visit = Visit(context)
    try:
        visit.page.goto(f"{app_url}/?q=presage")
        frame = visit.map_frame()
        visit.settle()
        marker = frame.locator(".carte-marker").first
        box = marker.bounding_box()
        assert box and box["y"] + box["height"] < size[1], box  # the marker is in view, the map's bottom is not
        scrolled = visit.page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop")
        visit.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        frame.locator(".carte-popup").wait_for(timeout=5_000)  # the first click is not lost
        assert visit.page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop") == scrolled
    finally:
        context.close()


def test_on_the_narrowest_phone_a_card_leaves_the_zoom_buttons_uncovered(app_url, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="fr-FR", is_mobile=True)
    visit = Visit(context)
    try:
        visit.page.goto(f"{app_url}/?q=presage")
        frame = visit.map_frame()
        visit.settle()
        # The marker moved near the top-left corner, where the zoom buttons are: its card must not cover them.
        frame.evaluate("""() => {
            let found = null;
            map_div.eachLayer(l => { if (l instanceof L.Marker && l.index !== undefined) found = l; });
            const p = map_div.latLngToContainerPoint(found.getLatLng());
            map_div.panBy([p.x - 40, p.y - 70], {animate: false});
            found.openPopup(); }""")
        frame.locator(".carte-popup").wait_for()
        visit.page.wait_for_timeout(700)
        overlap = frame.evaluate("""() => {
            const a = document.querySelector('.leaflet-popup').getBoundingClientRect();
            const b = document.querySelector('.leaflet-control-zoom').getBoundingClientRect();
            return !(a.right <= b.left || a.left >= b.right || a.bottom <= b.top || a.top >= b.bottom); }""")
        assert not overlap
    finally:
        context.close()
