"""Every page through streamlit.testing.v1.AppTest: filters, empty selections, permalinks, distances."""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import re

import pytest
from geopy.distance import geodesic
from streamlit.testing.v1 import AppTest

from geo.clock import PARIS
from geo.files import REPO_DIR
from tests.conftest import DATA, TOTAL, shown_sources
from tests.stub_geocoder import Reply, ban_answer

VIEUX_PORT = (43.2951, 5.3744)


@pytest.fixture(autouse=True)
def offline_app(monkeypatch):
    monkeypatch.setenv("CARTE_TILES", "none")
    monkeypatch.setenv("CARTE_GEOCODING", "offline")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


def open_page(page: str = "", **params) -> AppTest:
    """Open a page as a visitor following a link would: that page, those query parameters."""
    app = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60)
    if page:
        app.switch_page(f"app_pages/{page}.py")
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, app.exception
    return app


CATALOGUE = "Carte des Possibles"  # the source filter's label for the team's catalogue


def shown_count(app: AppTest, total: int = TOTAL) -> int:
    match = next(re.match(rf"\*\*(\d+)\*\* initiatives? sur {total}$", m.value) for m in app.markdown
                 if re.match(r"\*\*\d+\*\* initiative", m.value))
    return int(match.group(1))


def listed_names(app: AppTest) -> list[str]:
    return list(app.dataframe[0].value["name"])


def test_the_map_page_shows_every_initiative_by_default():
    app = open_page()
    assert app.title[0].value == "Carte des Possibles"
    assert shown_count(app) == TOTAL == len(listed_names(app))
    assert [b.label for b in app.get("download_button")] == ["Télécharger en CSV", "Télécharger en GeoJSON"]


@pytest.mark.parametrize(("widget", "value", "expected"), [
    ("Catégorie", ["restaurant-solidaire"], 4),
    ("Thème", ["droits-des-femmes"], 2),
    ("Commune ou arrondissement", ["13028"], 1),
])
def test_each_multiselect_filter_changes_the_selection(widget, value, expected):
    app = open_page(source=CATALOGUE)
    next(w for w in app.multiselect if w.label == widget).set_value(value).run()
    assert shown_count(app) == expected == len(listed_names(app))


def test_text_and_year_filters():
    app = open_page(source=CATALOGUE)
    app.text_input(key="q").input("présage").run()
    assert listed_names(app) == ["Le Présage"]
    app.text_input(key="q").input("").run()
    app.slider(key="annees").set_value((2019, 2019)).run()
    assert shown_count(app) == 16


def test_an_empty_selection_says_so_kindly():
    app = open_page()
    app.text_input(key="q").input("zzz introuvable").run()
    assert shown_count(app) == 0
    assert "Aucune initiative ne correspond" in app.info[0].value
    assert not app.dataframe


def test_permalink_query_parameters_seed_the_filters():
    app = open_page(categorie="Restaurant solidaire", commune="Marseille")
    assert app.multiselect(key="categorie").value == ["restaurant-solidaire"]
    assert sorted(listed_names(app)) == ["Le Présage", "Le République", "Les Beaux Mets"]
    app = open_page(q="mucem")
    assert listed_names(app) == ["Remise du Prix des Possibles au Mucem"]


def test_unknown_query_parameters_are_ignored():
    app = open_page(categorie="<script>alert(1)</script>")
    assert shown_count(app) == TOTAL


def result_names(app: AppTest) -> list[str]:
    """The names of Autour de moi's results, in order: each is a heading « 1. Name »."""
    return [html.unescape(match.group(1)) for h in app.get("html")
            if (match := re.match(r'<h2 class="carte-resultat">\d+\. (.*)</h2>$', h.proto.body))]


