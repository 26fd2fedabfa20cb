"""What a resident reads before going (issue 18), in Chromium at fixed clocks: from « 1 place Sadi-Carnot,
Marseille », the solidarity restaurants with « Ouvert maintenant » on a Tuesday at 12:30 and on a Sunday; the
cards of Le République (under watch, €1 meals booked by associations) and Les Beaux Mets (booking, identity
check), each fact with its page one click away."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.hours import PARIS
from tests.support import Visit, serve_app

pytestmark = pytest.mark.browser
TUESDAY = dt.datetime(2026, 12, 1, 12, 30, tzinfo=PARIS)
SUNDAY = dt.datetime(2026, 12, 6, 12, 30, tzinfo=PARIS)


@pytest.fixture(scope="module", params=[TUESDAY, SUNDAY], ids=["mardi", "dimanche"])
def clocked_app(request, tmp_path_factory):
    log = tmp_path_factory.mktemp("faits") / "streamlit.log"
    for url in serve_app(log, {"CARTE_NOW": request.param.isoformat()}):
        yield url, request.param


def around_sadi_carnot(visit: Visit, url: str) -> None:
    visit.page.goto(f"{url}/autour_de_moi")
    visit.page.get_by_label("Adresse").first.fill("1 place Sadi-Carnot, Marseille")
    visit.page.get_by_role("button", name="Chercher").click()
    visit.page.get_by_text("Départ : Place Sadi Carnot").first.wait_for(timeout=30_000)
    visit.settle()


def test_open_now_lists_the_open_first_then_the_unknown_apart_never_closed(clocked_app, browser):
    url, moment = clocked_app
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR", is_mobile=True,
                                  has_touch=True)
    visit = Visit(context)
    try:
        visit.page.clock.install(time=moment)
        around_sadi_carnot(visit, url)
        visit.page.get_by_text("Ouvert maintenant", exact=True).click()
        heading = visit.page.locator("h2.carte-groupe", has_text="Horaires non renseignés ou à confirmer")
        heading.wait_for(timeout=30_000)
        visit.settle()
        text = visit.page.locator("[data-testid=stMain]").inner_text()
        # No restaurant's hours give clock times for today with certainty: none is said open, none closed.
        assert "Aucun lieu ouvert maintenant dans un rayon de 10 km selon les horaires publiés" in text
        assert "Fermé maintenant" not in text
        names = visit.page.locator("h2.carte-resultat").all_inner_texts()
        assert names and names[0] == "1. Le République"  # nearest first, still (the others are beyond 10 km)
        assert "Horaires à confirmer · aujourd’hui à confirmer (matin, midi et soir" in text
        assert "À vérifier" in text and "Dépôt de bilan" in text  # Le République's status, with its fact
        assert "1 € symbolique pour les bénéficiaires orientés par une association partenaire" in text
        link = visit.page.get_by_role("link", name="restauration21.fr").first  # the price's page
        assert link.get_attribute("href").startswith("https://www.restauration21.fr/")
        answer = visit.page.locator("[data-testid=stAlert]", has_text="Aucun lieu ouvert maintenant")
        answer.scroll_into_view_if_needed()
        visit.screenshot(f"autour-de-moi-ouvert-{'mardi' if moment == TUESDAY else 'dimanche'}")
        assert visit.outside == []
    finally:
        context.close()


def test_the_cards_of_le_republique_and_les_beaux_mets_cite_each_fact(clocked_app, visit):
    url, moment = clocked_app
    if moment != TUESDAY:
        pytest.skip("the cards do not depend on the day")
    visit.page.clock.install(time=moment)
    for key, name, facts in [
        ("le-republique", "Le République", ["À vérifier", "Horaires à confirmer", "Prix", "1 € symbolique",
                                            "Pour y aller", "orientées par une association", "Accessibilité"]),
        ("les-beaux-mets", "Les Beaux Mets", ["Horaires à confirmer", "déjeuner uniquement ; sur réservation",
                                              "28 €", "au moins 4 jours avant la venue", "pièce d'identité"]),
    ]:
        visit.page.goto(f"{url}/?fiche={key}")  # the card opens by itself
        frame = visit.map_frame()
        popup = frame.locator(".carte-popup")
        popup.get_by_text(name).first.wait_for(timeout=30_000)
        text = popup.inner_text()
        for fact in facts:
            assert fact in text, (name, fact)
        assert "fermé" not in text.lower().replace("fermé maintenant", "")  # never « fermé » for what is not known
        assert popup.locator(".carte-cite a").count() >= 3  # each fact's page, one click away
        assert "Informations pratiques d'après une page" in text
        visit.screenshot(f"fiche-{key}")
    assert visit.outside == []
