"""The main journeys in a real browser: markers drawn, popups, permalinks, geolocation, no network."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from geo.vocabulary import CATEGORIES
from tests.conftest import TOTAL
from tests.support import Visit, free_port, serve_app

pytestmark = pytest.mark.browser
# The cluster groups on the page's maps (the standalone file's map is a global of folium's; the groups are not).
CLUSTER_GROUPS = ("Object.values(window).filter(v => v instanceof L.Map).flatMap(m => Object.values(m._layers))"
                  ".filter(l => l instanceof L.MarkerClusterGroup)")

# Initiatives drawn: one per marker, plus the initiatives each commune badge stands for.
COUNT_MARKERS = """() => window.feature_group[window.feature_group.length - 1].getLayers()
    .reduce((n, layer) => n + (layer.getLayers ? layer.getLayers()
        .reduce((k, marker) => k + (marker.rows ? marker.rows.length : 1), 0) : 0), 0)"""


def wait_for_text(visit: Visit, text: str, timeout: float = 30) -> None:
    visit.page.get_by_text(text).first.wait_for(timeout=timeout * 1000)


def shown_count(visit: Visit) -> int:
    text = visit.page.get_by_text(re.compile(rf"initiatives? sur {TOTAL}")).first.inner_text()
    return int(text.split()[0])


def wait_for_markers(visit: Visit, expected: int) -> int:
    frame = visit.map_frame()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and frame.evaluate(COUNT_MARKERS) != expected:
        visit.page.wait_for_timeout(200)
    return frame.evaluate(COUNT_MARKERS)


def test_the_map_draws_one_marker_per_initiative_of_the_filter(app_url, visit):
    visit.page.goto(f"{app_url}/?categorie=Restaurant+solidaire")
    wait_for_text(visit, f"initiatives sur {TOTAL}")
    assert shown_count(visit) == 4
    assert wait_for_markers(visit, 4) == 4
    frame = visit.map_frame()
    # The cluster layer draws the markers, then groups them once the map has settled (4 drawn for a moment under
    # load): what a visitor sees is what stays.
    drawn = "() => document.querySelectorAll('.carte-marker, .marker-cluster').length"
    for _ in range(20):  # settled: still grouped half a second later (a late redraw showed 4 again under load)
        frame.wait_for_function(f"() => ({drawn})() <= 3", timeout=10_000)
        visit.page.wait_for_timeout(500)
        if frame.evaluate(drawn) <= 3:
            break
    assert 1 <= frame.evaluate(drawn) <= 3  # L'Oiseau rieur, known only by its commune, is in La Ciotat's badge
    assert frame.locator(".carte-area-badge", has_text="La Ciotat").count() == 1
    legend = frame.evaluate("() => document.querySelectorAll('.carte-legend .carte-symbol').length")
    assert legend == len(CATEGORIES) + 1  # a symbol per category, and the one of an approximate position
    visit.screenshot("carte")


def test_a_marker_click_opens_its_popup(app_url, visit):
    visit.page.goto(f"{app_url}/?q=presage")
    wait_for_text(visit, f"1 initiative sur {TOTAL}")
    frame = visit.map_frame()
    assert wait_for_markers(visit, 1) == 1
    frame.locator(".carte-marker").first.click()
    popup = frame.locator(".carte-popup")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "Le Présage" in text and "Restaurant solidaire" in text
    assert "position approximative (rue)" in text and "(année de la source 2023) : One Provence" in text
    assert "Ouvert le 18 juin 2024" in text and "Adresse d'après : laroue.org" in text
    assert frame.locator(".carte-popup a", has_text="Itinéraire à pied").get_attribute("href").startswith(
        "https://www.openstreetmap.org/directions")
    visit.screenshot("popup")


def test_a_permalink_reopens_the_same_selection(app_url, visit):
    visit.page.goto(app_url)
    wait_for_text(visit, f"{TOTAL} initiatives sur {TOTAL}")
    search = visit.page.get_by_role("textbox", name="Recherche")
    search.fill("jeunesse")
    search.press("Enter")
    visit.page.wait_for_url(re.compile(r"[?&]q=jeunesse"), timeout=15_000)
    wait_for_text(visit, f"initiatives sur {TOTAL}")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and shown_count(visit) == TOTAL:
        visit.page.wait_for_timeout(200)
    expected = shown_count(visit)
    assert 0 < expected < TOTAL
    permalink = visit.page.url

    other = Visit(visit.context)
    other.page.goto(permalink)
    wait_for_text(other, f"{expected} initiative")
    assert shown_count(other) == expected
    expect(other.page.get_by_role("textbox", name="Recherche")).to_have_value("jeunesse")
    assert wait_for_markers(other, expected) == expected
    assert other.outside == []


def test_my_location_lists_the_nearest_restaurant_first(app_url, browser):
    context = browser.new_context(viewport={"width": 412, "height": 915}, locale="fr-FR", is_mobile=True,
                                  geolocation={"latitude": 43.2352, "longitude": 5.4155},  # near the Baumettes
                                  permissions=["geolocation"])
    visit = Visit(context)
    try:
        visit.page.goto(f"{app_url}/autour_de_moi")
        visit.page.get_by_text("Point de départ", exact=True).first.wait_for(timeout=30_000)
        visit.page.get_by_text("Ma position", exact=True).click()
        wait_for_text(visit, "Départ : Ma position")
        first = visit.page.get_by_text(re.compile(r"^1\. ")).first.inner_text()
        assert first.startswith("1. Les Beaux Mets")
        visit.page.get_by_text(re.compile(r"^2\. ")).first.wait_for()
        visit.screenshot("autour-de-moi-mobile")
        assert visit.outside == []
    finally:
        context.close()


@pytest.mark.parametrize(("path", "name", "marker", "has_map"), [
    ("territoire", "territoire", "Le territoire en chiffres", True),
    ("donnees", "donnees", "Précision des positions", False),
    ("autour_de_moi", "autour-de-moi", "Point de départ", True),
])
def test_every_page_renders_without_error(app_url, visit, path, name, marker, has_map):
    errors: list[str] = []
    visit.page.on("pageerror", lambda error: errors.append(str(error)))
    visit.page.goto(f"{app_url}/{path}")
    wait_for_text(visit, marker)
    if has_map:
        visit.map_frame()
    visit.page.wait_for_timeout(500)
    # Streamlit's « Page not found » dialog, as the app translates it (looking for the English text found nothing)
    for dialog in ("Page introuvable", "Page not found"):
        assert not visit.page.get_by_text(dialog).count()
    assert errors == []
    visit.screenshot(name)


def test_the_standalone_html_map_works_from_a_file_with_no_network(visit, tmp_path, monkeypatch):

    from geo.export import to_standalone_html
    from geo.layer import read_layer
    from geo.selection import prepare
    from tests.conftest import DATA

    monkeypatch.setenv("CARTE_TILES", "none")
    table = prepare(read_layer(DATA / "initiatives.geojson"))
    outlines = (DATA / "communes.geojson").read_text(encoding="utf-8")
    path = tmp_path / "carte.html"
    path.write_bytes(to_standalone_html(table, outlines, "Carte des Possibles"))
    visit.page.goto(path.as_uri())
    visit.page.wait_for_function("() => document.querySelectorAll('.carte-marker, .marker-cluster').length > 0")
    groups = visit.page.evaluate(f"() => {CLUSTER_GROUPS}"
                                 ".map(g => [g.getLayers().length, g.carteBadges.getLayers()"
                                 ".reduce((n, b) => n + b.rows.length, 0)])")
    commune_level = int(table["commune_level"].sum())
    assert groups == [[len(table) - commune_level, commune_level]]  # every initiative drawn once
    assert visit.page.locator(".carte-legend").count() == 1
    assert visit.page.locator(".carte-area-badge", has_text="Marseille").count() >= 1


def test_a_click_on_the_map_sets_the_starting_point(app_url, visit):
    visit.page.goto(f"{app_url}/autour_de_moi")
    visit.page.get_by_text("Point de départ", exact=True).first.wait_for(timeout=30_000)
    visit.page.get_by_text("Sur la carte", exact=True).click()
    wait_for_text(visit, "Cliquez sur la carte")
    visit.settle()
    frame = visit.map_frame()
    x, y = frame.evaluate("() => { const p = map_div.latLngToContainerPoint([43.34, 5.52]);"
                          " return [p.x, p.y]; }")  # Allauch, away from any marker
    frame.locator("#map_div").click(position={"x": x, "y": y})
    visit.page.get_by_text("Départ : Point choisi sur la carte").first.wait_for()
    first = visit.page.get_by_text(re.compile(r"^1\. ")).first.inner_text()
    assert first.startswith("1. Le Présage")


def test_the_guided_tour_flies_the_map_to_the_next_stop(app_url, visit):
    visit.page.goto(f"{app_url}/territoire")
    wait_for_text(visit, "Étape")
    visit.settle()
    visit.page.get_by_role("button", name="Suivante ▶").click()
    wait_for_text(visit, "Les Beaux Mets")
    frame = visit.map_frame()
    frame.wait_for_function("() => { const c = map_div.getCenter(); return map_div.getZoom() === 15 &&"
                            " Math.abs(c.lat - 43.2335) < 0.001 && Math.abs(c.lng - 5.4137) < 0.001; }",
                            timeout=15_000)


@pytest.mark.parametrize("section", ["Carte par commune", "Répartition", "Lauréats"])
def test_each_territory_section_opens_from_its_link_and_draws(app_url, visit, section):
    errors: list[str] = []
    visit.page.on("pageerror", lambda error: errors.append(str(error)))
    visit.page.goto(f"{app_url}/territoire?vue={section.replace(' ', '+')}")
    wait_for_text(visit, "Le territoire en chiffres")
    visit.settle()
    if section == "Carte par commune":
        frame = next(f for f in visit.page.frames if "streamlit_folium" in f.url)
        frame.wait_for_function("() => document.querySelectorAll('path.leaflet-interactive').length >= 107")
        visit.screenshot("territoire-choroplethe")
    elif section == "Répartition":
        visit.page.locator("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg") \
            .first.wait_for(timeout=20_000)
        assert visit.page.locator("[data-testid=stVegaLiteChart]").count() == 3
    else:
        wait_for_text(visit, "AM Académie")
    assert errors == []


HOSTILE_NAMES = ["<!--<script>", "</script><script>alert(1)</script>", "a\u2028b\u2029c", "&lt;b&gt; & co",
                 "<img src=x onerror=alert(2)>", "]]><!--", "\\u003c/script\\u003e"]


def test_the_standalone_html_map_draws_every_hostile_name_as_text(visit, tmp_path, monkeypatch):
    from geo.export import to_standalone_html
    from geo.layer import read_layer
    from geo.selection import prepare
    from tests.conftest import DATA

    monkeypatch.setenv("CARTE_TILES", "none")
    table = prepare(read_layer(DATA / "initiatives.geojson"))
    table = table[~table["commune_level"]].head(len(HOSTILE_NAMES)).assign(name=HOSTILE_NAMES)
    dialogs: list[str] = []
    visit.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    path = tmp_path / "carte.html"
    path.write_bytes(to_standalone_html(table, (DATA / "communes.geojson").read_text(encoding="utf-8"), "<x>"))
    visit.page.goto(path.as_uri())
    visit.page.wait_for_function(f"() => window.L && {CLUSTER_GROUPS}.length > 0")
    names = visit.page.evaluate(f"() => {CLUSTER_GROUPS}[0]"
                                ".getLayers().map(m => m.options.title)")
    names = [title.rsplit(" — ", 1)[0] for title in names]  # a marker's title: its name, then its category
    assert sorted(names) == sorted(HOSTILE_NAMES)  # every marker, each name exactly as written
    visit.page.wait_for_timeout(300)
    assert dialogs == []


def pick_with_the_keyboard(visit: Visit, label: str, parameter: str, *, typed: str = "",
                           keys: tuple[str, ...] = ("Enter",)) -> int:
    """Type in a filter's box and press ``keys``; how many values of ``parameter`` the address then holds."""
    box = visit.page.locator(f'[role=combobox][aria-label="{label}"]')
    box.click()
    if typed:
        box.fill(typed)
    for key in keys:
        box.press(key)
    visit.page.wait_for_url(re.compile(rf"[?&]{parameter}="), timeout=15_000)
    visit.settle()
    return visit.page.url.count(f"{parameter}=")


