"""Connector: the places of digital mediation of the national data standard ("schéma des lieux de
médiation numérique", ANCT), as shipped in ``data/sources/``.

Each place of the métropole becomes one entry of our schema: category, themes from its services,
address, hours, fees, website. Its published point is kept only if it lies in its commune (and, in
Marseille, in the arrondissement of its postcode); otherwise it is re-placed from its address through
the offline chain and flagged. Personal data is not republished: no phone numbers, no e-mail addresses,
and rows named after a person are left out.
"""

from __future__ import annotations

import math
from pathlib import Path

import opening_hours

from geo.chain import OUTLINE_TOLERANCE_M, GeocodingChain
from geo.files import read_json
from geo.layer import feature, write_layer
from geo.position import Position, Query, today
from geo.sources import Dataset, SourceReport
from geo.territory import MARSEILLE, Area, Territory
from geo.text import fold, normalise

DATASET = Dataset(
    key="mediation-numerique",
    label="ANCT – Cartographie nationale des lieux d'inclusion numérique",
    short="ANCT, mai 2023",
    licence="Licence Ouverte 2.0",
    layer_file="sources/mediation_numerique.geojson",
    raw_file="sources/lieux_mediation_numerique_paca_2023-05-17.json",
    url="https://cartographie.societenumerique.gouv.fr",
)
SOURCE_TEXT = ("ANCT – Cartographie nationale des lieux d'inclusion numérique (extrait du Hub du Sud, "
               "17 mai 2023), Licence Ouverte 2.0")
YEAR = "2023"
CATEGORY = "mediation-numerique"

# The standard's services and the themes they bring.
SERVICE_THEMES = {
    "Aide aux démarches administratives": ("demarches-administratives",),
    "Maîtrise des outils numériques du quotidien": ("numerique",),
    "Compréhension du monde numérique": ("numerique",),
    "Insertion professionnelle via le numérique": ("emploi", "insertion"),
    "Accès internet et matériel informatique": ("numerique",),
    "Loisirs et créations numériques": ("culture",),
    "Parentalité et éducation avec le numérique": ("parentalite", "education"),
    "Acquisition de matériel informatique à prix solidaire": ("numerique",),
}
LABELS = {"CNFS": "Conseillers numériques", "France Services": "France Services", "APTIC": "Pass numérique APTIC"}
# Rows whose name is a private person's (PROVENANCE.md §8): never republished.
NAMED_AFTER_A_PERSON = {"Axelle Benaich"}


def _area(record: dict, territory: Territory) -> Area | None:
    """The arrondissement (Marseille) or commune of a record, or None outside the métropole.

    The postcode gives the candidate communes; the record's commune name must be one of them, or else
    its point must lie in it (Puyricard is in Aix-en-Provence; Saint-Andiol shares 13760 with
    Saint-Cannat but is not in the métropole).
    """
    by_code = territory.by_insee(record.get("code_insee") or "")
    if by_code is not None and by_code.is_arrondissement:
        return by_code
    areas = [a for a in territory.by_postcode(record.get("code_postal", "")) if a.commune_insee in territory.communes]
    named, point = fold(record.get("commune", "")), _point(record)
    communes = [territory.communes[code] for code in dict.fromkeys(a.commune_insee for a in areas)]
    communes = ([c for c in communes if fold(c.name) in named or (c.insee == MARSEILLE and "arrondissement" in named)]
                or [c for c in communes if point and territory.contains(c, *point, OUTLINE_TOLERANCE_M)])
    if len(communes) != 1:
        return None
    commune = communes[0]
    if commune.insee == MARSEILLE:
        arrondissements = [a for a in areas if a.is_arrondissement]
        return arrondissements[0] if len(arrondissements) == 1 else commune
    return commune


def _point(record: dict) -> tuple[float, float] | None:
    try:
        lat, lon = float(record["latitude"]), float(record["longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    return (lat, lon) if math.isfinite(lat) and math.isfinite(lon) else None


def _list(cell: str | None) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in (cell or "").replace(";", "|").split("|") if part.strip()))


def _website(record: dict) -> str:
    for url in [*_list(record.get("site_web")), *_list(record.get("prise_rdv"))]:
        if url.lower().startswith(("http://", "https://")) and " " not in url:
            return url
    return ""


