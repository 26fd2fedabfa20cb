"""Checking rows brought in from a spreadsheet before they join the catalogue: every catalogue rule,
plus spreadsheet formulas, duplicates (same name and commune) and missing identifiers."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from geo import clock, logs
from geo.catalogue import Problem, Row, validate_row
from geo.spreadsheet import read_spreadsheet
from geo.territory import Territory
from geo.text import fold, normalise
from geo.vocabulary import CATEGORIES, THEMES

LOG = logs.get("import")
_CATEGORY_NAMES = {fold(key): key for key in CATEGORIES} | {fold(c.label): key for key, c in CATEGORIES.items()}
_THEME_NAMES = {fold(key): key for key in THEMES} | {fold(label): key for key, label in THEMES.items()}
# "Marseille 1er", "Marseille 01", "13e arrondissement", "Marseille 2ème arr."
_ARRONDISSEMENT = re.compile(r"^(?:marseille )?0?(\d{1,2}) ?(?:er|e|eme|ieme)?(?: arr(?:ondissement)?)?$")

# A cell a spreadsheet would evaluate: "=...", "@...", or "+"/"-" followed by something not a number.


def slug(text: str) -> str:
    """"L'Oiseau rieur" → "l-oiseau-rieur": 60 characters at most, cut between words; a name with no Latin
    letter or digit (« Дом », « بيت ») gets "initiative-" and a fingerprint of the name, so that two such
    names never share an identifier."""
    words, kept = fold(text).split(), ""
    for word in words:
        longer = f"{kept}-{word}" if kept else word
        if len(longer) > 60:
            break
        kept = longer
    if not kept and words:  # one word longer than 60
        kept = words[0][:60]
    return kept or f"initiative-{hashlib.sha256(text.strip().encode('utf-8')).hexdigest()[:8]}"


def default_source(filename: str, today: dt.date | None = None) -> str:
    """What an imported row without a source cites: "Import de l'équipe du 22/11/2026 — fichier.xlsx"."""
    day = (today or clock.today()).strftime("%d/%m/%Y")
    return f"Import de l'équipe du {day}" + (f" — {filename}" if filename else "")


def _commune(values: dict[str, str], territory: Territory) -> None:
    """The commune as people write it ("marseille 1er", "St Chamas", "aix en provence") in its catalogue
    form; an arrondissement becomes Marseille with its INSEE code."""
    text = values["commune"]
    area = territory.by_name(text)
    if area is None:
        match = _ARRONDISSEMENT.match(normalise(text))
        area = territory.by_insee(f"132{int(match.group(1)):02d}") if match and 1 <= int(match.group(1)) <= 16 else None
    if area is None:
        return
    values["commune"] = territory.commune_of(area).name
    if area.is_arrondissement and not values["insee"]:
        values["insee"] = area.insee


def normalise_values(values: dict[str, str], territory: Territory) -> dict[str, str]:
    """A spreadsheet row as the app writes it: category and theme labels become their codes (any case, with
    or without accents), communes their catalogue name, postcodes written "13 002" or "13.002" five digits."""
    values = dict(values)
    if values["category"]:
        values["category"] = _CATEGORY_NAMES.get(fold(values["category"]), values["category"])
    if values["themes"]:
        parts = [p.strip() for p in re.split(r"[;,]", values["themes"]) if p.strip()]
        values["themes"] = "; ".join(_THEME_NAMES.get(fold(p), p) for p in parts)
    if re.fullmatch(r"\d{2}[ .]?\d{3}", values["postcode"]):
        values["postcode"] = re.sub(r"[ .]", "", values["postcode"])
    if values["commune"]:
        _commune(values, territory)
    return values


def _duplicate_key(values: dict[str, str]) -> tuple[str, str]:
    return fold(values["name"]), fold(values["commune"])


def check_import(rows: list[Row], existing: list[dict[str, str]],
                 territory: Territory) -> tuple[list[Row], list[Problem]]:
    """The rows that can be added (with an identifier and a year filled in) and every problem found."""
    known_ids = {values["id"] for values in existing}
    known = {_duplicate_key(values): values["name"] for values in existing}
    seen: dict[tuple[str, str], int] = {}
    accepted, problems = [], []
    for row in rows:
        values = normalise_values(row.values, territory)
        row_problems = []  # formulas, like every field's own check, are validate_row's (the staff form's too)
        values["year"] = values["year"] or str(clock.today().year)
        if not values["id"] and values["name"]:
            base, number = slug(values["name"]), 2
            values["id"] = base
            while values["id"] in known_ids:
                values["id"], number = f"{base}-{number}", number + 1
        elif values["id"] in known_ids:
            row_problems.append(Problem(row.line, "id", f"l'identifiant « {values['id']} » existe déjà"))
        key = _duplicate_key(values)
        if values["name"] and key in known:
            row_problems.append(Problem(row.line, "name", f"doublon : « {known[key]} » ({values['commune']}) "
                                                          "est déjà au catalogue"))
        elif values["name"] and key in seen:
            row_problems.append(Problem(row.line, "name", f"doublon de la ligne {seen[key]} du fichier"))
        row_problems += validate_row(Row(row.line, values), territory)
        if row_problems:
            problems += row_problems
        else:
            accepted.append(Row(row.line, values))
            known_ids.add(values["id"])
        seen.setdefault(key, row.line)
    return accepted, sorted(problems, key=lambda p: (p.line, p.field))


@dataclass
class Review:
    """An uploaded file, all or nothing: the rows to add, or none and every problem; plus what was ignored
    and how many rows took the default source."""

    accepted: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()
    defaulted_source: int = 0
    read_from: str = ""  # which sheet and row named the columns, when not the obvious ones

    def __iter__(self):  # accepted, problems = review(...)
        return iter((self.accepted, self.problems))


def review(data: bytes, existing: list[dict[str, str]], territory: Territory, *,
           source: str = "") -> Review:
    """Check an uploaded file. Rows without a source cite ``source`` (see ``default_source``). A required
    column that is missing is said once, not once per row, and the file's other problems still show."""
    sheet = read_spreadsheet(data)
    defaulted = 0
    for row in sheet.rows:
        if not row.values["source"] and source:
            row.values["source"] = source
            defaulted += 1
    accepted, row_problems = check_import(sheet.rows, existing, territory) if sheet.rows else ([], [])
    row_problems = [p for p in row_problems
                    if not (p.field in sheet.missing and p.message == "valeur obligatoire manquante")]
    problems = sheet.problems + row_problems
    LOG.info("import d'un tableur : %d ligne(s) lue(s), %d problème(s), %d colonne(s) ignorée(s)",
             len(sheet.rows), len(problems), len(sheet.ignored))
    return Review([] if problems else accepted, problems, sheet.ignored, defaulted, sheet.read_from)
