"""Trust: user text never becomes markup, failures are messages, staff pages are guarded."""

from __future__ import annotations

import re

import pytest

from geo.files import REPO_DIR
from ui.layout import plain


@pytest.mark.parametrize(("text", "forbidden"), [
    ("Nom piégé\n===", r"\n|(?<!\\)="),  # a setext heading needs a line break and a row of "="
    ("Nom piégé\n---", r"\n|(?<!\\)-"),
    ("# Titre", r"(?<!\\)#"),
    ("![image](https://x.fr/i.png)", r"(?<!\\)[!\[\]()]"),
    ("[lien](https://x.fr)", r"(?<!\\)[\[\]()]"),
])
def test_user_text_never_becomes_a_heading_a_link_or_an_image(text, forbidden):
    assert not re.search(forbidden, plain(text)), plain(text)


@pytest.mark.parametrize("text", ["voir www.exemple.fr", "https://exemple.fr/page", "HTTP://EXEMPLE.FR"])
def test_bare_web_addresses_are_not_made_links(text):
    shown = plain(text)
    assert not re.search(r"(?i)www\\?\.|://", shown)  # no autolink can start
    assert shown.replace("\u2060", "").replace("\\", "") == text  # but the text reads the same


def test_a_pages_folder_beside_app_py_would_bypass_the_sign_in():
    # With a pages/ folder, Streamlit 1.67 serves its files directly to a first session, bypassing app.py.
    assert not (REPO_DIR / "pages").exists()


def test_the_contribution_page_refuses_to_draw_when_opened_directly_signed_out(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CARTE_STAFF_PASSWORD_HASH", "scrypt$x")
    app = AppTest.from_file(str(REPO_DIR / "app_pages" / "contribuer.py"), default_timeout=60).run()
    assert not app.exception
    assert "réservée à l'équipe connectée" in app.error[0].value
    assert not app.get("file_uploader") and not app.button


LAYER_DAMAGE = {
    "tronquée": lambda text: text[: len(text) // 2],
    "vide": lambda text: "",
    "pas du JSON": lambda text: "<html>erreur 502</html>",
    "absente": None,
    "coordonnées nulles": lambda text: re.sub(r'"coordinates":\[[^\]]*\]', '"coordinates":[null,"x"]', text, count=1),
    "catégorie inconnue": lambda text: re.sub(r'"category":"[^"]*"', '"category":"inconnue"', text, count=1),
}
# What each damage is applied to: an open-data source's layer, or the catalogue database (the map then shows
# the layer shipped in data/ — itself damaged in the second case).
DAMAGED_FILES = {"couche d'une source": ("sources/mediation_numerique.geojson",),
                 "base du catalogue": ("catalogue.sqlite",),
                 "base et couche livrée": ("catalogue.sqlite", "initiatives.geojson")}


@pytest.fixture
def damaged(tmp_path, monkeypatch):
    """A copy of data/ with a file damaged in a given way; the app reads it."""
    import shutil

    from tests.conftest import DATA

    def damage(how: str, which: str = "couche d'une source"):
        folder = tmp_path / "data"
        shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("backups", "catalogue.sqlite*"))
        for name in DAMAGED_FILES[which]:
            target = folder / name
            if name.endswith(".sqlite"):
                target.write_text("<html>erreur 502</html>" * 100, encoding="utf-8")  # not a database
            elif LAYER_DAMAGE[how] is None:
                target.unlink()
            else:
                target.write_text(LAYER_DAMAGE[how](target.read_text(encoding="utf-8")), encoding="utf-8")
        monkeypatch.setenv("CARTE_DATA_DIR", str(folder))
        monkeypatch.setenv("CARTE_TILES", "none")
        monkeypatch.setenv("CARTE_GEOCODING", "offline")
        return folder
    return damage


DAMAGES = [("couche d'une source", how) for how in LAYER_DAMAGE] + [("base du catalogue", "pas du JSON")] + [
    ("base et couche livrée", how) for how in LAYER_DAMAGE]


@pytest.mark.parametrize(("which", "how"), DAMAGES)
@pytest.mark.parametrize("page", ["carte", "autour_de_moi", "territoire", "donnees"])
def test_a_damaged_layer_or_database_is_a_message_on_every_public_page_never_a_traceback(damaged, how, which, page):
    from streamlit.testing.v1 import AppTest

    damaged(how, which)
    app = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60)
    app.switch_page(f"app_pages/{page}.py")
    app.run()
    assert not app.exception, app.exception
    assert any("momentanément indisponible" in w.value for w in app.warning)
    if page == "carte" and how in ("coordonnées nulles", "catégorie inconnue"):
        # the rest of the catalogue and the source are still shown
        assert re.search(r"\*\*2\d\d\*\* initiatives sur 2\d\d", " ".join(m.value for m in app.markdown))