def _description(record: dict) -> str:
    parts = []
    services = _list(record.get("services"))
    if services:
        parts.append("Services : " + ", ".join(s[0].lower() + s[1:] for s in services) + ".")
    ways = _list(record.get("modalites_accompagnement"))
    if ways:
        parts.append("Accompagnement : " + ", ".join(w[0].lower() + w[1:] for w in ways) + ".")
    publics = _list(record.get("publics_accueillis"))
    if publics:
        parts.append("Publics : " + ", ".join(p[0].lower() + p[1:] for p in publics) + ".")
    labels = [LABELS.get(label, label) for label in _list(record.get("labels_nationaux"))]
    if labels:
        parts.append("Labels : " + ", ".join(labels) + ".")
    return " ".join(parts)


def values_of(record: dict, area: Area, territory: Territory) -> dict[str, str]:
    """One record in our schema (every catalogue column, plus fees)."""
    commune = territory.commune_of(area)
    themes = list(dict.fromkeys(theme for service in _list(record.get("services"))
                                for theme in SERVICE_THEMES.get(service, ("numerique",))))
    hours = (record.get("horaires") or "").strip()
    updated = record.get("date_maj", "")
    return {
        "id": f"anct-{record['id']}", "name": " ".join(record["nom"].split()), "category": CATEGORY,
        "themes": "; ".join(themes or ["numerique"]), "description": _description(record),
        "address": " ".join((record.get("adresse") or "").split()), "postcode": record.get("code_postal", ""),
        "commune": commune.name, "insee": area.insee, "year": YEAR, "award": "", "website": _website(record),
        "source": SOURCE_TEXT + (f" ; fiche mise à jour le {updated}" if updated else ""),
        "opening_hours": hours if hours and opening_hours.validate(hours) else "",
        "accessibility": "", "address_source": "", "address_note": "", "status": "active", "status_date": "",
        "status_note": "", "status_source": "", "former_name": "", "opened": "", "opened_source": "",
        "fees": ", ".join(_list(record.get("frais_a_charge"))),
    }


def locate(record: dict, values: dict[str, str], area: Area, territory: Territory,
           chain: GeocodingChain) -> tuple[Position, str]:
    """The record's own point when it lies in its commune and arrondissement; else its address through
    the chain. Returns the position and a note ('' when the source's point was kept)."""
    query = Query(values["address"], values["postcode"], territory.commune_of(area), area)
    point = _point(record)
    if point is not None and chain.outside(query, *point) is None:
        return Position(point[0], point[1], "address", "source", "Coordonnées publiées par l'ANCT", None,
                        record.get("date_maj", "") or today()), ""
    position = chain.locate(query).position
    if point is None:
        return position, "sans coordonnées dans la source"
    found = territory.locate(*point)
    where = found.name if found else "hors de la Métropole"
    return position, f"point de la source dans « {where} », pas dans {area.name} : replacé par l'adresse"


def build(folder: Path, territory: Territory, chain: GeocodingChain) -> SourceReport:
    """Read the shipped raw file, write the source's layer, and say what was done."""
    folder = Path(folder)
    report = SourceReport(DATASET)
    features = []
    for record in read_json(folder / DATASET.raw_file):
        area = _area(record, territory)
        if area is None:
            continue
        if normalise(record.get("nom", "")) in {normalise(name) for name in NAMED_AFTER_A_PERSON}:
            report.dropped.append(f"{record['id']} : nommée d'après une personne, non publiée")
            continue
        values = values_of(record, area, territory)
        if record.get("horaires") and not values["opening_hours"]:
            report.attention.append(f"{values['name']} ({values['id']}) : horaires illisibles, ignorés")
        position, note = locate(record, values, area, territory, chain)
        if note:
            report.attention.append(f"{values['name']} ({values['id']}) : {note}")
        report.precisions[position.precision] = report.precisions.get(position.precision, 0) + 1
        report.with_hours += bool(values["opening_hours"])
        fees = values.pop("fees")
        features.append(feature(values, area, territory.commune_of(area).territory, position,
                                dataset=DATASET.key, extra={"fees": fees}))
    (folder / DATASET.layer_file).parent.mkdir(parents=True, exist_ok=True)
    write_layer(folder / DATASET.layer_file, features)
    report.written = len(features)
    return report