def test_around_me_from_a_commune_lists_restaurants_nearest_first():
    app = open_page("autour_de_moi")
    app.button_group(key="start_mode").set_value("commune").run()
    app.selectbox[0].set_value("13201").run()
    app.select_slider(key="near_radius").set_value(50).run()
    names = result_names(app)
    assert names[0] == "Le République" and sorted(names) == sorted(
        ["Le République", "Les Beaux Mets", "Le Présage", "L'Oiseau rieur"])
    start = app.session_state["start"]
    table = {"Le République": (43.29936, 5.37134), "Les Beaux Mets": (43.233489, 5.413714),
             "Le Présage": (43.34728, 5.43943), "L'Oiseau rieur": (43.1899, 5.61648)}
    distances = [geodesic((start.lat, start.lon), table[name]).km for name in names]
    assert distances == sorted(distances)


def test_around_me_from_an_address_through_the_ban(monkeypatch, stub):
    monkeypatch.delenv("CARTE_GEOCODING")
    monkeypatch.setenv("CARTE_BAN_URL", f"{stub.url}/ban")
    stub.script("ban", Reply(ban_answer("10 La Canebière 13001 Marseille", 43.2969, 5.3790, postcode="13001",
                                        citycode="13201")))
    app = open_page("autour_de_moi")
    app.text_input[0].input("10 la Canebière, Marseille")
    app.button[0].click().run()
    assert stub.requests[0].params["q"] == ["10 la Canebière, Marseille"]
    assert "Départ : 10 La Canebière 13001 Marseille" in app.success[0].value
    assert result_names(app)[0] == "Le République"


def test_around_me_with_an_unknown_address_explains_what_to_do():
    app = open_page("autour_de_moi")
    app.text_input[0].input("nulle part ailleurs")
    app.button[0].click().run()
    message = app.warning[0].value.replace("\\", "")  # markdown escapes of the typed text
    assert "Adresse introuvable : « nulle part ailleurs »" in message
    assert result_names(app) == []


def test_with_nothing_in_the_radius_the_nearest_are_shown_anyway():
    app = open_page("autour_de_moi")
    app.button_group(key="start_mode").set_value("commune").run()
    app.selectbox[0].set_value("13005").run()  # Aubagne: no solidarity restaurant within the default 10 km
    assert "la plus proche est à" in app.info[0].value
    names = result_names(app)
    assert len(names) == 3  # the three nearest, however far
    far = [m.value for m in app.markdown if "à vol d'oiseau" in m.value]
    assert far and not any("h " in m.value and "à pied" in m.value for m in app.markdown)  # no "3 h 29 à pied"
    assert any(b.label == "Itinéraire en transports en commun" for b in app.get("link_button"))


def test_territory_page_key_figures_and_tour():
    app = open_page("territoire", source=CATALOGUE)
    assert [m.label for m in app.metric] == ["Initiatives", "Communes concernées", "Prix et labels",
                                            "Restaurants solidaires"]
    assert [m.value for m in app.metric] == ["33", "4 / 92", "3", "4"]
    first = app.header[0].value
    app.button[1].click().run()  # "Suivante"
    assert app.header[0].value != first
    assert any("Étape <b>2</b>" in m.value for m in app.markdown)


def test_territory_page_follows_the_filters():
    app = open_page("territoire", categorie="Lauréat d'un prix")
    assert app.metric[0].value == "2"


def test_data_page_table_downloads_and_credits():
    app = open_page("donnees")
    assert len(app.dataframe[0].value) == TOTAL
    assert {"precision_label", "provider", "source"} <= set(app.dataframe[0].value.columns)
    assert [b.label for b in app.get("download_button")] == [
        "CSV (tableur)", "GeoJSON (SIG)", "Carte HTML autonome", "data·inclusion (ZIP)",
        "Lieux de médiation numérique, standard ANCT (ZIP)"]
    assert any("OpenStreetMap" in m.value and "Licence Ouverte" in m.value for m in app.markdown)


def test_presentation_mode_hides_the_chrome_and_can_be_left():
    app = open_page()
    next(b for b in app.button if b.label == "Mode présentation").click().run()
    assert app.query_params["presentation"] == "1"  # part of the permalink
    assert not app.title  # full-width map, no title or list
    assert not app.dataframe
    next(b for b in app.button if b.label == "Quitter le mode présentation").click().run()
    assert app.title[0].value == "Carte des Possibles" and "presentation" not in app.query_params


