"""The shipped catalogue is valid and complete; invalid catalogues get row-and-field messages."""


import pytest

from geo import clock
from geo.catalogue import COLUMNS, read_catalogue, read_rows, validate
from geo.vocabulary import CATEGORIES, THEMES, split_themes
from tests.conftest import DATA, initiative, write_catalogue


@pytest.fixture(scope="module")
def shipped(territory):
    rows, problems = read_catalogue(DATA / "initiatives.csv", territory)
    return rows, problems


def by_id(rows):
    return {row.values["id"]: row.values for row in rows}


def test_shipped_catalogue_has_no_problem(shipped):
    rows, problems = shipped
    assert [str(p) for p in problems] == []
    assert len(rows) >= 30


def test_ids_are_unique_and_every_row_cites_its_source(shipped):
    rows, _ = shipped
    ids = [row.values["id"] for row in rows]
    assert len(ids) == len(set(ids))
    assert all(row.values["source"] for row in rows)


def test_vocabulary_and_communes(shipped, territory):
    rows, _ = shipped
    for row in rows:
        values = row.values
        assert values["category"] in CATEGORIES
        assert split_themes(values["themes"]) and set(split_themes(values["themes"])) <= set(THEMES)
        commune = territory.by_name(values["commune"])
        assert commune is not None and not commune.is_arrondissement


@pytest.mark.parametrize(("identifier", "address", "postcode", "commune", "insee"), [
    ("le-republique", "1 place Sadi-Carnot", "13002", "Marseille", "13202"),
    ("les-beaux-mets", "Centre pénitentiaire des Baumettes, Trav. de Rabat", "13009", "Marseille", "13209"),
    ("l-oiseau-rieur", "Athélia 1, 50 voie Ariane, avenue des Mattes", "13600", "La Ciotat", "13028"),
    ("le-presage", "Technopôle de Château-Gombert, 99 traverse de la Rose", "13013", "Marseille", "13213"),
])
def test_the_four_solidarity_restaurants_are_there_with_their_address(shipped, identifier, address,
                                                                      postcode, commune, insee):
    values = by_id(shipped[0])[identifier]
    assert values["category"] == "restaurant-solidaire"
    assert (values["address"], values["postcode"], values["commune"], values["insee"]) == (
        address, postcode, commune, insee)


def test_every_initiative_the_sources_name_is_there(shipped):
    names = {values["name"] for values in by_id(shipped[0]).values()}
    names |= {values["former_name"] for values in by_id(shipped[0]).values() if values["former_name"]}
    for expected in ["Le Prix des Possibles", "AM Académie", "Quadrathlon des Femmes", "Solidarité Femmes 13",
                     "Remise du Prix des Possibles au Mucem", "Le Lab des Possibles", "Le Monde des Possibles",
                     "Delta Festival", "Territoire French Impact", "Lab Zéro", "Cité de l'Agriculture",
                     "Inter-Made", "AtmoSud", "A Lab in the Air", "thecamp", "Marseille Solutions",
                     "Mouves PACA", "CRESS PACA", "SKOLA", "Coco Velten", "Degun sans stage",
                     "Métropole Aix-Marseille-Provence", "Mouvement Impact France"]:
        assert expected in names
    assert sum("budget" in name.lower() and "participatif" in name.lower() for name in names) == 2
    assert any("Bonne Mer" in name for name in names)
    assert sum(name.startswith("Défi") for name in names) == 3


def test_award_winners_carry_their_award(shipped):
    values = by_id(shipped[0])
    assert "Jeunesse" in values["am-academie"]["award"]
    assert "Innovation sociale" in values["quadrathlon-des-femmes"]["award"]


def problems_of(tmp_path, territory, rows):
    path = write_catalogue(tmp_path, rows)
    return [str(p) for p in read_catalogue(path, territory)[1]]


@pytest.mark.parametrize(("override", "expected"), [
    ({"name": ""}, "ligne 2, champ « nom » : valeur obligatoire manquante"),
    ({"commune": "Paris"}, "ligne 2, champ « commune » : « Paris » n'est pas une des 92 communes"),
    ({"commune": "Marseile"}, "(vouliez-vous dire « Marseille » ?)"),
    ({"category": "restaurant solidair"}, "catégorie inconnue « restaurant solidair » "
                                          "(vouliez-vous dire « restaurant-solidaire » ?)"),
    ({"themes": "alimentation; cuisine"}, "ligne 2, champ « thèmes » : thème inconnu « cuisine »"),
    ({"postcode": "13600"}, "ligne 2, champ « code postal » : 13600 n'est pas un code postal de Marseille"),
    ({"postcode": "1302"}, "« 1302 » n'est pas un code postal à 5 chiffres"),
    ({"insee": "13028"}, "champ « code INSEE » : 13028 n'est pas le code INSEE de Marseille"),
    ({"insee": "13203"}, "13203 (Marseille 3e Arrondissement) ne correspond pas au code postal 13002"),
    ({"year": "deux mille"}, "champ « année de la source » : « deux mille » n'est pas une année valide"),
    ({"website": "javascript:alert(1)"}, "champ « site web » : « javascript:alert(1) » n'est pas une adresse"),
    ({"id": "Le République"}, "champ « identifiant » : « Le République » doit être en minuscules"),
    ({"source": ""}, "ligne 2, champ « source » : valeur obligatoire manquante"),
])
def test_each_bad_field_gets_a_message_naming_row_and_field(tmp_path, territory, override, expected):
    messages = problems_of(tmp_path, territory, [initiative(**override)])
    assert any(expected in message for message in messages), messages


