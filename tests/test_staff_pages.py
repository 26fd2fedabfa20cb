"""The staff pages through AppTest: hidden signed out, sign-in with the hashed password, the edit form."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from geo.build import build
from geo.chain import data_chain
from geo.files import REPO_DIR
from geo.passwords import hash_password
from geo.store import CatalogueStore
from tests.conftest import DATA, REFERENCE_FILES, initiative
from ui.escape import plain

PASSWORD = "mot de passe de test"


@pytest.fixture
def staff_data(tmp_path, monkeypatch, territory):
    folder = tmp_path / "data"
    folder.mkdir()
    for name in (*REFERENCE_FILES, "initiatives.csv"):
        shutil.copy(DATA / name, folder / name)
    build(folder, territory, data_chain(folder, territory))
    monkeypatch.setenv("CARTE_DATA_DIR", str(folder))
    monkeypatch.setenv("CARTE_TILES", "none")
    monkeypatch.setenv("CARTE_GEOCODING", "offline")
    return folder


def open_team_page() -> AppTest:
    app = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60)
    app.switch_page("app_pages/equipe.py")
    app.run()
    assert not app.exception, app.exception
    return app


def test_without_any_sign_in_method_editing_is_off_and_says_how(staff_data, monkeypatch):
    monkeypatch.delenv("CARTE_STAFF_PASSWORD_HASH", raising=False)
    app = open_team_page()
    assert "L'édition est désactivée" in app.info[0].value and not app.text_input


def test_a_password_hash_in_the_secrets_signs_staff_in(staff_data, monkeypatch):
    """Streamlit's secrets reach the settings: the hash in secrets.toml alone lets the password in."""
    monkeypatch.delenv("CARTE_STAFF_PASSWORD_HASH", raising=False)
    app = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60)
    app.secrets["staff_password_hash"] = hash_password(PASSWORD)
    app.switch_page("app_pages/equipe.py")
    app.run()
    app.text_input[0].input(PASSWORD)
    app.button[0].click().run()
    assert not app.exception, app.exception
    assert "Vous êtes connecté·e." in app.success[0].value


def fail_three_times(monkeypatch) -> AppTest:
    from ui.auth import lockout

    monkeypatch.setenv("CARTE_STAFF_PASSWORD_HASH", hash_password(PASSWORD))
    monkeypatch.setattr(lockout(), "clock", lambda: 1000.0)  # the 2 s wait never runs out under a slow machine
    app = open_team_page()
    for _ in range(3):
        app.text_input[0].input("non")
        app.button[0].click().run()
        assert "Mot de passe incorrect." in app.error[0].value
    return app


def test_a_wrong_password_is_refused_and_after_three_the_client_waits(staff_data, monkeypatch):
    app = fail_three_times(monkeypatch)
    app.run()
    assert "Trop d'essais : réessayez dans" in app.error[0].value and not app.text_input


def test_signed_in_staff_add_an_initiative_with_the_form(staff_data, territory, monkeypatch):
    monkeypatch.setenv("CARTE_STAFF_PASSWORD_HASH", hash_password(PASSWORD))
    app = open_team_page()
    app.text_input[0].input(PASSWORD)
    app.button[0].click().run()
    assert "Vous êtes connecté·e." in app.success[0].value
    app.switch_page("app_pages/contribuer.py").run()
    assert not app.exception, app.exception
    app.button_group(key="contribuer_section").set_value("Ajouter ou modifier").run()
    form = {widget.label: widget for widget in app.text_input}
    form["Nom"].input("Jardin partagé des Aygalades")
    app.text_area[0].input("Jardin cultivé par les habitants.")
    form["Code postal"].input("13015")
    form["Année"].input("2026")
    form["Source (document, date)"].input("Équipe, novembre 2026")
    next(w for w in app.multiselect if w.label == "Thèmes").set_value(["agriculture-urbaine"])
    next(w for w in app.selectbox if w.label == "Catégorie").set_value("projet-solidaire")
    next(w for w in app.selectbox if w.label == "Commune").set_value("Marseille")
    next(b for b in app.button if b.label == "Enregistrer").click().run()
    assert not app.exception, app.exception
    assert any("Initiative ajoutée." in s.value for s in app.success)
    catalogue = CatalogueStore.open(staff_data, territory)
    added = catalogue.layer_table()[1].set_index("id").loc["jardin-partage-des-aygalades"]
    assert added["insee"] == "13215" and catalogue.history()[0].author == "équipe (mot de passe partagé)"