def test_enter_in_a_filter_picks_the_best_single_match(app_url, visit):
    visit.page.goto(app_url)
    wait_for_text(visit, f"initiatives sur {TOTAL}")
    visit.settle()
    assert pick_with_the_keyboard(visit, "Commune ou arrondissement", "commune", typed="Marseille") == 1
    assert re.search(r"[?&]commune=Marseille(&|$)", visit.page.url)  # Marseille, not "Select 34 matches"
    assert pick_with_the_keyboard(visit, "Catégorie", "categorie", keys=("ArrowDown", "Enter")) == 1  # not all 12


def test_the_page_says_it_is_in_french(app_url, visit):
    visit.page.goto(app_url)
    wait_for_text(visit, f"initiatives sur {TOTAL}")
    visit.page.wait_for_function("() => document.documentElement.lang === 'fr'", timeout=15_000)
    search = visit.page.get_by_role("textbox", name="Recherche")
    search.fill("jeunesse")  # typing shows Streamlit's English "Press Enter to apply" unless hidden
    visit.page.wait_for_timeout(300)
    assert not visit.page.get_by_text("Press Enter to apply").is_visible()


def count_line(visit) -> str:
    return visit.page.get_by_text(re.compile(r"initiatives? sur \d+$|sélectionnée\(s\) sur \d+")).first.inner_text()


