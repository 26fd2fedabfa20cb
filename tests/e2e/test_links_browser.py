"""Links tell the truth: what the screen shows after a button is what a reload or a copied address shows."""

from __future__ import annotations

import re

import pytest

from tests.conftest import TOTAL

pytestmark = pytest.mark.browser


def shipped_total() -> int:
    """Entries of the shipped layers (the catalogue and each source, a place two sources list once): the count
    the Carte opens with."""
    return TOTAL


def count(visit) -> int:
    line = visit.page.get_by_text(re.compile(r"^\d+ initiatives? sur \d+$")).first
    line.wait_for(timeout=30_000)
    return int(line.inner_text().split()[0])


def test_clearing_the_filters_clears_the_address_so_a_reload_shows_everything(app_url, visit):
    total = shipped_total()
    visit.page.goto(f"{app_url}/?q=zzzzqqqq")
    visit.page.get_by_text("Aucune initiative ne correspond à ces filtres").wait_for(timeout=30_000)
    assert count(visit) == 0
    visit.page.locator("[data-testid=stMain]").get_by_role("button", name="Effacer les filtres").click()
    visit.page.wait_for_url(lambda url: "q=" not in url, timeout=15_000)
    visit.settle()
    assert count(visit) == total
    visit.page.reload()
    visit.settle()
    assert count(visit) == total and "q=" not in visit.page.url
    visit.page.go_back()  # Back returns to the empty search, as it was on screen
    visit.page.wait_for_url(re.compile(r"q=zzzzqqqq"), timeout=15_000)
    visit.settle()
    assert count(visit) == 0


def presenting(visit) -> bool:
    return visit.page.get_by_role("button", name="Quitter le mode présentation").count() == 1


def test_presentation_mode_from_its_button_survives_a_section_change_and_a_reload(app_url, visit):
    visit.page.goto(f"{app_url}/territoire")
    visit.page.get_by_text("Le territoire en chiffres").wait_for(timeout=30_000)
    visit.page.get_by_role("button", name="Mode présentation").click()
    visit.page.wait_for_url(re.compile(r"presentation=1"), timeout=15_000)
    visit.settle()
    assert presenting(visit)
    visit.page.get_by_text("Répartition", exact=True).click()
    visit.page.wait_for_url(re.compile(r"vue=R"), timeout=15_000)
    visit.settle()
    assert "presentation=1" in visit.page.url and presenting(visit)
    visit.page.reload()
    visit.settle()
    visit.page.get_by_role("button", name="Quitter le mode présentation").wait_for(timeout=30_000)
    assert "presentation=1" in visit.page.url and "vue=R" in visit.page.url
    visit.page.get_by_role("button", name="Quitter le mode présentation").click()
    visit.page.wait_for_url(lambda url: "presentation" not in url, timeout=15_000)
    visit.settle()
    visit.page.reload()
    visit.settle()
    visit.page.get_by_text("Le territoire en chiffres").wait_for(timeout=30_000)
    assert not presenting(visit)


def json_ld(visit) -> list[dict]:
    import extruct

    return extruct.extract(visit.page.content(), syntaxes=["json-ld"])["json-ld"]


def test_a_fiche_link_carries_its_place_as_schema_org_json_ld_for_search_engines(app_url, visit):
    visit.page.goto(f"{app_url}/?fiche=aix-2")
    count(visit)
    visit.settle()
    places = json_ld(visit)
    assert len(places) == 1
    place = places[0]
    assert place["@type"] == "Place" and place["identifier"] == "aix-2"
    assert place["address"]["addressLocality"] == "Aix-en-Provence" and place["geo"]["latitude"]
    days = {s["dayOfWeek"].rsplit("/", 1)[1] for s in place["openingHoursSpecification"]}
    assert days <= {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"} and days  # Mo-Fr, holidays closed
    visit.page.goto(f"{app_url}/?fiche=le-republique")
    count(visit)
    visit.settle()
    assert [p["name"] for p in json_ld(visit)] == ["Le République"]  # the other page's object is gone
    visit.page.goto(f"{app_url}/?fiche=nexiste-pas")
    count(visit)
    visit.settle()
    assert json_ld(visit) == []  # an unknown fiche: the whole map, no object
