"""What a save answers: the version it published, or why nothing was written; a revision of the history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from geo.catalogue import Problem

ACTIONS = {"seed": "Création", "import": "Import", "add": "Ajout", "edit": "Modification",
           "delete": "Suppression", "position": "Position corrigée", "restore": "Retour en arrière",
           "source": "Source ouverte"}


class SaveRefused(Exception):
    """The change would make the catalogue invalid, or was made from a stale version; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


class Unchanged(Exception):
    """An edit that changes nothing: no revision is recorded."""


class Conflict(SaveRefused):
    """Someone else changed or deleted this initiative since it was opened."""


@dataclass(frozen=True)
class Revision:
    number: int
    at: dt.datetime
    author: str
    action: str
    summary: str
    changes: list[dict]

    @property
    def label(self) -> str:
        return ACTIONS.get(self.action, self.action)


UNCHANGED = "aucun changement"


@dataclass(frozen=True)
class Saved:
    """What a save did: the version it published and how many initiatives the catalogue now has."""

    version: int
    total: int
    summary: str