def away_and_back(visit, link: str, away: str, back: str) -> None:
    """Follow the navigation link, then the browser's Back button, waiting for each address."""
    visit.page.get_by_role("link", name=link).first.click()
    visit.page.wait_for_url(re.compile(away))
    visit.settle()
    visit.page.go_back()
    visit.page.wait_for_url(re.compile(back))
    visit.settle()


def test_back_and_forward_after_changing_page_show_what_was_on_screen(app_url, visit):
    visit.page.goto(f"{app_url}/donnees?categorie=Restaurant+solidaire")  # from a permalink
    wait_for_text(visit, "Restaurant solidaire")
    visit.settle()
    before = count_line(visit)
    away_and_back(visit, "Autour de moi", r"/autour_de_moi", r"/donnees\?categorie=Restaurant\+solidaire")
    assert count_line(visit) == before
    assert "Restaurant solidaire" in visit.page.locator("[data-testid=stMultiSelect]").first.inner_text()
    visit.page.go_forward()
    visit.page.wait_for_url(re.compile(r"/autour_de_moi$"))

    visit.page.goto(app_url)  # filters set by hand
    wait_for_text(visit, f"initiatives sur {TOTAL}")
    visit.settle()
    search = visit.page.get_by_role("textbox", name="Recherche")
    search.fill("jardin")
    search.press("Enter")
    visit.page.wait_for_url(re.compile(r"[?&]q=jardin"))
    visit.settle()
    before = count_line(visit)
    away_and_back(visit, "Territoire", r"/territoire", r"/\?(.*&)?q=jardin")
    assert count_line(visit) == before and search.input_value() == "jardin"


