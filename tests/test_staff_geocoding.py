"""Staff imports and edits during an address-service incident (issue 17, item 4): a file is located once, not
at every rerun; a refusal (HTTP 429) pauses the service for the whole server, staff and visitors alike, and
costs seconds, not two minutes; queries that just failed are not asked again; an edited address is asked of
the online service before the save, which finds the answer in the cache."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from geo.chain import GeocodingChain
from geo.files import REPO_DIR
from geo.geocoders.geoplateforme import BanStep
from geo.geocoders.guard import GuardedStep, ServiceGuard
from geo.position import Query
from geo.store import CatalogueStore
from tests.stub_geocoder import Reply, ban_answer
from tests.test_staff_pages import signed_in_contribution_page, staff_data  # noqa: F401 (the fixture)

SPREADSHEET = (
    "nom;catégorie;thèmes;description;adresse;code postal;commune;source\r\n"
    "Épicerie du Panier;restaurant-solidaire;alimentation;Paniers.;12 rue du Panier;13002;Marseille;Test\r\n"
    "Atelier vélo;association;environnement;Réparations.;3 rue de la République;13002;Marseille;Test\r\n"
    "Jardin partagé;projet-solidaire;agriculture-urbaine;Jardin.;5 place de Lenche;13002;Marseille;Test\r\n"
).encode()
CANEBIERE = ban_answer("10 La Canebière 13001 Marseille", 43.2969, 5.3790, postcode="13001", citycode="13201")


@pytest.fixture
def online(stub, monkeypatch):
    monkeypatch.delenv("CARTE_GEOCODING", raising=False)
    monkeypatch.setenv("CARTE_BAN_URL", f"{stub.url}/ban")
    from ui import geocoding

    geocoding.ban_guard.clear()
    geocoding._ban.clear()
    geocoding._address_search.clear()
    yield stub
    geocoding.ban_guard.clear()


def located(folder, territory, identifier: str) -> dict:
    """Where the catalogue now puts ``identifier``, from its published layer."""
    return CatalogueStore.open(folder, territory).layer_table()[1].set_index("id").loc[identifier].to_dict()


def upload(app: AppTest) -> AppTest:
    app.button_group(key="contribuer_section").set_value("Importer un tableur").run()
    app.file_uploader(key="import_file").upload("nouvelles.csv", SPREADSHEET, "text/csv").run()
    assert not app.exception, app.exception
    return app


def test_an_import_is_located_once_and_a_refusal_pauses_the_service_for_everyone(staff_data, online,  # noqa: F811
                                                                                 monkeypatch, territory):
    online.script("ban", Reply({"message": "trop de requêtes"}, status=429, headers={"Retry-After": "120"}))
    app = signed_in_contribution_page(monkeypatch)
    began = time.monotonic()
    upload(app)
    assert time.monotonic() - began < 15  # before: Retry-After honoured, 120 s at upload and again at « Ajouter »
    assert len(online.requests) == 2  # the first row and its one retry; then the pause holds for the others
    assert any("3 nouvelle(s) initiative(s) valide(s)" in s.value for s in app.success)
    app.text_input(key=next(w.key for w in app.text_input if w.key and w.key.startswith("import_source"))) \
        .input("Relevé de l'équipe, décembre 2026").run()
    next(b for b in app.button if b.label == "Ajouter au catalogue").click().run()
    assert not app.exception, app.exception
    assert any("3 initiative(s) ajoutée(s)." in s.value for s in app.success)
    assert len(online.requests) == 2  # nothing asked again at the reruns, nor by the save
    added = located(staff_data, territory, "epicerie-du-panier")
    assert added["precision"] in {"street", "commune"} and added["provider"] != "ban"  # the offline answer
    visitor = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60)
    visitor.switch_page("app_pages/autour_de_moi.py").run()
    visitor.text_input[0].input("10 la Canebière, Marseille")
    visitor.button[0].click().run()
    assert not visitor.exception and len(online.requests) == 2  # the visitors share the pause


def test_an_edited_address_is_asked_online_before_the_save(staff_data, online, monkeypatch, territory):  # noqa: F811
    online.script("ban", Reply(ban_answer("3 Rue de la République 13002 Marseille", 43.29857, 5.36945)))
    app = signed_in_contribution_page(monkeypatch)
    app.button_group(key="contribuer_section").set_value("Ajouter ou modifier").run()
    app.selectbox(key="edit_id").set_value("le-republique").run()
    form = {widget.label: widget for widget in app.text_input}
    form["Adresse"].input("3 rue de la République")  # it moves, in the same arrondissement
    form["Code postal"].input("13002")
    next(b for b in app.button if b.label == "Enregistrer").click().run()
    assert not app.exception, app.exception
    assert any("Modification enregistrée." in s.value for s in app.success), [e.value for e in app.error]
    assert [r.params["q"][0] for r in online.requests] == ["3 rue de la République, 13002 Marseille"]
    row = located(staff_data, territory, "le-republique")
    assert (row["precision"], row["provider"], row["lat"]) == ("address", "ban", 43.29857)  # before: offline


def test_slow_answers_trip_the_service_after_two_failures_and_failed_queries_are_not_asked_again(stub, territory):
    stub.script("ban", Reply(CANEBIERE, delay=3))  # slower than the 1 s timeout
    guard = ServiceGuard("BAN", trip_after=2, trip_seconds=60)
    chain = GeocodingChain(territory, online=(GuardedStep(BanStep(f"{stub.url}/ban", attempts=1, timeout=1,
                                                                  proxies={}), guard),))
    queries = [Query(f"{n} rue du Panier", "13002", territory.by_insee("13055"), territory.by_insee("13202"))
               for n in range(1, 6)]
    began = time.monotonic()
    outcomes = [chain.locate(query) for query in queries]
    assert time.monotonic() - began < 6  # two timeouts of 1 s (not five), then the service is left alone
    assert len(stub.requests) == 2 and guard.paused_for() > 55
    assert all(outcome.position.precision in {"street", "commune"} for outcome in outcomes)
    assert "non interrogé (en pause encore" in outcomes[-1].notes[0]
    assert guard.recently_failed(queries[0].key)


def test_a_file_is_located_once_whatever_the_reruns_that_follow(staff_data, online, monkeypatch):  # noqa: F811
    # A vague answer is neither cached nor a failure: only the preview's own memory keeps it from being asked again.
    online.script("ban", Reply(ban_answer("Marseille", 43.29, 5.37, score=0.1, kind="municipality")))
    app = signed_in_contribution_page(monkeypatch)
    upload(app)
    assert len(online.requests) == 3
    app.text_input(key=next(w.key for w in app.text_input if w.key and w.key.startswith("import_source"))) \
        .input("Relevé de l'équipe, décembre 2026").run()
    next(b for b in app.button if b.label == "Ajouter au catalogue").click().run()
    assert any("3 initiative(s) ajoutée(s)." in s.value for s in app.success)
    assert len(online.requests) == 3  # before: 9, the file located again at each rerun
