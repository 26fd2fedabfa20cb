"""Trust: user text never becomes markup, failures are messages, staff pages are guarded."""

from __future__ import annotations

import re

import pytest

from geo.files import REPO_DIR
from tests.conftest import TOTAL
from ui.escape import plain


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
        shown = re.search(r"\*\*(\d+)\*\* initiatives sur (\d+)", " ".join(m.value for m in app.markdown))
        assert shown and int(shown.group(1)) == int(shown.group(2)) == TOTAL - 1  # only the damaged one is left out


def test_a_missing_reference_file_is_a_message_not_a_traceback(damaged):
    from streamlit.testing.v1 import AppTest

    folder = damaged("vide")
    (folder / "communes.csv").unlink()
    app = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60).run()
    assert not app.exception, app.exception
    assert "référentiel des communes" in app.error[0].value


class FakeClock:
    """The gate's clock and sleep: sleeping moves time on."""

    def __init__(self):
        self.now, self.slept = 0.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def gate(clock: FakeClock, **options):
    from geo.signin import SignInGate

    return SignInGate(clock=clock, sleep=clock.sleep, **options)


def test_a_client_waits_longer_after_each_failure_and_a_success_clears_it():
    from geo.signin import Refused

    clock = FakeClock()
    sign_in = gate(clock)
    for _ in range(3):  # three typos cost nothing
        sign_in.admit("10.0.0.1")
    waits = []
    for _ in range(5):
        with pytest.raises(Refused) as refused:
            sign_in.admit("10.0.0.1")
        assert not refused.value.server and refused.value.seconds == sign_in.wait("10.0.0.1")
        waits.append(refused.value.seconds)
        clock.now += refused.value.seconds
        sign_in.admit("10.0.0.1")
    assert waits == [2, 4, 8, 16, 32]
    assert sign_in.wait("10.0.0.2") == 0  # another client is not slowed
    sign_in.succeeded("10.0.0.1")
    assert sign_in.wait("10.0.0.1") == 0
    assert sign_in.delay(30) == 300  # never more than five minutes


def test_failures_from_rotating_addresses_never_lock_the_right_password_out():
    clock = FakeClock()
    sign_in = gate(clock)
    for minute in range(10):  # 20 wrong passwords a minute, each from a new address
        for attempt in range(20):
            sign_in.admit(f"10.{minute}.{attempt}.1")
            clock.now += 3
        sign_in.admit("192.0.2.7")  # the team's own address, then its right password
        sign_in.succeeded("192.0.2.7")
    assert sum(clock.slept) == 0  # within the server's rate: nobody even queued


def test_a_flood_queues_attempts_in_turn_rather_than_locking_everyone():
    from geo.signin import Refused

    clock = FakeClock()
    sign_in = gate(clock, per_minute=30, burst=10, max_queue=10)
    clock.sleep = clock.slept.append  # twenty submits at the same instant: their waits overlap
    sign_in.sleep = clock.sleep
    answers = []
    for n in range(20):
        try:
            sign_in.admit(f"10.0.0.{n}")
            answers.append("vérifié")
        except Refused as refused:
            assert refused.server and refused.seconds > 0
            answers.append("plus tard")
    assert answers == ["vérifié"] * 15 + ["plus tard"] * 5  # a burst of ten, five queued, the rest told to retry
    assert clock.slept == [2, 4, 6, 8, 10]  # each queued one waits its turn, ten seconds at most
    clock.now += 30
    sign_in.admit("192.0.2.7")  # half a minute later the queue has drained: no lock left on anyone
    assert clock.slept[-1] == 10


