"""The catalogue of initiatives (``data/initiatives.csv``): its columns, reading and validation.

Validation never raises on bad input: it returns one ``Problem`` per row and field, with the
spreadsheet line number, so a person can fix the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from geo import clock
from geo.hours import read as hours_read
from geo.territory import Territory
from geo.text import normalise
from geo.vocabulary import CATEGORIES, STATUSES, THEMES, split_themes

COLUMNS = (
    "id", "name", "category", "themes", "description", "address", "postcode", "commune",
    "insee", "year", "award", "website", "source", "opening_hours", "accessibility",
    "address_source", "address_note", "status", "status_date", "status_note", "status_source", "former_name",
    "opened", "opened_source",
    # What a resident needs to go there, each field citing its page: « https://… (2024-01-16) » (geo.facts).
    "price", "access", "hours_source", "price_source", "access_source", "accessibility_source", "website_source",
    # What people filter on, each read from the fact it summarises and citing the same page.
    "solidarity_price", "wheelchair", "booking",
)
REQUIRED = ("id", "name", "category", "themes", "description", "commune", "year", "source")
FIELD_LABELS = {
    "id": "identifiant", "name": "nom", "category": "catégorie", "themes": "thèmes",
    "description": "description", "address": "adresse", "postcode": "code postal",
    "commune": "commune", "insee": "code INSEE", "year": "année de la source", "award": "distinction",
    "website": "site web", "source": "source", "opening_hours": "horaires",
    "accessibility": "accessibilité", "address_source": "source de l'adresse",
    "address_note": "remarque sur l'adresse", "status": "statut", "status_date": "date du statut",
    "status_note": "fait daté", "status_source": "source du statut", "former_name": "ancien nom",
    "opened": "ouverture", "opened_source": "source de l'ouverture",
    "price": "prix", "access": "conditions d'accès", "hours_source": "source des horaires",
    "price_source": "source du prix", "access_source": "source des conditions d'accès",
    "accessibility_source": "source de l'accessibilité", "website_source": "source du site web",
    "solidarity_price": "prix solidaire", "wheelchair": "accès en fauteuil", "booking": "réservation",
}
# The values of the fields people filter on, and the source each must cite (the fact it summarises).
NEEDS = {"solidarity_price": (("oui",), "price_source"),
         "wheelchair": (("oui", "partiel", "non"), "accessibility_source"),
         "booking": (("obligatoire", "sans"), "access_source")}
# A practical fact and the field that cites its page.
FACT_SOURCES = {"opening_hours": "hours_source", "price": "price_source", "access": "access_source",
                "accessibility": "accessibility_source", "website": "website_source"}
# A date as precise as its source: a year, a month or a day.
PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_POSTCODE = re.compile(r"^\d{5}$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s<>\"]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """Something wrong in one row (``line`` as a spreadsheet counts it, header = 1) and field."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"ligne {self.line}" if self.line else "fichier"
        label = FIELD_LABELS.get(self.field, self.field)
        return f"{where}, champ « {label} » : {self.message}" if self.field else f"{where} : {self.message}"


@dataclass(frozen=True)
class Row:
    """One catalogue row with the line it came from."""

    line: int
    values: dict[str, str]