ENGLISH_CHROME = ("Page not found", "Connection error", "Running the app's main page", "Download as CSV",
                  "Fullscreen", "Skip to main content", "Is Streamlit still running")


def english_left(visit) -> list[str]:
    """The English texts of Streamlit's chrome still readable on the page (text or tooltip)."""
    return visit.page.evaluate("""(words) => {
        const seen = document.body.innerText + " " + Array.from(document.querySelectorAll("[aria-label],[title]"))
            .map(e => (e.getAttribute("aria-label") || "") + " " + (e.getAttribute("title") || "")).join(" ");
        return words.filter(w => seen.includes(w)); }""", list(ENGLISH_CHROME))


def test_streamlit_s_own_dialogs_and_toolbars_speak_french(app_url, visit):
    visit.page.goto(f"{app_url}/cette-page-n-existe-pas")
    visit.page.get_by_text("Page introuvable").wait_for(timeout=30_000)
    visit.page.get_by_text("Cette page n'existe pas : voici la page d'accueil.").wait_for()
    visit.screenshot("page-introuvable")
    assert english_left(visit) == []
    visit.page.keyboard.press("Escape")
    visit.page.get_by_role("link", name="Données").first.click()
    table = visit.page.locator("[data-testid=stDataFrame]").first
    table.wait_for(timeout=30_000)
    table.hover()
    visit.page.locator("[data-testid=stElementToolbar] button").first.wait_for()
    labels = visit.page.eval_on_selector_all("[data-testid=stElementToolbar] button",
                                             "(buttons) => buttons.map(b => b.getAttribute('aria-label'))")
    assert "Télécharger en CSV" in labels and "Plein écran" in labels, labels
    assert english_left(visit) == []


