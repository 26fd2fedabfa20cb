"""The catalogue in the national data·inclusion schema v1: one structure per place one can go to, and the service
it offers (https://www.data.inclusion.gouv.fr/, models on PyPI as ``data-inclusion-schema``).

Our themes are broader than the schema's thematiques: each maps to the one sub-thematique it always means, or to
none (docs/donnees.md has the table); « handicap », « jeunesse », « droits des femmes » and « sans-abrisme » say
who it is for (``publics``). The schema has no field for how precise a position is: ``x_precision_position``
keeps it (an extension, ignored by readers that do not know it), and a point that is only its commune's centre
is not given as the place's coordinates.

Left out, each with its reason: what is not a place (a prize, a programme, a challenge), what has ended, and a
catalogue row whose last change has no date.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from geo.standards import Known, Published, coordinates, kept, text, with_left_out
from geo.vocabulary import CATEGORIES, NOT_PLACES

OUR_SOURCE = "carte-des-possibles"
STRUCTURES, SERVICES = "structures", "services"

THEMATIQUES = {
    "alimentation": "equipement-et-alimentation--alimentation",
    "numerique": "numerique--maitriser-les-fondamentaux-du-numerique",
    "demarches-administratives":
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
    "parentalite": "famille--soutien-a-la-parentalite-et-a-leducation",
    "sport": "remobilisation--activites-sportives-et-culturelles",
    "culture": "remobilisation--activites-sportives-et-culturelles",
    "participation": "remobilisation--benevolat-action-citoyenne",
    "inclusion": "remobilisation--lien-social",
    "entrepreneuriat-social": "creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
}
PUBLICS = {
    "handicap": "personnes-en-situation-de-handicap",
    "jeunesse": "jeunes",
    "droits-des-femmes": "femmes",
    "sans-abrisme": "personnes-en-situation-durgence",
}
TYPES = {"restaurant-solidaire": "aide-materielle", "mediation-numerique": "accompagnement",
         "incubateur": "accompagnement"}
PRECISION_EXTENSION = "x_precision_position"


def publish(table: pd.DataFrame, known: Known) -> Published:
    """A structure and its service for every row of ``table`` that is a place one can go to."""
    structures: list[dict] = []
    services: list[dict] = []
    left_out: list[str] = []
    for row, day in kept(table, known, _why_not, left_out):
        structure = _structure(row, day)
        structures.append(structure)
        services.append(_service(row, structure))
    return Published({STRUCTURES: structures, SERVICES: services}, left_out)


def files(result: Published) -> dict[str, bytes]:
    """``structures.json`` and ``services.json``, as the hub publishes its open data, and what was left out."""
    return with_left_out({f"{name}.json": json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")
                          for name, records in result.records.items()}, result)


def _why_not(row: dict, day: dt.date | None) -> str:
    if row["category"] in NOT_PLACES:
        return f"{CATEGORIES[row['category']].label.lower()}, pas un lieu où se rendre"
    if row["status"] == "ended":
        return "initiative terminée"
    if len(row["name"].strip()) < 3:
        return "nom de moins de 3 caractères"
    if day is None:
        return "date de dernière modification inconnue"
    return ""


def _source(row: dict) -> str:
    return OUR_SOURCE if row["dataset"] == "catalogue" else row["dataset"]


def _where(row: dict) -> dict:
    where = {"commune": text(row["commune"]), "code_postal": text(row["postcode"]),
             "code_insee": text(row["insee"]), "adresse": text(row["address"]),
             PRECISION_EXTENSION: row["precision"], **coordinates(row)}
    return where


def _structure(row: dict, day: dt.date) -> dict:
    description = text(row["description"])
    return {
        "source": _source(row), "id": f"{_source(row)}--{row['id']}", "nom": row["name"].strip()[:150],
        "date_maj": day.isoformat(), "description": description if description and len(description) >= 5 else None,
        "site_web": text(row["website"]), "horaires_accueil": text(row["opening_hours"]), **_where(row),
    }


def _service(row: dict, structure: dict) -> dict:
    themes = list(row["themes"])
    thematiques = sorted({THEMATIQUES[t] for t in themes if t in THEMATIQUES})
    publics = sorted({PUBLICS[t] for t in themes if t in PUBLICS})
    return {
        "source": structure["source"], "structure_id": structure["id"], "id": f"{structure['id']}--service",
        "nom": CATEGORIES[row["category"]].label, "date_maj": structure["date_maj"],
        "description": structure["description"] or CATEGORIES[row["category"]].label,
        "type": TYPES.get(row["category"]), "thematiques": thematiques or None, "publics": publics or None,
        **_fees(row), "conditions_acces": text(row.get("access")),
        "modes_accueil": ["en-presentiel"], "horaires_accueil": structure["horaires_accueil"],
        **{key: structure[key] for key in ("commune", "code_postal", "code_insee", "adresse", "latitude",
                                           "longitude", PRECISION_EXTENSION) if key in structure},
    }


def _fees(row: dict) -> dict:
    """``frais`` only where a source says it: the ANCT's « Gratuit »/« Payant », or our sourced price."""
    fees, price = (text(row.get("fees")) or "").lower(), text(row.get("price"))
    if fees in ("gratuit", "payant"):
        return {"frais": fees, "frais_precisions": price}
    if price:
        return {"frais": "gratuit" if price.lower().startswith("gratuit") else "payant", "frais_precisions": price}
    return {"frais": None, "frais_precisions": None}