def read_rows(text: str) -> tuple[list[Row], list[Problem]]:
    """Parse catalogue CSV text into rows, reporting structural problems (columns, field counts)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        return [], [Problem(0, "", "le fichier est vide")]
    except csv.Error as error:
        return [], [Problem(1, "", f"CSV illisible ({error})")]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        names = ", ".join(FIELD_LABELS[c] + f" ({c})" for c in missing)
        return [], [Problem(1, "", f"colonnes obligatoires absentes : {names}")]
    rows, problems = [], []
    kept = [i for i, column in enumerate(header) if column in COLUMNS]  # any other column is ignored; and since
    # several columns are required, more than one is kept: ``itemgetter`` gives a tuple
    kept_names, pick, blank = [header[i] for i in kept], itemgetter(*kept), dict.fromkeys(COLUMNS, "")
    try:
        for cells in reader:
            line = reader.line_num
            if len(cells) != len(header):
                if any(cell.strip() for cell in cells):
                    problems.append(Problem(line, "", f"{len(cells)} valeurs pour {len(header)} colonnes"))
                continue
            values = blank.copy()  # every column, in the catalogue's order, whatever the file's
            values.update(zip(kept_names, map(str.strip, pick(cells)), strict=True))
            if any(values.values()) or any(cell.strip() for cell in cells):
                rows.append(Row(line, values))
    except csv.Error as error:
        problems.append(Problem(reader.line_num, "", f"CSV illisible ({error})"))
    return rows, problems


def _suggest(value: str, choices) -> str:
    close = difflib.get_close_matches(normalise(value), [normalise(c) for c in choices], n=1, cutoff=0.7)
    if not close:
        return ""
    original = next(c for c in choices if normalise(c) == close[0])
    return f" (vouliez-vous dire « {original} » ?)"


# A cell a spreadsheet would run: =, @, or + and - before something that is not a number. Refused wherever a
# row comes from (an import, the staff form, the command line), so it never reaches a download raw.
_FORMULA = re.compile(r"^(?:[=@]|[+-][^\d\s.,])")
# What a cell may not hold: control characters (line breaks outside a description, NUL…) and the invisible
# bidirectional controls that make a name read other than it is stored (« Trojan Source », CVE-2021-42574).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
CELL_LIMIT = 500  # characters of a field, but for these:
MAX_CHARACTERS = {"description": 5000, "access": 2000, "access_source": 2000}
_MULTILINE = ("description",)
# Whatever the four checks above could refuse, in two searches of a row's cells each preceded by a character none
# of them refuses: one for any character the three classes refuse, one for a formula after that character. A row
# that matches neither, with no cell over CELL_LIMIT characters, is clean (a catalogue of 220,000 rows has 8 million
# cells; one search with the four patterns as alternatives was 10 µs a row, these two 2 µs). A match may be a
# false alarm (a cell « + » before the next one's mark); the checks cell by cell then decide.
_MARK = "\uffff"
_REFUSED_CHARACTER = re.compile("[" + "".join(check.pattern[1:-1] for check in (_CONTROL, _LINE_BREAK, _BIDI)) + "]")
_MARKED_FORMULA = re.compile(_MARK + _FORMULA.pattern.removeprefix("^"))


def _cell_problems(column: str, value: str) -> list[str]:
    """What one cell may not hold, whatever its field: a formula, too many characters, invisible controls."""
    limit, problems = MAX_CHARACTERS.get(column, CELL_LIMIT), []
    if _FORMULA.match(value):
        problems.append(f"formule de tableur refusée (la cellule commence par « {value[:1]} »)")
    if len(value) > limit:
        problems.append(f"{len(value)} caractères : {limit} au plus")
    if _BIDI.search(value):
        problems.append("caractère invisible de sens d'écriture refusé (U+202E…) : retapez la valeur")
    elif _CONTROL.search(value) or (column not in _MULTILINE and _LINE_BREAK.search(value)):
        problems.append("retour à la ligne ou caractère de contrôle refusé dans ce champ")
    return problems


def validate_row(row: Row, territory: Territory, today: dt.date | None = None) -> list[Problem]:
    """Every problem of one row, field by field; ``today`` (by default the clock's) bounds the year of the source:
    a caller checking many rows reads the clock once."""
    values, problems = row.values, []

    def problem(field: str, message: str) -> None:
        problems.append(Problem(row.line, field, message))

    cells = [value or "" for value in map(values.get, COLUMNS)]
    marked = _MARK + _MARK.join(cells)
    if max(map(len, cells)) > CELL_LIMIT or _REFUSED_CHARACTER.search(marked) or _MARKED_FORMULA.search(marked):
        problems += [Problem(row.line, column, message) for column, value in zip(COLUMNS, cells, strict=True)
                     for message in _cell_problems(column, value)]
    for column in REQUIRED:
        if not values[column]:
            problem(column, "valeur obligatoire manquante")
    if values["id"] and not _SLUG.match(values["id"]):
        problem("id", f"« {values['id']} » doit être en minuscules, chiffres et tirets (ex. le-republique)")
    category = values["category"]
    if category and category not in CATEGORIES:
        problem("category", f"catégorie inconnue « {category} »{_suggest(category, CATEGORIES)}")
    for theme in split_themes(values["themes"]):
        if theme not in THEMES:
            problem("themes", f"thème inconnu « {theme} »{_suggest(theme, THEMES)}")
    commune = territory.by_name(values["commune"]) if values["commune"] else None
    if values["commune"] and (commune is None or commune.is_arrondissement):
        names = [area.name for area in territory.communes.values()]
        problem("commune", f"« {values['commune']} » n'est pas une des 92 communes de la Métropole"
                f"{_suggest(values['commune'], names)}")
        commune = None
    postcode = values["postcode"]
    if postcode and not _POSTCODE.match(postcode):
        problem("postcode", f"« {postcode} » n'est pas un code postal à 5 chiffres")
    elif postcode and commune and postcode not in commune.postcodes:
        problem("postcode", f"{postcode} n'est pas un code postal de {commune.name} "
                f"({', '.join(commune.postcodes)})")
    insee = values["insee"]
    if insee and commune:
        area = territory.by_insee(insee)
        if area is None or area.commune_insee != commune.insee:
            problem("insee", f"{insee} n'est pas le code INSEE de {commune.name} ni de l'un de ses arrondissements")
        elif area.is_arrondissement and postcode and postcode not in area.postcodes:
            problem("insee", f"{insee} ({area.name}) ne correspond pas au code postal {postcode}")
    year = values["year"]
    if year and not (year.isdigit() and 1900 <= int(year) <= (today or clock.today()).year + 1):
        problem("year", f"« {year} » n'est pas une année valide")
    website = values["website"]
    if website and not _URL.match(website):
        problem("website", f"« {website} » n'est pas une adresse web http(s) valide")
    hours = values["opening_hours"]
    reading = hours_read(hours) if hours else None
    if reading is not None and not reading.ok:
        problem("opening_hours", f"« {hours} » n'est pas au format OpenStreetMap (ex. Mo-Fr 12:00-14:00) : "
                                 f"{reading.error[:240]}")
    elif reading is not None and reading.warnings:  # read, but not as written: the staff write what is meant
        suggestion = f"écrivez « {reading.pretty} » si c'est bien ce qui est voulu" if reading.pretty else ""
        problem("opening_hours", f"« {hours} » est ambigu ({reading.warnings[0][:200]}) ; "
                                 f"{suggestion or 'précisez-le'}")
    status = values["status"]
    if status and status not in STATUSES:
        problem("status", f"statut inconnu « {status} » (valeurs possibles : {', '.join(STATUSES)})")
    if status in {"ended", "changed", "watch"} and not values["status_source"]:
        problem("status_source", "un statut « terminé », « a changé » ou « à vérifier » doit citer la page qui le dit")
    for column, (allowed, source) in NEEDS.items():
        if values[column] and values[column] not in allowed:
            problem(column, f"« {values[column]} » : valeurs possibles {', '.join(allowed)}")
        elif values[column] and not values[source]:
            problem(source, f"« {FIELD_LABELS[column]} » doit citer la page qui le dit ({FIELD_LABELS[source]})")
    for fact, source in FACT_SOURCES.items():
        if values[fact] and fact in ("price", "access") and not values[source]:
            problem(source, f"un fait pratique ({FIELD_LABELS[fact]}) doit citer la page qui le dit")
        if values[source] and not values[fact]:
            problem(fact, f"une source sans {FIELD_LABELS[fact]} : ajoutez la valeur ou retirez la source")
    if values["status_note"] and not values["status_source"]:
        problem("status_source", "un fait daté doit citer la page qui le dit")
    if values["address_note"] and not values["address_source"]:
        problem("address_source", "une remarque sur l'adresse doit citer sa source")
    for column in ("status_date", "opened"):
        if values[column] and not PARTIAL_DATE.match(values[column]):
            problem(column, f"« {values[column]} » n'est pas une date AAAA, AAAA-MM ou AAAA-MM-JJ")
    if values["opened"] and not values["opened_source"]:
        problem("opened_source", "une date d'ouverture doit citer sa source")
    return problems


def validate(rows: list[Row], territory: Territory) -> list[Problem]:
    """Every problem of the catalogue: per row, plus identifiers used twice."""
    today = clock.today()
    problems = [problem for row in rows for problem in validate_row(row, territory, today)]
    first_line: dict[str, int] = {}
    for row in rows:
        identifier = row.values["id"]
        if identifier in first_line:
            message = f"« {identifier} » est déjà utilisé ligne {first_line[identifier]}"
            problems.append(Problem(row.line, "id", message))
        elif identifier:
            first_line[identifier] = row.line
    return sorted(problems, key=lambda p: (p.line, p.field))


def catalogue_text(rows: list[dict[str, str]]) -> str:
    """Rows as catalogue CSV text (the columns in order, comma-separated, UTF-8): what ``read_rows`` reads."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def read_catalogue(path: Path, territory: Territory) -> tuple[list[Row], list[Problem]]:
    """Read and validate a catalogue file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return [], [Problem(0, "", f"le fichier n'est pas en UTF-8 (octet {error.start})")]
    rows, problems = read_rows(text)
    return rows, problems + validate(rows, territory)