def test_a_lost_connection_is_said_in_french(visit, tmp_path):
    server = serve_app(tmp_path / "streamlit.log", {})
    url = next(server)
    visit.page.goto(url)
    wait_for_text(visit, f"initiatives sur {TOTAL}")
    visit.settle()
    next(server, None)  # the server stops
    visit.page.get_by_text("Connexion au serveur perdue").wait_for(timeout=60_000)
    visit.screenshot("connexion-perdue")
    assert english_left(visit) == []


@pytest.mark.parametrize(("fiche", "name"), [("le-presage", "Le Présage"),
                                           ("lab-des-possibles", "Le Lab des Possibles")])
def test_a_link_to_one_initiative_opens_the_map_on_its_card(app_url, visit, fiche, name):
    visit.context.grant_permissions(["clipboard-read", "clipboard-write"])
    visit.page.goto(f"{app_url}/?fiche={fiche}&categorie=Restaurant+solidaire")  # even outside the filters
    wait_for_text(visit, f"initiatives sur {TOTAL}")
    frame = visit.map_frame()
    popup = frame.locator(".carte-popup")
    popup.get_by_text(name, exact=True).wait_for(timeout=20_000)  # open without a click
    link = popup.locator("a", has_text="Lien vers cette fiche")
    assert link.get_attribute("href") == f"{app_url}/?fiche={fiche}"
    popup.locator(".carte-copy").click()
    frame.wait_for_function("() => !document.querySelector('.carte-copy') || "
                            "document.querySelector('.carte-copy').textContent === '✓'")
    copied = visit.page.evaluate("() => navigator.clipboard.readText()")
    assert copied == f"{app_url}/?fiche={fiche}" or frame.locator(".carte-copy-field").count() == 1


def test_the_map_alone_embeds_in_a_partner_page(app_url, visit, tmp_path):
    embed = f"{app_url}/?embed=true&carte_seule=1&categorie=Restaurant+solidaire"
    partner = tmp_path / "partenaire.html"
    partner.write_text(f'<!doctype html><html lang="fr"><body><h1>Un site partenaire</h1>'
                       f'<iframe src="{embed}" width="800" height="640" title="Carte des Possibles"></iframe>'
                       "</body></html>", encoding="utf-8")
    visit.page.goto(partner.as_uri())
    app = next(f for f in visit.page.frames if f.url.startswith(app_url) and "streamlit_folium" not in f.url)
    assert wait_for_markers(visit, 4) == 4  # the restaurants of the filter, in the nested map
    assert app.locator("h1").count() == 0 and not app.locator("[data-testid=stSidebar]").is_visible()
    assert app.get_by_text("initiatives sur").count() == 0  # the map alone
    visit.screenshot("integration-partenaire")


def test_the_maps_centre_and_zoom_are_part_of_the_permalink(app_url, visit):
    visit.page.goto(f"{app_url}/?categorie=Restaurant+solidaire")
    frame = visit.map_frame()
    visit.settle()
    frame.evaluate("() => map_div.setView([43.2965, 5.3698], 14)")
    visit.page.wait_for_url(re.compile(r"vue_carte=43\.2965\d*(%2C|,)5\.3698\d*(%2C|,)14"), timeout=15_000)
    permalink = visit.page.url
    assert "categorie=" in permalink  # the filters stay in it
    other = Visit(visit.context)
    other.page.goto(permalink)
    again = other.map_frame()
    again.wait_for_function("() => map_div.getZoom() === 14 && Math.abs(map_div.getCenter().lat - 43.2965) < 1e-3"
                            " && Math.abs(map_div.getCenter().lng - 5.3698) < 1e-3", timeout=15_000)
    assert other.outside == []


