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
from geo.phrases import french_date
from geo.sources import Dataset, SourceReport
from geo.sources.places import build_layer, listed, website_of
from geo.territory import Area, Territory
from geo.text import normalise

DATASET = Dataset(
    key="mediation-numerique",
    label="ANCT – Cartographie nationale des lieux d'inclusion numérique",
    short="ANCT",
    licence="Licence Ouverte 2.0",
    layer_file="sources/mediation_numerique.geojson",
    raw_file="sources/lieux_mediation_numerique_paca_2023-05-17.json",
    url="https://cartographie.societenumerique.gouv.fr",
)
SOURCE_TEXT = ("ANCT – Cartographie nationale des lieux d'inclusion numérique (extrait du Hub du Sud, "
               f"{french_date(DATASET.published)}), Licence Ouverte 2.0")
YEAR = DATASET.published[:4]
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
# The standard v1.0.2's fields that the 2023 file did not have (each absent there, so the shipped layer is unchanged).
LABEL_FIELDS = ("labels_nationaux", "dispositif_programmes_nationaux", "formations_labels", "autres_formations_labels")
ACCESS_FIELDS = (("modalites_acces", "Comment venir"), ("publics_specifiquement_adresses", "Publics"),
                 ("prise_en_charge_specifique", "Prise en charge adaptée"))
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
    labels = [LABELS.get(label, label) for field in LABEL_FIELDS for label in listed(record.get(field))]
    if labels:
        parts.append("Labels : " + ", ".join(dict.fromkeys(labels)) + ".")
    if "Itinérant" in listed(record.get("itinerance")):
        parts.append("Lieu itinérant : l'accompagnement se tient aussi ailleurs (voir le site).")
    summary = " ".join((record.get("presentation_resume") or "").split())
    return " ".join([summary, *parts] if summary else parts)


def _access(record: dict) -> str:
    """How to get help, in the standard v1.0.2's fields: how to reach the place, for whom, what help for what
    need, where to book."""
    parts = []
    for field, said in ACCESS_FIELDS:
        items = listed(record.get(field))
        if items:
            parts.append(f"{said} : " + ", ".join(item[0].lower() + item[1:] for item in items) + ".")
    booking = [url for url in listed(record.get("prise_rdv")) if url.lower().startswith(("http://", "https://"))]
    if booking:
        parts.append(f"Prendre rendez-vous : {booking[0]}")
    return " ".join(parts)


def _accessibility(record: dict) -> str:
    sheet = (record.get("fiche_acces_libre") or "").strip()
    return f"Fiche Acceslibre : {sheet}" if sheet.lower().startswith(("http://", "https://")) else ""


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
        "accessibility": _accessibility(record), "address_source": "",
        "address_note": " ".join((record.get("complement_adresse") or "").split()), "status": "active",
        "status_date": "",
        "status_note": "", "status_source": "", "former_name": "", "opened": "", "opened_source": "",
        "fees": ", ".join(listed(record.get("frais_a_charge"))),
        **({"access": access} if (access := _access(record)) else {}),  # the 2023 file says none
    }


def _left_out(record: dict) -> str:
    named = {normalise(name) for name in NAMED_AFTER_A_PERSON}
    return "nommée d'après une personne, non publiée" if normalise(record.get("nom", "")) in named else ""


def build(folder: Path, territory: Territory, chain: GeocodingChain) -> SourceReport:
    """Read the shipped raw file, write the source's layer, and say what was done."""
    return build_layer(folder, territory, chain, DATASET, values_of, "l'ANCT", left_out=_left_out, say_outside=False)