def test_text_from_the_data_reaches_markdown_escaped(staff_data, territory):
    trap = "![x](http://evil.example/x.png) **gras**"
    CatalogueStore.open(staff_data, territory).add([initiative(id="piege", name=trap, source=trap, address="")])
    app = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60)
    app.switch_page("app_pages/territoire.py").run()
    app.multiselect(key="tour_ids").set_value(["piege"]).run()
    assert not app.exception, app.exception
    assert app.header[0].value == plain(trap)  # shown as typed: no image, no bold
    assert any(caption.value == f"Source : {plain(trap)}" for caption in app.caption)


def test_the_pause_survives_a_reload_and_holds_the_right_password(staff_data, monkeypatch):
    fail_three_times(monkeypatch)
    reloaded = open_team_page()  # a new session, as a reload gives
    assert "Trop d'essais" in reloaded.error[0].value and not reloaded.text_input


def test_a_password_longer_than_the_cap_is_refused_without_hashing(staff_data, monkeypatch):
    import hashlib

    from geo.passwords import verify_password

    monkeypatch.setenv("CARTE_STAFF_PASSWORD_HASH", hash_password(PASSWORD))
    app = open_team_page()
    assert app.text_input[0].max_chars == 200
    stored = hash_password(PASSWORD)
    hashed = []
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: hashed.append(a) or b"")
    assert not verify_password(PASSWORD + "x" * 10_000, stored)  # a crafted value past the field's cap
    assert not verify_password(None, stored) and hashed == []


def test_a_crafted_session_value_is_not_a_sign_in(staff_data, monkeypatch):
    monkeypatch.setenv("CARTE_STAFF_PASSWORD_HASH", hash_password(PASSWORD))
    app = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60)
    app.session_state["staff_pass"] = True  # a widget named like the pass gives a plain value, never a pass
    app.session_state["staff_signed_in"] = True  # the flag of the previous release
    assert not reaches_contribuer(app)


def test_a_sign_in_ends_after_thirty_minutes_without_activity(staff_data, monkeypatch):
    import time

    monkeypatch.setenv("CARTE_STAFF_PASSWORD_HASH", hash_password(PASSWORD))
    app = open_team_page()
    app.text_input[0].input(PASSWORD)
    app.button[0].click().run()
    assert "Vous êtes connecté·e." in app.success[0].value
    start = time.monotonic()
    monkeypatch.setattr("ui.auth._clock", lambda: start + 29 * 60)
    assert reaches_contribuer(app)  # a run within 30 min renews it
    monkeypatch.setattr("ui.auth._clock", lambda: start + 29 * 60 + 31 * 60)
    assert not reaches_contribuer(app)
    app.switch_page("app_pages/equipe.py").run()
    assert "déconnecté·e après 30 min sans activité" in app.warning[0].value and app.text_input


def reaches_contribuer(app: AppTest) -> bool:
    """Whether the session opens the Contribuer page (app.py registers it only for signed-in staff)."""
    app.switch_page("app_pages/contribuer.py").run()
    assert not app.exception, app.exception
    return any(group.key == "contribuer_section" for group in app.button_group)


@pytest.fixture(autouse=True)
def fresh_lockout():
    """Each test starts with no failed sign-in on record (the count is per server, so per process here)."""
    from ui.auth import lockout

    lockout.clear()
    yield
    lockout.clear()