VISIBLE_LABELS = """() => [...document.querySelectorAll('.carte-label')].filter(l => l.style.display !== 'none')
    .map(l => l.textContent)"""


def test_without_tiles_the_map_names_its_places(app_url, visit):
    visit.page.goto(app_url)
    frame = visit.map_frame()
    frame.evaluate("() => map_div.setView([43.29, 5.45], 10)")
    frame.wait_for_function(f"() => ({VISIBLE_LABELS})().includes('Aubagne')")
    assert "Marseille 1er" not in frame.evaluate(VISIBLE_LABELS)
    frame.evaluate("() => map_div.setView([43.2965, 5.3698], 13)")
    frame.wait_for_function(f"() => ({VISIBLE_LABELS})().includes('Marseille 1er')")
    assert "Marseille" not in frame.evaluate(VISIBLE_LABELS)  # the city's name gives way to its arrondissements
    visit.screenshot("carte-hors-ligne-noms")


OUTLINES = "() => document.querySelectorAll('.leaflet-overlay-pane path').length"


def test_the_outlines_are_a_file_fetched_once_not_sent_with_every_run(app_url, visit):
    """The commune outlines were 172 kB of every Carte run (load and each filter): now the page sends their
    address and the browser fetches the file once, then keeps it (issue 20)."""
    fetched = []
    visit.page.on("response", lambda answer: fetched.append(answer.status) if "/carte/contours/" in answer.url
                  else None)
    visit.page.goto(app_url)
    frame = visit.map_frame()
    frame.wait_for_function(f"() => ({OUTLINES})() >= 92", timeout=15_000)  # the 92 communes
    search = visit.page.get_by_role("textbox", name="Recherche")
    search.fill("jeunesse")
    search.press("Enter")
    wait_for_text(visit, "sur " + str(TOTAL))
    visit.settle()
    assert frame.evaluate(OUTLINES) >= 92 and fetched == [200]


def test_the_markers_come_as_a_file_and_one_that_cannot_be_fetched_is_said_over_the_map(app_url, visit):
    """A view's markers are a file named by its content (issue 20): drawn from it, and when it cannot be fetched
    the map says so in French instead of staying empty; the list under it still gives every initiative."""
    fetched = []
    visit.page.on("response", lambda answer: fetched.append(answer.status) if "/carte/vues/" in answer.url else None)
    visit.page.goto(app_url)
    visit.map_frame()
    assert fetched == [200]
    broken = Visit(visit.context)  # another visitor, whose browser cannot fetch the file
    broken.page.route("**/carte/vues/**", lambda route: route.abort())
    broken.page.goto(app_url)
    frame = broken.map_frame(drawn=False)
    alert = frame.get_by_role("alert")
    alert.wait_for(timeout=30_000)
    assert "Les initiatives n'ont pas pu être chargées" in alert.inner_text()
    broken.page.get_by_text("La sélection en liste").wait_for(timeout=30_000)
    broken.page.close()


def test_tiles_that_fail_before_the_outlines_arrive_still_leave_the_places_named(browser, tmp_path):
    """Offline at a venue the tiles fail at once, maybe before the outlines' file arrives: the place names are
    shown all the same when it does."""
    closed = f"http://127.0.0.1:{free_port()}/{{z}}/{{x}}/{{y}}.png"  # nothing listens: every tile fails
    held: list = []
    for url in serve_app(tmp_path / "streamlit.log", {"CARTE_TILES": closed}):
        visit = Visit(browser.new_context(viewport={"width": 1400, "height": 950}, locale="fr-FR"))
        try:
            visit.page.route("**/carte/contours/**", lambda route: held.append(route))  # kept until the tiles fail
            visit.page.goto(url)
            frame = visit.map_frame()
            frame.wait_for_function("() => document.querySelectorAll('.leaflet-tile').length > 0", timeout=15_000)
            visit.page.wait_for_timeout(1000)
            assert len(held) == 1 and frame.evaluate(VISIBLE_LABELS) == []
            held[0].continue_()  # no tile is asked again: only what was noted while the file was held shows them
            frame.wait_for_function("() => document.querySelectorAll('.carte-label').length > 0", timeout=15_000)
            frame.evaluate("() => map_div.setView([43.29, 5.45], 10)")
            frame.wait_for_function(f"() => ({VISIBLE_LABELS})().includes('Aubagne')", timeout=15_000)
            assert frame.evaluate(OUTLINES) >= 92
        finally:
            visit.context.close()