def test_presentation_mode_holds_through_the_tour_and_a_section_change():
    app = open_page("territoire", presentation="1")
    assert not app.title
    assert not [m for m in app.multiselect if m.key == "tour_ids"]  # no step picker before an audience
    first = app.header[0].value
    next(b for b in app.button if b.label == "Suivante ▶").click().run()
    assert app.header[0].value != first and not app.title  # step 2: still presenting
    app.button_group(key="vue").set_value("Répartition").run()
    assert not app.title and app.query_params["presentation"] == "1"
    assert any("font-size: 28px" in h.proto.body for h in app.get("html"))
    figures = next(h.proto.body for h in app.get("html") if 'class="carte-figures"' in h.proto.body)
    assert str(TOTAL) in figures and "<li>" in figures  # the figures, a list of items (read as such)
    assert any(".carte-figure { font-size: 56px" in h.proto.body for h in app.get("html"))


def around_me_from(code: str, categories: list[str], **params) -> AppTest:
    app = open_page("autour_de_moi", **params)
    app.button_group(key="start_mode").set_value("commune").run()
    app.selectbox[0].set_value(code).run()
    app.multiselect(key="near_categories").set_value(categories).run()
    app.select_slider(key="near_radius").set_value(None).run()
    return app


def test_around_me_leaves_out_ended_initiatives_and_what_is_not_a_place():
    app = around_me_from("13201", ["projet-solidaire"])
    assert "Coco Velten" not in result_names(app) and "SKOLA" in result_names(app)
    app.toggle(key="near_ended").set_value(True).run()
    assert "Coco Velten" in result_names(app)
    assert any("Terminé en 2023" in m.value for m in app.markdown)
    options = app.multiselect(key="near_categories").options
    assert "Prix / label" not in options and "Défi territorial" not in options
    assert "Lieu de médiation numérique" in options


def every_result(app: AppTest) -> list[str]:
    """Autour de moi's results, « Voir plus » pressed until every one is shown."""
    for _ in range(100):
        more = [b for b in app.button if b.key == "near_more"]
        if not more:
            return result_names(app)
        more[0].click().run()
    raise AssertionError("« Voir plus » never ends")


def test_open_now_with_a_fixed_clock(monkeypatch):
    monkeypatch.setenv("CARTE_NOW", "2026-11-24T10:00")  # a Tuesday morning, Paris time
    app = around_me_from("13201", ["mediation-numerique"])
    everyone = every_result(app)
    app.toggle(key="near_open").set_value(True).run()
    listed = every_result(app)
    opened = sum("Ouvert maintenant · aujourd’hui" in m.value for m in app.markdown)
    unsure = len(listed) - opened
    assert 0 < opened < len(listed) < len(everyone)  # the open ones, then apart those whose hours say nothing now
    assert not any("Fermé maintenant" in m.value for m in app.markdown)  # closed ones are left out, not listed
    assert any(h.proto.body == '<h2 class="carte-groupe">Horaires non renseignés ou à confirmer</h2>'
               for h in app.get("html"))
    monkeypatch.setenv("CARTE_NOW", "2026-11-29T10:00")  # a Sunday morning
    app.run()
    assert "Aucun lieu ouvert maintenant" in app.info[0].value
    assert len(every_result(app)) == unsure  # before: nothing at all, the unknown silently dropped
    carte = open_page(ouvert="true")
    monkeypatch.setenv("CARTE_NOW", "2026-11-24T10:00")
    carte.run()
    # The places whose hours say open on a Tuesday at 10:00 (read from the shipped layers), then apart those whose
    # hours say nothing for now.
    said = next(c.value for c in carte.caption if "ouvertes maintenant selon les horaires publiés" in c.value)
    shown_unsure = int(re.search(r"puis (\d+) aux horaires", said).group(1))
    expected = open_in_shipped_layers(dt.datetime(2026, 11, 24, 10, 0, tzinfo=PARIS))
    assert said.startswith(f"{expected} ouvertes") and shown_count(carte) == expected + shown_unsure
    assert shown_unsure > 0 and 0 < expected < TOTAL