def signed_in_contribution_page(monkeypatch, name: str = "") -> AppTest:
    monkeypatch.setenv("CARTE_STAFF_PASSWORD_HASH", hash_password(PASSWORD))
    app = open_team_page()
    app.text_input[0].input(PASSWORD)
    if name:
        app.text_input[1].input(name)
    app.button[0].click().run()
    app.switch_page("app_pages/contribuer.py").run()
    assert not app.exception, app.exception
    return app


def test_history_names_who_did_what_and_restores_a_version_three_steps_back(staff_data, territory, monkeypatch):
    catalogue = CatalogueStore.open(staff_data, territory)
    catalogue.update("le-republique", {"description": "Texte changé."}, "Camille")  # 2
    catalogue.delete("skola", "Dominique")  # 3
    catalogue.add([initiative(id="nouvelle", name="Nouvelle", address="")], "Sacha")  # 4
    app = signed_in_contribution_page(monkeypatch, name="Alix")
    app.button_group(key="contribuer_section").set_value("Historique").run()
    history = app.dataframe[0].value
    assert list(history["Par"])[:3] == ["Sacha", "Dominique", "Camille"]
    assert list(history["Action"])[:3] == ["Ajout", "Suppression", "Modification"]
    app.selectbox(key="history_version").set_value(2).run()
    changes = app.dataframe[1].value.iloc[0]  # what version 2 changed, before → after
    assert (changes["Initiative"], changes["Champ"], changes["Après"]) == ("Le République", "description",
                                                                          "Texte changé.")
    app.selectbox(key="history_version").set_value(1).run()
    app.button(key="restore_version").click().run()
    assert not app.exception, app.exception
    assert any("Version n° 1 rétablie." in s.value for s in app.success)
    rows = {row["id"]: row for row in catalogue.rows()}
    assert "skola" in rows and "nouvelle" not in rows and rows["le-republique"]["description"] != "Texte changé."
    assert catalogue.history()[0].author == "Alix (mot de passe de l'équipe)"
    assert "skola" in set(catalogue.layer_table()[1]["id"])  # the public layer follows


def test_an_edit_saved_after_someone_elses_is_refused_with_who_and_nothing_merged(staff_data, territory,
                                                                                 monkeypatch):
    app = signed_in_contribution_page(monkeypatch)
    app.button_group(key="contribuer_section").set_value("Ajouter ou modifier").run()
    app.selectbox(key="edit_id").set_value("le-republique").run()  # opened at revision 1
    shipped = CatalogueStore.open(staff_data, territory).row("le-republique")["opening_hours"]
    CatalogueStore.open(staff_data, territory).update("le-republique", {"award": "Prix de test"}, "Camille")
    next(w for w in app.text_input if w.label == "Horaires (format OpenStreetMap)").input("Mo-Fr 12:00-14:00")
    next(b for b in app.button if b.label == "Enregistrer").click().run()
    assert not app.exception, app.exception
    assert "Conflit" in app.error[0].value and "modifiée par Camille" in app.error[0].value
    row = CatalogueStore.open(staff_data, territory).row("le-republique")
    assert (row["award"], row["opening_hours"], row["revision"]) == ("Prix de test", shipped, 2)


def test_on_a_disk_wiped_at_restart_editing_is_refused_rather_than_lost(staff_data, monkeypatch):
    monkeypatch.setenv("CARTE_EPHEMERAL_DISK", "1")
    app = signed_in_contribution_page(monkeypatch)
    assert "efface son disque à chaque redémarrage" in app.error[0].value
    assert not app.get("file_uploader") and not app.button_group


@pytest.fixture
def staff_catalogue(staff_data, territory, database_url, monkeypatch):
    """The shipped catalogue in a database of each kind (SQLite file, PostgreSQL schema), as the app opens it."""
    monkeypatch.setenv("CARTE_DATABASE_URL", database_url)
    catalogue = CatalogueStore.open(staff_data, territory, database_url)
    yield catalogue
    catalogue.engine.dispose()


def edit_form(monkeypatch, initiative_id: str) -> AppTest:
    app = signed_in_contribution_page(monkeypatch)
    app.button_group(key="contribuer_section").set_value("Ajouter ou modifier").run()
    app.selectbox(key="edit_id").set_value(initiative_id).run()
    assert not app.exception, app.exception
    return app