def test_presentation_mode_has_a_real_full_screen_button(app_url, browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")  # a projector
    visit = Visit(context)
    try:
        visit.page.goto(f"{app_url}/territoire?presentation=1")
        visit.page.get_by_text("Quitter le mode présentation").first.wait_for(timeout=30_000)
        button = visit.page.get_by_role("button", name="Plein écran")  # in the page itself: no frame, one Tab stop
        assert button.get_attribute("aria-pressed") == "false"
        button.click()
        visit.page.wait_for_function("() => document.fullscreenElement === document.documentElement",
                                     timeout=10_000)
        visit.page.wait_for_function("() => document.getElementById('plein-ecran').getAttribute('aria-pressed')"
                                     " === 'true'", timeout=5_000)
        visit.screenshot("presentation-plein-ecran")
        assert visit.outside == []
    finally:
        context.close()


def test_an_uncaught_error_shows_no_detail_to_the_visitor(browser, tmp_path):
    """client.showErrorDetails: the visitor sees that something failed, not its type, text or file paths."""
    log = tmp_path / "streamlit.log"
    for url in serve_app(log, {}, script="tests/e2e/scripts/raises.py"):
        visit = Visit(browser.new_context(locale="fr-FR"))
        try:
            visit.page.goto(url)
            visit.page.get_by_text("Page d'essai").wait_for(timeout=30_000)
            visit.page.wait_for_timeout(1500)
            text = visit.page.locator("body").inner_text()
        finally:
            visit.context.close()
        assert "secret.py" not in text and "ValueError" not in text and "Traceback" not in text
        assert "Cette page a rencontré une erreur." in text and "This app has encountered" not in text
    assert "ValueError" in log.read_text()  # the whole error is in the server's log


def test_the_standalone_html_opened_weeks_later_keeps_its_hours_dated_and_speaks_french(visit, tmp_path, monkeypatch):
    """A map saved on a USB stick on 1 December and opened on 6 January: no « today » it cannot know, but the week
    it knew, each day dated; the document says it is French."""
    from geo.export import to_standalone_html
    from geo.layer import read_layer
    from geo.selection import prepare
    from tests.conftest import DATA

    monkeypatch.setenv("CARTE_TILES", "none")
    monkeypatch.setenv("CARTE_NOW", "2026-12-01T10:00")
    table = prepare(read_layer(DATA / "sources" / "aix_en_provence.geojson"))
    table = table[table["id"] == "aix-2"]  # Mo-Fr 08:00-12:15,13:15-16:30
    path = tmp_path / "carte.html"
    path.write_bytes(to_standalone_html(table, (DATA / "communes.geojson").read_text(encoding="utf-8"), "Carte"))
    for when, expected in (("2026-12-01T10:00:00+01:00", "Ouvert maintenant Aujourd’hui 8h–12h15, 13h15–16h30"),
                           ("2027-01-06T10:00:00+01:00", "Horaires calculés pour la semaine du 1 décembre 2026")):
        page = visit.context.new_page()
        page.clock.set_fixed_time(when)
        page.goto(path.as_uri())
        assert page.evaluate("() => document.documentElement.lang") == "fr"
        page.wait_for_function(f"() => window.L && {CLUSTER_GROUPS}.length > 0")
        page.evaluate(f"() => {CLUSTER_GROUPS}[0]"
                      ".getLayers()[0].fire('click')")
        hours = page.locator(".carte-hours").first
        hours.wait_for(timeout=10_000)
        assert expected in hours.inner_text().replace("\n", " ")
        if when.startswith("2027"):
            hours.locator("summary").click()
            assert "Mardi 1 décembre 8h–12h15, 13h15–16h30" in hours.inner_text()
        page.close()
