"""Connector: the national data·inclusion hub's open data (schema v1: ``structures.json`` and ``services.json``),
the files the hub publishes for download (https://www.data.inclusion.gouv.fr/, Licence Ouverte 2.0).

Not listed in ``CONNECTORS`` while no file is shipped: to bring the hub's places of the métropole onto the map,
download its two files into ``data/sources/data_inclusion/``, add this module to the registry and run
``python -m geo sources`` (docs/sources.md). Each structure of the métropole becomes one entry, its services
joined to it: themes from their ``thematiques`` and ``publics`` (the reverse of our export's table), fees,
how to get in, hours. Telephones, e-mails and contact names are never republished.
"""

from __future__ import annotations

from pathlib import Path

from geo.chain import GeocodingChain
from geo.files import read_json
from geo.hours import valid as hours_valid
from geo.sources import Dataset, SourceReport
from geo.sources.places import build_layer
from geo.standards.data_inclusion import PUBLICS, THEMATIQUES
from geo.territory import Area, Territory

DATASET = Dataset(
    key="data-inclusion",
    label="data·inclusion – offre d'insertion (GIP Plateforme de l'inclusion)",
    short="data·inclusion",
    licence="Licence Ouverte 2.0",
    layer_file="sources/data_inclusion.geojson",
    raw_file="sources/data_inclusion",  # a folder: structures.json and services.json
    url="https://www.data.inclusion.gouv.fr",
)
# A structure is a place of digital help when one of its services is; else a solidarity project.
DIGITAL, OTHER = "mediation-numerique", "projet-solidaire"
THEMES_OF = {value: theme for theme, value in THEMATIQUES.items() if theme not in ("culture",)} | \
    {value: theme for theme, value in PUBLICS.items()}
MODES = {"en-presentiel": "sur place", "a-distance": "à distance"}


def records(folder: Path, dataset: Dataset = DATASET) -> list[dict]:
    """Each structure with its services (``services``), in the field names the place resolution reads."""
    where = Path(folder) / dataset.raw_file
    services: dict[str, list[dict]] = {}
    for service in read_json(where / "services.json"):
        services.setdefault(service["structure_id"], []).append(service)
    return [{**structure, "services": services.get(structure["id"], [])}
            for structure in read_json(where / "structures.json")]


def _items(services: list[dict], field: str) -> list[str]:
    """The values of a list field (``thematiques``) or of a single one (``frais``) across the services, once."""
    values = [service.get(field) or [] for service in services]
    return list(dict.fromkeys(item for value in values for item in ([value] if isinstance(value, str) else value)))


def _texts(services: list[dict], field: str) -> list[str]:
    return list(dict.fromkeys(" ".join(str(s.get(field) or "").split()) for s in services if s.get(field)))


def values_of(record: dict, area: Area, territory: Territory) -> dict[str, str]:
    """One structure and its services in our schema (every catalogue column, plus fees)."""
    services = record["services"]
    given = [*_items(services, "thematiques"), *_items(services, "publics")]
    themes = list(dict.fromkeys(THEMES_OF[value] for value in given if value in THEMES_OF))
    digital = any(value.startswith("numerique") for value in _items(services, "thematiques"))
    names = _texts(services, "nom")
    own = " ".join(str(record.get("description") or "").split())
    offered = "Services : " + ", ".join(names) + "." if names else ""
    description = " ".join(part for part in (own, offered) if part) or "Structure de l'offre d'insertion."
    access = [*_texts(services, "conditions_acces"), *_texts(services, "publics_precisions")]
    modes = [MODES[mode] for mode in _items(services, "modes_accueil") if mode in MODES]
    if modes:
        access.append("Accueil " + " et ".join(modes) + ".")
    hours = (record.get("horaires_accueil") or "").strip()
    fees = _items(services, "frais")
    return {
        "id": f"di-{record['id']}", "name": " ".join(record["nom"].split()), "category": DIGITAL if digital else OTHER,
        "themes": "; ".join(themes or (["numerique"] if digital else ["inclusion"])),
        "description": description, "address": " ".join((record.get("adresse") or "").split()),
        "postcode": record.get("code_postal") or "",
        "commune": territory.commune_of(area).name, "insee": area.insee, "year": str(record["date_maj"])[:4],
        "award": "", "website": record.get("site_web") or "",
        "source": f"data·inclusion, source « {record['source']} », fiche mise à jour le {record['date_maj']}",
        "opening_hours": hours if hours and hours_valid(hours) else "",
        "accessibility": f"Fiche Acceslibre : {record['accessibilite_lieu']}" if record.get("accessibilite_lieu")
        else "", "access": " ".join(access), "address_source": "",
        "address_note": " ".join((record.get("complement_adresse") or "").split()), "status": "active",
        "status_date": "", "status_note": "", "status_source": "", "former_name": "", "opened": "",
        "opened_source": "", "fees": ", ".join(fee.capitalize() for fee in fees),
    }


def build(folder: Path, territory: Territory, chain: GeocodingChain) -> SourceReport:
    """Read the two downloaded files, write the source's layer, and say what was done."""
    return build_layer(folder, territory, chain, DATASET, values_of, "data·inclusion",
                       records=records(folder))
