"""Connector: the places of digital and social help of the Ville d'Aix-en-Provence (city hall annexes, social
centres, libraries, CAF, France Travail…), as the ANCT's tooling (mednum-cli) collected them on 31 January 2024,
shipped in ``data/sources/``.

Its fields follow the ANCT's own mapping (``lieux_aix_en_provence_2024-01-31.mapping.json`` in the shared data):
name, address and its complement, postcode, hours in OpenStreetMap syntax, website, services and national labels.
Where a place is comes from ``geo.sources.places``. The file's telephone numbers and e-mail addresses are not
shipped (some are a person's line or a consumer mailbox). A place the regional ANCT file also lists appears once
on the map (``geo.sources.duplicates``), naming both.
"""

from __future__ import annotations

from pathlib import Path

from geo.chain import GeocodingChain
from geo.hours import valid as hours_valid
from geo.sources import Dataset, SourceReport
from geo.sources.places import build_layer, listed, website_of
from geo.territory import Area, Territory

DATASET = Dataset(
    key="aix-en-provence",
    label="Ville d'Aix-en-Provence – lieux d'aide numérique et sociale (via l'ANCT, mednum-cli)",
    short="Ville d'Aix",
    licence="MIT (dépôt mednum-cli de l'ANCT)",
    layer_file="sources/aix_en_provence.geojson",
    raw_file="sources/lieux_aix_en_provence_2024-01-31.json",
    url="https://github.com/anct-cartographie-nationale/mednum-cli",
)
SOURCE_TEXT = (f"Mairie d'Aix-en-Provence, via ANCT (mednum-cli), données du "
               f"{'/'.join(reversed(DATASET.published.split('-')))}, licence MIT")
CATEGORY = "mediation-numerique"

# The services of the file (the standard's 2023 wording) and the themes they bring.
SERVICE_THEMES = {
    "Devenir autonome dans les démarches administratives": ("demarches-administratives",),
    "Réaliser des démarches administratives avec un accompagnement": ("demarches-administratives",),
    "Prendre en main un smartphone ou une tablette": ("numerique",),
    "Prendre en main un ordinateur": ("numerique",),
    "Utiliser le numérique au quotidien": ("numerique",),
    "Approfondir ma culture numérique": ("numerique", "culture"),
    "Favoriser mon insertion professionnelle": ("emploi", "insertion"),
    "Accéder à une connexion internet": ("numerique",),
    "Accéder à du matériel": ("numerique",),
    "S'équiper en matériel informatique": ("numerique",),
    "Soutenir la parentalité et l'éducation avec le numérique": ("parentalite", "education"),
}
LABELS = {"CNFS": "Conseillers numériques", "France Services": "France Services", "APTIC": "Pass numérique APTIC",
          "Aidants Connect": "Aidants Connect"}


def _description(record: dict) -> str:
    parts = [" ".join((record.get("presentation_resume") or "").split())]
    services = listed(record.get("services"))
    if services:
        parts.append("Services : " + ", ".join(s[0].lower() + s[1:] for s in services) + ".")
    labels = [LABELS.get(label, label) for label in listed(record.get("labels_nationaux"))]
    if labels:
        parts.append("Labels : " + ", ".join(labels) + ".")
    return " ".join(part for part in parts if part)


def values_of(record: dict, area: Area, territory: Territory) -> dict[str, str]:
    """One record in our schema (every catalogue column, plus fees)."""
    themes = list(dict.fromkeys(theme for service in listed(record.get("services"))
                                for theme in SERVICE_THEMES.get(service, ("numerique",))))
    hours = (record.get("horaires") or "").strip()
    address = " ".join(str(record.get("Adresse") or "").split())
    address = address.title() if address.isupper() else address  # « 1 PLACE VICTOR SCHOELCHER »
    detail = " ".join(str(record.get("complement_adresse") or "").split())
    updated = record.get("date_maj", "")
    return {
        "id": f"aix-{record['id']}", "name": " ".join(record["nom"].split()), "category": CATEGORY,
        "themes": "; ".join(themes or ["numerique"]), "description": _description(record),
        "address": address, "postcode": str(record.get("code_postal", "")), "commune": territory.commune_of(area).name,
        "insee": area.insee, "year": updated[:4], "award": "", "website": website_of(record),
        "source": SOURCE_TEXT + (f" ; fiche mise à jour le {updated}" if updated else ""),
        "opening_hours": hours if hours and hours_valid(hours) else "",
        "accessibility": " ".join((record.get("accessibilite") or "").split()),
        "access": " ".join((record.get("conditions_acces") or "").split()),
        "address_source": "", "address_note": detail, "status": "active", "status_date": "", "status_note": "",
        "status_source": "", "former_name": "", "opened": "", "opened_source": "", "fees": "",
    }


def build(folder: Path, territory: Territory, chain: GeocodingChain) -> SourceReport:
    """Read the shipped raw file, write the source's layer, and say what was done."""
    return build_layer(folder, territory, chain, DATASET, values_of, "la Ville d'Aix-en-Provence")
