"""Connector: the places of digital mediation of the national data standard ("schéma des lieux de
médiation numérique", ANCT), as shipped in ``data/sources/``.

Each place of the métropole becomes one entry of our schema: category, themes from its services,
address, hours, fees, website. Where it is comes from ``geo.sources.places`` (its published point when it lies
in its commune, else its address, flagged). Personal data is not republished: no phone numbers, no e-mail addresses,
and rows named after a person are left out.
"""

from __future__ import annotations

from pathlib import Path

from geo.chain import GeocodingChain
from geo.hours import valid as hours_valid
from geo.sources import Dataset, SourceReport
from geo.sources.places import build_layer, listed, website_of
from geo.territory import Area, Territory
from geo.text import normalise

DATASET = Dataset(
    key="mediation-numerique",
    label="ANCT – Cartographie nationale des lieux d'inclusion numérique",
    short="ANCT, mai 2023",
    licence="Licence Ouverte 2.0",
    layer_file="sources/mediation_numerique.geojson",
    raw_file="sources/lieux_mediation_numerique_paca_2023-05-17.json",
    url="https://cartographie.societenumerique.gouv.fr",
    published="2023-05-17",
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


def _description(record: dict) -> str:
    parts = []
    services = listed(record.get("services"))
    if services:
        parts.append("Services : " + ", ".join(s[0].lower() + s[1:] for s in services) + ".")
    ways = listed(record.get("modalites_accompagnement"))
    if ways:
        parts.append("Accompagnement : " + ", ".join(w[0].lower() + w[1:] for w in ways) + ".")
    publics = listed(record.get("publics_accueillis"))
    if publics:
        parts.append("Publics : " + ", ".join(p[0].lower() + p[1:] for p in publics) + ".")
    labels = [LABELS.get(label, label) for label in listed(record.get("labels_nationaux"))]
    if labels:
        parts.append("Labels : " + ", ".join(labels) + ".")
    return " ".join(parts)


def values_of(record: dict, area: Area, territory: Territory) -> dict[str, str]:
    """One record in our schema (every catalogue column, plus fees)."""
    commune = territory.commune_of(area)
    themes = list(dict.fromkeys(theme for service in listed(record.get("services"))
                                for theme in SERVICE_THEMES.get(service, ("numerique",))))
    hours = (record.get("horaires") or "").strip()
    updated = record.get("date_maj", "")
    return {
        "id": f"anct-{record['id']}", "name": " ".join(record["nom"].split()), "category": CATEGORY,
        "themes": "; ".join(themes or ["numerique"]), "description": _description(record),
        "address": " ".join((record.get("adresse") or "").split()), "postcode": record.get("code_postal", ""),
        "commune": commune.name, "insee": area.insee, "year": YEAR, "award": "", "website": website_of(record),
        "source": SOURCE_TEXT + (f" ; fiche mise à jour le {updated}" if updated else ""),
        "opening_hours": hours if hours and hours_valid(hours) else "",
        "accessibility": "", "address_source": "", "address_note": "", "status": "active", "status_date": "",
        "status_note": "", "status_source": "", "former_name": "", "opened": "", "opened_source": "",
        "fees": ", ".join(listed(record.get("frais_a_charge"))),
    }


def _left_out(record: dict) -> str:
    named = {normalise(name) for name in NAMED_AFTER_A_PERSON}
    return "nommée d'après une personne, non publiée" if normalise(record.get("nom", "")) in named else ""


def build(folder: Path, territory: Territory, chain: GeocodingChain) -> SourceReport:
    """Read the shipped raw file, write the source's layer, and say what was done."""
    return build_layer(folder, territory, chain, DATASET, values_of, "l'ANCT", left_out=_left_out, say_outside=False)
