"""A resident on a phone (390×844, touch): the answer is on the first screen, not a header."""

from __future__ import annotations

import pytest

from tests.support import Visit

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "fr-FR", "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE, geolocation={"latitude": 43.2352, "longitude": 5.4155},
                                  permissions=["geolocation"])
    visit = Visit(context)
    yield visit
    context.close()
    assert visit.outside == []


def test_on_a_phone_the_map_and_a_way_to_autour_de_moi_are_on_the_first_screen(app_url, phone):
    phone.page.goto(app_url)
    phone.map_frame()
    phone.settle()
    top = phone.page.evaluate("() => [...document.querySelectorAll('iframe')].map(f => f.getBoundingClientRect())"
                              ".filter(r => r.height > 200).map(r => r.top)[0]")
    phone.screenshot("carte-telephone")
    assert top < 844 - 250  # at least 250 px of map on the first screen
    link = phone.page.get_by_role("link", name="Autour de moi").first
    assert link.is_visible() and link.bounding_box()["y"] < 844


def test_on_a_phone_the_first_result_is_right_under_the_start_point(app_url, phone):
    phone.page.goto(f"{app_url}/autour_de_moi")
    phone.page.get_by_text("Point de départ", exact=True).first.wait_for(timeout=30_000)
    phone.page.get_by_text("Ma position", exact=True).click()
    phone.page.get_by_text("Départ : Ma position").first.wait_for(timeout=30_000)
    phone.settle()
    start = phone.page.get_by_text("Départ : Ma position").first.bounding_box()
    first = phone.page.get_by_text("1. Les Beaux Mets").first.bounding_box()
    assert 0 < first["y"] - (start["y"] + start["height"]) < 150  # the answer follows the start, not the map
    phone.screenshot("autour-de-moi-telephone")


def test_on_a_phone_the_scale_is_in_metres_and_clear_of_the_credits(app_url, phone):
    """Seen on a screenshot at 390 px: the credits, wrapped on two lines, covered the scale (bottom left), which
    also read « 10 mi » on a French public map."""
    phone.page.goto(app_url)
    frame = phone.map_frame()
    phone.settle()
    lines = frame.locator(".leaflet-control-scale-line")
    assert lines.count() == 1 and lines.first.inner_text().split()[-1] in {"m", "km"}, lines.all_inner_texts()
    scale, credits = lines.first.bounding_box(), frame.locator(".leaflet-control-attribution").bounding_box()
    assert scale["y"] + scale["height"] <= credits["y"] or credits["y"] + credits["height"] <= scale["y"] \
        or scale["x"] + scale["width"] <= credits["x"] or credits["x"] + credits["width"] <= scale["x"], \
        (scale, credits)