# Les Beaux Mets has no opening date, Le République one (2022-02-01): the form's « Ouverture » field once
# overwrote the revision the edit was opened at, so a save compared against a character of that date.
@pytest.mark.parametrize("initiative_id", ["les-beaux-mets", "le-republique"])
def test_staff_edit_a_field_and_the_change_is_saved_and_published(staff_catalogue, monkeypatch, initiative_id):
    before = staff_catalogue.row(initiative_id)
    app = edit_form(monkeypatch, initiative_id)
    next(w for w in app.text_input if w.label == "Accessibilité").input("Rampe d'accès, toilettes adaptées")
    next(b for b in app.button if b.label == "Enregistrer").click().run()
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert any("Modification enregistrée." in s.value for s in app.success)
    after = staff_catalogue.row(initiative_id)
    assert after["accessibility"] == "Rampe d'accès, toilettes adaptées"
    assert after["revision"] == before["revision"] + 1
    assert {k: v for k, v in after.items() if k not in ("accessibility", "revision")} == \
        {k: v for k, v in before.items() if k not in ("accessibility", "revision")}  # nothing else changed
    assert staff_catalogue.history()[0].label == "Modification"
    # A second edit in the same session starts from the saved revision: no false conflict.
    next(w for w in app.text_input if w.label == "Horaires (format OpenStreetMap)").input("Mo-Fr 12:00-14:00")
    next(b for b in app.button if b.label == "Enregistrer").click().run()
    assert not app.error, [e.value for e in app.error]
    assert staff_catalogue.row(initiative_id)["opening_hours"] == "Mo-Fr 12:00-14:00"


@pytest.mark.parametrize("initiative_id", ["les-beaux-mets", "skola"])
def test_staff_delete_an_initiative_and_it_leaves_the_public_layer(staff_catalogue, monkeypatch, initiative_id):
    app = edit_form(monkeypatch, initiative_id)
    app.checkbox(key="confirm_delete").check().run()
    next(b for b in app.button if b.label == "Confirmer la suppression").click().run()
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert any("Initiative supprimée." in s.value for s in app.success)
    assert initiative_id not in {row["id"] for row in staff_catalogue.rows()}
    assert initiative_id not in set(staff_catalogue.layer_table()[1]["id"])
    assert staff_catalogue.history()[0].label == "Suppression"


def test_a_formula_typed_in_the_staff_form_is_refused_as_an_import_refuses_it(staff_catalogue, monkeypatch):
    before = staff_catalogue.row("les-beaux-mets")
    app = edit_form(monkeypatch, "les-beaux-mets")
    next(w for w in app.text_input if w.label == "Accessibilité").input('=HYPERLINK("http://x.example","clic")')
    next(b for b in app.button if b.label == "Enregistrer").click().run()
    assert not app.exception, app.exception
    assert any("Rien n'a été enregistré" in e.value for e in app.error)
    problems = app.dataframe[-1].value
    assert list(problems["champ"]) == ["accessibilité"] and "formule de tableur refusée" in problems["problème"][0]
    assert staff_catalogue.row("les-beaux-mets") == before  # nothing stored, so nothing published raw


def test_staff_edit_a_practical_fact_with_its_page_and_a_fact_without_one_is_refused(staff_data, territory,
                                                                                   monkeypatch):
    app = signed_in_contribution_page(monkeypatch)
    app.button_group(key="contribuer_section").set_value("Ajouter ou modifier").run()
    app.selectbox(key="edit_id").set_value("cress-paca").run()
    form = {widget.label: widget for widget in app.text_input}
    form["Prix"].input("Adhésion 20 €")
    next(b for b in app.button if b.label == "Enregistrer").click().run()
    assert not app.exception, app.exception
    assert any("Rien n'a été enregistré" in e.value for e in app.error)  # a price must cite its page
    form = {widget.label: widget for widget in app.text_input}
    form["Source du prix"].input("https://example.org/carte (2026-11)")
    next(b for b in app.button if b.label == "Enregistrer").click().run()
    assert any("Modification enregistrée." in s.value for s in app.success)
    row = CatalogueStore.open(staff_data, territory).row("cress-paca")
    assert (row["price"], row["price_source"]) == ("Adhésion 20 €", "https://example.org/carte (2026-11)")


