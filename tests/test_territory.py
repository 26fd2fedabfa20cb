"""Looking communes and arrondissements up by name, postcode, INSEE code and point."""

import pytest

from geo.territory import MARSEILLE


def test_the_metropole_has_92_communes_in_6_territories_and_16_arrondissements(territory):
    assert len(territory.communes) == 92
    assert len({area.territory for area in territory.communes.values()}) == 6
    assert sorted(territory.arrondissements) == [f"132{n:02d}" for n in range(1, 17)]


@pytest.mark.parametrize("spelling", ["Saint-Chamas", "saint chamas", "ST CHAMAS", "St-Chamas", "Saint Chamas "])
def test_names_ignore_case_accents_hyphens_and_st(territory, spelling):
    assert territory.by_name(spelling).insee == "13092"


@pytest.mark.parametrize(("spelling", "insee"), [
    ("Les Pennes-Mirabeau", "13071"), ("les pennes mirabeau", "13071"), ("Aix en Provence", "13001"),
    ("Châteauneuf-le-Rouge", "13025"), ("chateauneuf le rouge", "13025"), ("Marseille", MARSEILLE),
    ("Marseille 2e Arrondissement", "13202"), ("La Ciotat", "13028"),
])
def test_names_of_communes_and_arrondissements(territory, spelling, insee):
    assert territory.by_name(spelling).insee == insee


def test_unknown_names_are_not_guessed(territory):
    assert territory.by_name("Paris") is None
    assert territory.by_name("") is None


def test_postcodes_give_every_area_they_serve(territory):
    assert [a.insee for a in territory.by_postcode("13002")] == [MARSEILLE, "13202"]
    assert [a.name for a in territory.by_postcode("13600")] == ["Ceyreste", "La Ciotat"]
    assert territory.by_postcode("75001") == []


def test_insee_codes(territory):
    assert territory.by_insee("13077").name == "Port-de-Bouc"
    assert territory.by_insee("13213").commune_insee == MARSEILLE
    assert territory.by_insee("99999") is None


def test_points_fall_in_their_arrondissement_or_commune(territory):
    assert territory.locate(43.2967287, 5.3610255).insee == "13202"  # Mucem
    assert territory.locate(43.2334891, 5.4137143).insee == "13209"  # Baumettes
    assert territory.locate(43.17, 5.60).insee == "13028"  # La Ciotat
    assert territory.commune_at(43.2967287, 5.3610255).insee == MARSEILLE
    assert territory.locate(48.8566, 2.3522) is None  # Paris


def test_every_reference_point_lies_inside_its_area(territory):
    for area in [*territory.communes.values(), *territory.arrondissements.values()]:
        assert territory.contains(area, *territory.reference_point(area)), area.name


def test_marseille_reference_point_is_the_city_centre(territory):
    assert territory.locate(*territory.reference_point(territory.communes[MARSEILLE])).insee == "13201"


@pytest.mark.parametrize("number", range(1, 17))
def test_marseille_and_a_number_is_that_arrondissement(territory, number):
    assert territory.by_name(f"Marseille {number}").insee == f"132{number:02d}"