def test_a_missing_reference_file_is_a_message_not_a_traceback(damaged):
    from streamlit.testing.v1 import AppTest

    folder = damaged("vide")
    (folder / "communes.csv").unlink()
    app = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60).run()
    assert not app.exception, app.exception
    assert "référentiel des communes" in app.error[0].value


def test_failed_sign_ins_are_counted_per_client_and_per_server():
    from geo.signin import Lockout

    now = [0.0]
    lockout = Lockout(per_client=5, per_server=8, window=60, pause=60, clock=lambda: now[0])
    for _ in range(4):
        lockout.failed("10.0.0.1")
    assert lockout.wait("10.0.0.1") == 0
    lockout.failed("10.0.0.1")
    assert lockout.wait("10.0.0.1") == 60 and lockout.wait("10.0.0.2") == 0
    for _ in range(3):
        lockout.failed("10.0.0.2")  # 8 in a minute from all clients: everyone waits
    assert lockout.wait("10.0.0.3") == 60
    now[0] = 61
    assert lockout.wait("10.0.0.1") == 0 and lockout.wait("10.0.0.3") == 0


@pytest.mark.parametrize(("email", "staff"), [
    ("equipe@oneprovence.com", True), ("Quelqu.Un@AMPMETROPOLE.FR", True), ("invite@gmail.com", False),
    ("", False), (None, False), ("pas-une-adresse", False), ("x@oneprovence.com.evil.fr", False),
])
def test_only_configured_accounts_are_staff(email, staff):
    from geo.signin import is_staff_email

    assert is_staff_email(email, ["equipe@oneprovence.com"], ["ampmetropole.fr", "@oneprovence.com"]) is staff
    assert not is_staff_email(email, [], [])  # nothing configured: nobody


def test_builds_saves_imports_and_geocoder_failures_are_logged(caplog, data_copy, territory, stub, monkeypatch):
    import logging

    monkeypatch.setattr(logging.getLogger("carte"), "propagate", True)  # the app's own handler stops it otherwise
    from geo.build import build
    from geo.chain import GeocodingChain
    from geo.geocoders.geoplateforme import BanStep
    from geo.importer import review
    from geo.store import CatalogueStore
    from tests.conftest import initiative, write_catalogue
    from tests.stub_geocoder import Reply

    caplog.set_level(logging.INFO, logger="carte")
    write_catalogue(data_copy, [initiative()])
    stub.script("ban", Reply(status=503))
    chain = GeocodingChain(territory, online=(BanStep(f"{stub.url}/ban", attempts=1, timeout=1, proxies={}),))
    build(data_copy, territory, chain)
    CatalogueStore.open(data_copy, territory).add([initiative(id="autre", name="Autre")])
    review(b"nom;categorie\nX;y\n", [], territory)
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "couche écrite : 1 initiatives" in text and "publiée (Ajout, équipe) : 1 ajoutée(s) : Autre — 2" in text
    assert "import d'un tableur" in text and "Base Adresse Nationale (Géoplateforme IGN) : " in text
    assert "Sadi-Carnot" not in text  # never an address