def test_simultaneous_submits_from_one_client_are_each_recorded_before_their_check():
    import threading

    from geo.signin import Refused, SignInGate

    sign_in = SignInGate()
    checked, start = [], threading.Barrier(60)

    def submit():
        start.wait()
        try:
            sign_in.admit("10.0.0.1")
            checked.append(1)
        except Refused:
            pass

    threads = [threading.Thread(target=submit) for _ in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == 3  # the client's three free attempts, not 28 of 60


def test_a_staff_pass_holds_on_its_connection_or_with_its_cookie_and_nowhere_else():
    from geo.signin import EXPIRED, IDLE, OTHER_CONNECTION, VALID, StaffPass

    staff_pass = StaffPass.issue("clé-A", now=0)
    options = {"idle": 1800, "lifetime": 43200}
    assert staff_pass.check(connection="clé-A", cookies={}, now=10, **options)[0] == VALID
    verdict, _ = staff_pass.check(connection="clé-B", cookies={}, now=10, **options)  # the session id alone
    assert verdict == OTHER_CONNECTION
    wrong = {staff_pass.cookie: "pas le secret é"}
    assert staff_pass.check(connection="clé-B", cookies=wrong, now=10, **options)[0] == OTHER_CONNECTION
    verdict, moved = staff_pass.check(connection="clé-B", cookies={staff_pass.cookie: staff_pass.secret}, now=10,
                                      **options)  # the same browser, reconnected
    assert verdict == VALID and moved.connection == "clé-B" and moved.seen == 10
    assert staff_pass.check(connection="clé-A", cookies={}, now=1800, **options)[0] == IDLE
    busy = staff_pass
    for minute in range(1, 721):
        verdict, busy = busy.check(connection="clé-A", cookies={}, now=minute * 60, **options)
    assert verdict == EXPIRED  # twelve hours, however busy


@pytest.mark.parametrize(("email", "staff"), [
    ("equipe@oneprovence.com", True), ("Quelqu.Un@AMPMETROPOLE.FR", True), ("invite@gmail.com", False),
    ("", False), (None, False), ("pas-une-adresse", False), ("x@oneprovence.com.evil.fr", False),
])
def test_only_configured_accounts_are_staff(email, staff):
    from geo.signin import is_staff_email

    assert is_staff_email(email, ["equipe@oneprovence.com"], ["ampmetropole.fr", "@oneprovence.com"]) is staff
    assert not is_staff_email(email, [], [])  # nothing configured: nobody
    for unverified in (False, None, "false"):  # the provider did not check the address: anybody could claim it
        assert not is_staff_email(email, ["equipe@oneprovence.com"], ["ampmetropole.fr"], verified=unverified)


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


@pytest.mark.parametrize("value", [
    {"lat": "abc", "lng": 5.37}, {"lat": 43.29}, [43.29, 5.37], "43.29,5.37", None, {"lat": float("nan"), "lng": 5},
    {"lat": 900, "lng": 5.37}, {"lat": True, "lng": 5.37}, {"lat": {"x": 1}, "lng": 5.37}, {"lat": "1e999", "lng": 5},
])
def test_a_crafted_point_from_the_browser_is_no_point(value):
    from geo.position import point_from

    assert point_from(value) is None


def test_a_real_map_click_and_a_geolocation_are_points():
    from geo.position import point_from

    assert point_from({"lat": 43.29938, "lng": 5.37128}) == (43.29938, 5.37128)
    assert point_from({"latitude": 43.3, "longitude": 5.4, "accuracy": 20}, "latitude", "longitude") == (43.3, 5.4)


@pytest.mark.parametrize("clicked", [{"last_clicked": {"lat": "abc", "lng": 5.37}}, {"last_clicked": "x"}, "x", 42])
def test_a_crafted_map_click_changes_nothing_and_raises_nothing(clicked, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CARTE_TILES", "none")
    monkeypatch.setenv("CARTE_GEOCODING", "offline")
    monkeypatch.setattr("ui.maps.st_folium", lambda *args, **kwargs: clicked)  # what the component would return
    app = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=60)
    app.switch_page("app_pages/autour_de_moi.py").run()
    app.button_group(key="start_mode").set_value("map").run()  # « Sur la carte »: a click is the start point
    assert not app.exception, app.exception  # before: a TypeError on point["lat"], an AttributeError on "x"
    assert "start" not in app.session_state or app.session_state["start"] is None