def test_a_valid_row_has_no_problem(tmp_path, territory):
    assert problems_of(tmp_path, territory, [initiative()]) == []


def test_duplicate_ids_name_both_lines(tmp_path, territory):
    messages = problems_of(tmp_path, territory, [initiative(), initiative(name="Autre")])
    assert messages == ["ligne 3, champ « identifiant » : « le-republique » est déjà utilisé ligne 2"]


def test_malformed_csv_is_reported_not_raised(territory):
    rows, problems = read_rows('id,name\n"unterminated,x\n')
    assert rows == [] and "colonnes obligatoires absentes" in str(problems[0])
    header = "id,name,category,themes,description,commune,year,source\n"
    rows, problems = read_rows(header + "a,b,c\n")
    assert str(problems[0]) == "ligne 2 : 3 valeurs pour 8 colonnes"
    assert read_rows("")[1][0].message == "le fichier est vide"
    assert validate(rows, territory) == []


def test_a_file_that_is_not_utf8_is_reported(tmp_path, territory):
    path = tmp_path / "initiatives.csv"
    path.write_bytes("id,name\nl-oiseau-rieur,L'Oiseau rieur Athélia\n".encode("cp1252"))
    _, problems = read_catalogue(path, territory)
    assert "pas en UTF-8" in str(problems[0])


def test_a_catalogue_written_before_the_new_columns_still_reads(territory):
    from geo.catalogue import read_rows, validate

    text = ("id,name,category,themes,description,commune,year,source\n"
            "vieille-ligne,Vieille ligne,association,inclusion,Texte.,Marseille,2019,Communiqué 2019\n")
    rows, problems = read_rows(text)
    assert problems == [] and validate(rows, territory) == []
    values = rows[0].values
    assert values["status"] == values["address_source"] == values["opening_hours"] == ""  # unknown, not invented


THIS_YEAR = clock.today().year


@pytest.mark.parametrize(("override", "refused"), [
    ({"status": "changed", "status_date": "2020"}, True),  # renamed: says which page says so
    ({"year": str(THIS_YEAR + 1)}, False),  # a source dated next year
    ({"year": str(THIS_YEAR + 2)}, True),
    ({"year": "1899"}, True),
])
def test_status_and_year_bounds(territory, override, refused):
    from geo.catalogue import Row, validate_row
    from tests.conftest import initiative

    assert bool(validate_row(Row(2, initiative(**override)), territory)) is refused


def test_an_empty_or_broken_catalogue_says_where():
    from geo.catalogue import read_rows

    assert [str(p) for p in read_rows("")[1]] == ["fichier : le fichier est vide"]
    _, problems = read_rows('id,name\n"sans fin,x\n')
    assert problems and all(p.line >= 1 for p in problems)


def test_a_catalogue_saved_with_a_bom_and_a_multiline_cell_reads_whole():
    # Found by mutation testing: neither the byte-order mark Excel writes nor a line break inside a quoted
    # description was exercised.
    from geo.catalogue import catalogue_text, read_rows
    from tests.conftest import initiative

    text = "\ufeff" + catalogue_text([initiative(description="Première ligne.\r\nSeconde ligne.")])
    rows, problems = read_rows(text)
    assert problems == [] and rows[0].values["id"] == "le-republique"
    assert rows[0].values["description"] == "Première ligne.\r\nSeconde ligne."
    assert [str(p) for p in read_rows("")[1]] == ["fichier : le fichier est vide"]


def test_an_empty_file_or_a_header_csv_cannot_read_is_said_as_such():
    assert [str(p) for p in read_rows("")[1]] == ["fichier : le fichier est vide"]
    header = ",".join(COLUMNS) + "," + "x" * 200_000  # beyond the csv module's field limit, in the header
    (problem,) = read_rows(header)[1]
    assert problem.line == 1 and not problem.field and str(problem).startswith("ligne 1 : CSV illisible (field larger")
