"""The accessibility statement (docs/declaration-accessibilite.md) and its RGAA 4.1 grid (docs/rgaa-grille.csv):
read from the repository, so that the page, the repository and the tests say the same."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from geo.files import REPO_DIR

STATEMENT = REPO_DIR / "docs" / "declaration-accessibilite.md"
GRID = REPO_DIR / "docs" / "rgaa-grille.csv"
THEMES = {1: "Images", 2: "Cadres", 3: "Couleurs", 4: "Multimédia", 5: "Tableaux", 6: "Liens", 7: "Scripts",
          8: "Éléments obligatoires", 9: "Structuration de l'information", 10: "Présentation de l'information",
          11: "Formulaires", 12: "Navigation", 13: "Consultation"}
STATES = {"C": "conforme", "NC": "non conforme", "NA": "non applicable", "NT": "non évalué"}
RGAA_CRITERIA = 106


@dataclass(frozen=True)
class Conformity:
    met: int
    failed: int
    not_applicable: int
    not_evaluated: int

    @property
    def rate(self) -> float:
        """The share of the evaluated, applicable criteria that are met (RGAA's own measure), in %."""
        return 100 * self.met / (self.met + self.failed)


def grid(path: Path = GRID) -> list[dict[str, str]]:
    """One row per RGAA 4.1 criterion: its number, theme, state (in French) and what was found."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [{"critère": r["critere"], "thématique": THEMES[int(r["critere"].split(".")[0])],
             "état": STATES[r["statut"]], "constat": r["note"]} for r in rows]


def conformity(rows: list[dict[str, str]]) -> Conformity:
    states = [row["état"] for row in rows]
    return Conformity(*(states.count(STATES[code]) for code in ("C", "NC", "NA", "NT")))


def statement() -> str:
    return STATEMENT.read_text(encoding="utf-8")