def open_in_shipped_layers(moment) -> int:
    from geo.hours import open_mask
    from geo.layer import read_layer

    layers = [read_layer(DATA / "initiatives.geojson"), shown_sources()[0]]
    hours = [expression for layer in layers for expression, status in
             zip(layer["opening_hours"].fillna(""), layer["status"].fillna(""), strict=True)
             if status not in ("watch", "ended")]  # never said open, whatever their hours
    return sum(open_mask(hours, moment))


@pytest.mark.parametrize("button", ["Effacer les filtres", "reset_empty"])
def test_clearing_the_filters_clears_them_from_a_permalink_and_by_hand(button):
    app = open_page(categorie="Restaurant solidaire", q="zzz" if button == "reset_empty" else "")
    app.multiselect(key="theme").set_value(["alimentation"]).run()
    target = (next(b for b in app.button if b.label == button) if button != "reset_empty"
              else app.button(key="reset_empty"))
    target.click().run()
    assert shown_count(app) == TOTAL
    assert not {"categorie", "theme", "q"} & set(app.query_params)
    assert app.multiselect(key="categorie").value == [] and app.multiselect(key="theme").value == []


def test_a_link_to_a_fiche_that_no_longer_exists_says_so():
    app = open_page(fiche="n-existe-pas")
    assert "Cette fiche n'existe pas ou plus" in app.warning[0].value
    assert shown_count(app) == TOTAL


@pytest.mark.parametrize(("typed", "found"), [("republiqe", "Le République"), ("beaux-mets", "Les Beaux Mets"),
                                              ("LA CIOTAT", "L'Oiseau rieur"), ("resturant solidaire", "Le Présage")])
def test_search_forgives_typos_hyphens_and_case(typed, found):
    app = open_page(q=typed)
    assert found in listed_names(app)
    if typed == "republiqe":
        assert any("Recherche approchée" in c.value and "republique" in c.value for c in app.caption)


def test_search_typos_are_not_stretched_to_other_words():
    from geo.search import TextIndex

    index = TextIndex(["le republique restaurant", "innovation publique", "jeunesse"])
    assert index.close_words("republiqe") == ["republique"]  # not "publique", two letters away
    assert index.close_words("jeun") == []  # short words must match as typed


def test_needs_keep_only_what_a_page_says_and_say_so_when_none_does():
    app = around_me_from("13202", ["restaurant-solidaire"])
    next(w for w in app.get("button_group") if w.key == "near_needs").set_value(["prix-solidaire"]).run()
    assert result_names(app) == ["Le République"]  # its price fact: 1 € for people sent by a partner association
    assert any(m.value.startswith("**Prix** : ") for m in app.markdown)
    next(w for w in app.get("button_group") if w.key == "near_needs").set_value(["fauteuil"]).run()
    assert result_names(app) == []  # no page says a restaurant is wheelchair accessible: not taken for a yes
    assert "pour laquelle une page dit « accessible en fauteuil »" in app.info[0].value
    assert "n'est pas un non" in app.info[0].value


def test_every_page_file_has_its_line_in_the_registry_and_says_what_it_needs():
    """A page is a file in app_pages/ and a line in ui/pages.py: none forgotten, none missing, one default."""
    from ui.pages import PAGES

    files = {f"app_pages/{path.name}" for path in (REPO_DIR / "app_pages").glob("*.py")}
    assert sorted(spec.path for spec in PAGES) == sorted(files)
    assert [spec.title for spec in PAGES if spec.default] == ["Carte"]
    assert {spec.title for spec in PAGES if spec.filters} == {"Carte", "Territoire", "Données"}
    assert all(spec.staff for spec in PAGES if spec.signed_in)


def test_every_relative_link_of_the_documents_reaches_a_file():
    """The README and docs/ moved apart: a link left pointing at the old place is caught here."""
    documents = [REPO_DIR / "README.md", REPO_DIR / "CONTRIBUTING.md", REPO_DIR / "CHANGELOG.md",
                 *(REPO_DIR / "docs").glob("*.md")]
    broken = []
    for document in documents:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", document.read_text(encoding="utf-8")):
            if not target.startswith(("http://", "https://", "mailto:")) and not (document.parent / target).exists():
                broken.append(f"{document.name}: {target}")
    assert broken == []


