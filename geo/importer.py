"""Checking rows brought in from a spreadsheet before they join the catalogue: every catalogue rule,
plus spreadsheet formulas, duplicates (same name and commune) and missing identifiers."""

from __future__ import annotations

import datetime as dt
import re

from geo.catalogue import COLUMNS, Problem, Row, validate_row
from geo.spreadsheet import read_spreadsheet
from geo.territory import Territory
from geo.text import fold

# A cell a spreadsheet would evaluate: "=...", "@...", or "+"/"-" followed by something not a number.
_FORMULA = re.compile(r"^(?:[=@]|[+-][^\d\s.,])")


def slug(text: str) -> str:
    """"L'Oiseau rieur" → "l-oiseau-rieur"."""
    return "-".join(fold(text).split())[:60] or "initiative"


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
        values = dict(row.values)
        row_problems = [Problem(row.line, column, "formule de tableur refusée (la cellule commence par "
                                                  f"« {values[column][:1]} »)")
                        for column in COLUMNS if _FORMULA.match(values[column])]
        values["year"] = values["year"] or str(dt.date.today().year)
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


def review(data: bytes, existing: list[dict[str, str]], territory: Territory) -> tuple[list[Row], list[Problem]]:
    """An uploaded file, all or nothing: the rows to add, or no row at all and every problem."""
    rows, problems = read_spreadsheet(data)
    accepted, row_problems = check_import(rows, existing, territory) if rows else ([], [])
    problems = problems + row_problems
    return ([] if problems else accepted), problems