@pytest.mark.parametrize("name", ["04_unknown_commune.csv", "07_duplicate_of_catalogue.csv", "10_binary_junk.csv",
                                  "28_xlsx_misspelt_commune_and_formula.xlsx"])
def test_a_bad_file_uploaded_by_staff_lists_its_problems_offers_no_add_and_changes_nothing(name, staff_data,
                                                                                          territory, monkeypatch):
    from pathlib import Path

    app = signed_in_contribution_page(monkeypatch)
    catalogue = CatalogueStore.open(staff_data, territory)
    before = (catalogue.version(), catalogue.rows(), catalogue.layer_table()[1].to_dict("records"))
    data = (Path(__file__).parent / "corpus" / name).read_bytes()
    app.file_uploader(key="import_file").upload(name, data, "application/octet-stream").run()
    assert not app.exception, app.exception
    assert any("corrigez le fichier et importez-le à nouveau. Rien n'a été modifié." in w.value for w in app.warning)
    assert not [b for b in app.button if b.label == "Ajouter au catalogue"]  # nothing to press
    assert (catalogue.version(), catalogue.rows(), catalogue.layer_table()[1].to_dict("records")) == before


def hours_file(hours: str) -> bytes:
    quoted = '"' + hours.replace('"', '""') + '"'
    return ("nom;catégorie;thèmes;description;commune;source;horaires\r\n"
            f"Atelier du Panier;association;numerique;Aide au numérique.;Marseille;Test, 2026;{quoted}\r\n").encode()


@pytest.mark.parametrize(("hours", "read"), [
    ('Mo-Fr 14:00-17:00 || "sur rendez-vous"', "Aujourd’hui 14h–17h, à confirmer (sur rendez-vous) · Mardi 14h–17h"),
    # « ; » makes the comment a rule of its own for every day: the staff see it before adding, not after
    ('Mo-Fr 14:00-17:00; "sur rendez-vous"', "Aujourd’hui à confirmer (sur rendez-vous) · Mardi à confirmer"),
])
def test_the_import_preview_shows_the_week_as_the_map_will_read_it(hours, read, staff_data, monkeypatch):
    monkeypatch.setenv("CARTE_NOW", "2026-12-07T10:00")  # a Monday
    app = signed_in_contribution_page(monkeypatch)
    app.file_uploader(key="import_file").upload("horaires.csv", hours_file(hours), "text/csv").run()
    assert not app.exception, app.exception
    week = next(d.value for d in app.dataframe if "Semaine comprise" in d.value.columns)
    assert week["Semaine comprise"][0].startswith(read)
    assert "Samedi à confirmer (sur rendez-vous)" in week["Semaine comprise"][0]
    assert [b for b in app.button if b.label == "Ajouter au catalogue"]


def test_ambiguous_hours_are_refused_at_import_with_the_form_to_write(staff_data, territory, monkeypatch):
    app = signed_in_contribution_page(monkeypatch)
    before = CatalogueStore.open(staff_data, territory).version()
    app.file_uploader(key="import_file").upload("horaires.csv", hours_file("Lundi 9h-12h"), "text/csv").run()
    assert not app.exception, app.exception
    problems = next(d.value for d in app.dataframe if "problème" in d.value.columns).to_dict("records")
    assert problems[0]["ligne"] == 2 and problems[0]["champ"] == "horaires"  # the row, the field
    assert "écrivez « Mo 09:00-12:00 »" in problems[0]["problème"]  # and the form to write
    assert not [b for b in app.button if b.label == "Ajouter au catalogue"]
    assert CatalogueStore.open(staff_data, territory).version() == before