def test_around_me_shows_the_nearest_twenty_then_twenty_more_and_starts_again_for_a_new_search():
    app = around_me_from("13201", ["mediation-numerique"])
    names = result_names(app)
    assert len(names) == 20  # the nearest first, not every place of the métropole
    total = int(next(m.value for m in app.markdown if "plus proches ci-dessous" in m.value).split("**")[1].split()[0])
    assert total > 40
    more = next(b for b in app.button if b.key == "near_more")
    assert more.label == "Voir 20 résultats de plus"
    more.click().run()
    longer = result_names(app)
    assert len(longer) == 40 and longer[:20] == names  # the same first twenty, twenty more after them
    app.select_slider(key="near_radius").set_value(50).run()  # a new search: back to the nearest twenty
    assert len(result_names(app)) == 20


def test_a_carte_run_renders_its_map_once_and_looks_no_tile_provider_up(monkeypatch):
    """Per-run work a visitor's page pays on the server (issue 20): st_folium rendered the whole figure before
    rendering the map again, and folium looked our tile URL up among xyzservices' providers."""
    import branca.element
    import xyzservices

    monkeypatch.setenv("CARTE_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    calls = {"figure": 0, "provider": 0}
    figure_render, query_name = branca.element.Figure.render, xyzservices.Bunch.query_name

    def counted_render(self, **kwargs):
        calls["figure"] += 1
        return figure_render(self, **kwargs)

    def counted_query(self, name):
        calls["provider"] += 1
        return query_name(self, name)

    monkeypatch.setattr(branca.element.Figure, "render", counted_render)
    monkeypatch.setattr(xyzservices.Bunch, "query_name", counted_query)
    app = open_page()
    (the_map,) = app.get("component_instance")
    assert "tile.openstreetmap.org" in the_map.proto.json_args and "Carte.addInitiatives" in the_map.proto.json_args
    assert calls == {"figure": 0, "provider": 0}


def test_the_carte_sends_the_address_of_its_markers_and_a_visitor_s_start_never_leaves_their_page():
    """The first view's markers (208 kB at the shipped size) went through the WebSocket at every page load: the
    page now carries the address of the same payload published under its digest, which a browser keeps (issue
    20). A view around a visitor's starting point stays in their page: no file on the server holds it."""
    from geo.webmap.assets import STATIC_DIR
    from geo.webmap.markers import markers_payload
    from ui.data import initiatives

    app = open_page()
    (the_map,) = app.get("component_instance")
    args = the_map.proto.json_args.replace('\\"', '"')
    url = re.search(r'Carte\.addInitiatives\(feature_group_\w+, \{"url":"(/app/static/carte/vues/[0-9a-f]{16}\.json)"',
                    args)
    assert url, args[:300]
    assert '"markers":' not in args and len(args) < 20_000
    published = (STATIC_DIR / "carte" / url.group(1).removeprefix("/app/static/carte/")).read_text(encoding="utf-8")
    assert json.loads(published)["markers"]["n"] == initiatives()["name"].tolist()
    assert published == markers_payload(initiatives())

    around = around_me_from("13201", [])
    (nearby_map,) = around.get("component_instance")
    nearby = nearby_map.proto.json_args.replace('\\"', '"')
    assert '"from":[' in nearby and "/carte/vues/" not in nearby


def test_a_view_that_cannot_be_written_travels_in_the_page_and_is_said_in_the_log(monkeypatch, caplog):
    """A full or read-only disk: the map still draws (its markers in the page), no traceback, a log line."""
    from geo.webmap import assets

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(assets, "publish_data", full_disk)
    monkeypatch.setattr(logging.getLogger("carte"), "propagate", True)  # the app's own handler stops it otherwise
    caplog.set_level("ERROR", logger="carte")
    app = open_page()
    (the_map,) = app.get("component_instance")
    args = the_map.proto.json_args.replace('\\"', '"')
    assert "/carte/vues/" not in args and '"markers":{' in args
    assert "vue de la carte non publiée (OSError)" in caplog.text
