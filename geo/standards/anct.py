"""The places of digital help in the ANCT's standard « lieux de médiation numérique » v1.0.2 (the format of the
national cartography, validated with frictionless against its ``schema.json``).

The standard is for places of digital help: a row fits it when it is one (its category) or names digital help
among its themes, and has the address and postcode the standard requires. The standard's ``pivot`` (the
place's SIRET or RNA) is not kept by our layers: its placeholder « 00000000000000 » stands, as in the ANCT's own
2023 file. Services are not guessed back from our broader themes; the description keeps their wording.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd

from geo.standards import Known, Published, coordinates, kept, text, with_left_out
from geo.vocabulary import NOT_PLACES

FIELDS = (
    "id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse", "complement_adresse", "latitude",
    "longitude", "typologie", "telephone", "courriels", "site_web", "horaires", "presentation_resume",
    "presentation_detail", "source", "itinerance", "structure_parente", "date_maj", "services",
    "publics_specifiquement_adresses", "prise_en_charge_specifique", "frais_a_charge",
    "dispositif_programmes_nationaux", "formations_labels", "autres_formations_labels", "modalites_acces",
    "modalites_accompagnement", "fiche_acces_libre", "prise_rdv",
)
NO_PIVOT = "00000000000000"
PLACES = "lieux"
SUMMARY_LENGTH = 280


def publish(table: pd.DataFrame, known: Known) -> Published:
    """The rows that fit the standard, their ``source`` the short name of their data set (« ANCT, mai 2023 »)."""
    rows: list[dict] = []
    left_out: list[str] = []
    for row, day in kept(table, known, _why_not, left_out):
        dataset = known.datasets.get(row["dataset"])
        rows.append(_place(row, day, dataset.short if dataset else row["dataset"]))
    return Published({PLACES: rows}, left_out)


CSV_FILE = "lieux-mediation-numerique.csv"


def files(result: Published) -> dict[str, bytes]:
    """The standard's CSV (comma-separated UTF-8, every field quoted, its columns in its order) and what was left
    out."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(result.records[PLACES])
    return with_left_out({CSV_FILE: buffer.getvalue().encode("utf-8")}, result)


def _why_not(row: dict, day: dt.date | None) -> str:
    if row["category"] in NOT_PLACES or (row["category"] != "mediation-numerique" and "numerique" not in row["themes"]):
        return "pas un lieu de médiation numérique"
    if row["status"] == "ended":
        return "lieu fermé"
    missing = [label for field, label in (("address", "adresse"), ("postcode", "code postal")) if not text(row[field])]
    if missing:
        return f"{' et '.join(missing)} inconnu{'s' if len(missing) > 1 else ''} (requis par le standard)"
    if day is None:
        return "date de dernière modification inconnue"
    return ""


def _summary(description: str) -> str:
    if len(description) <= SUMMARY_LENGTH:
        return description
    return description[:SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _place(row: dict, day: dt.date, source: str) -> dict:
    description = text(row["description"]) or ""
    fees = (text(row.get("fees")) or "").capitalize()
    place = {
        "id": row["id"], "pivot": NO_PIVOT, "nom": row["name"].strip(), "commune": row["commune"],
        "code_postal": row["postcode"], "code_insee": text(row["insee"]) or "", "adresse": row["address"],
        "site_web": text(row["website"]) or "", "horaires": text(row["opening_hours"]) or "",
        "presentation_resume": _summary(description), "presentation_detail": description, "source": source,
        "date_maj": day.isoformat(), "frais_a_charge": fees if fees in ("Gratuit", "Payant") else "",
        **coordinates(row),
    }
    return {field: place.get(field, "") for field in FIELDS}
