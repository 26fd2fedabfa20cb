"""The controlled vocabulary: categories, themes, precisions and providers, with French labels.

The one place that names them; pages, the map and the validation read it from here.
Colours are the Leaflet.awesome-markers palette names folium accepts, with their hex value
for legends and canvas layers; each hex carries a white icon at 3:1 or more (RGAA 3.3, checked by
tests/test_accessibility.py). Icons are Font Awesome 6 names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    """A kind of initiative, as shown on the map."""

    label: str
    marker_color: str
    hex: str
    icon: str


CATEGORIES: dict[str, Category] = {
    "restaurant-solidaire": Category("Restaurant solidaire", "red", "#d63e2a", "utensils"),
    "laureat": Category("Lauréat d'un prix", "orange", "#c0620a", "trophy"),
    "incubateur": Category("Incubateur / accélérateur", "purple", "#d252b9", "rocket"),
    "reseau-ess": Category("Réseau ESS", "darkblue", "#0067a3", "people-group"),
    "defi-territorial": Category("Défi territorial", "green", "#4f8a1e", "flag"),
    "participation-citoyenne": Category("Participation citoyenne", "cadetblue", "#436978", "comments"),
    "lieu-evenement": Category("Lieu / événement", "darkpurple", "#5b396b", "landmark"),
    "projet-solidaire": Category("Projet solidaire", "blue", "#13808f", "seedling"),
    "association": Category("Association", "darkgreen", "#728224", "hand-holding-heart"),
    "acteur-public": Category("Acteur public / programme", "gray", "#575757", "building-columns"),
    "prix-label": Category("Prix / label", "beige", "#b8860b", "award"),
    "mediation-numerique": Category("Lieu de médiation numérique", "lightblue", "#1f78b4", "laptop"),
}

# Categories of things one cannot walk into (a prize, a programme, a challenge, a network): they are
# listed and mapped with their commune, but never offered as "near you".
NOT_PLACES = frozenset({"prix-label", "defi-territorial", "acteur-public", "participation-citoyenne"})

THEMES: dict[str, str] = {
    "alimentation": "alimentation",
    "insertion": "insertion",
    "handicap": "handicap",
    "jeunesse": "jeunesse",
    "education": "éducation",
    "sport": "sport",
    "droits-des-femmes": "droits des femmes",
    "sans-abrisme": "sans-abrisme",
    "agriculture-urbaine": "agriculture urbaine",
    "qualite-de-l-air": "qualité de l'air",
    "energie": "énergie",
    "environnement": "environnement",
    "participation": "participation",
    "inclusion": "inclusion",
    "culture": "culture",
    "entrepreneuriat-social": "entrepreneuriat social",
    "innovation-publique": "innovation publique",
    "numerique": "numérique",
    "demarches-administratives": "démarches administratives",
    "emploi": "emploi",
    "parentalite": "parentalité",
}

# From most to least precise; "manual" is a position set by hand and kept over geocoding.
PRECISIONS: dict[str, str] = {
    "manual": "position corrigée à la main",
    "address": "adresse",
    "street": "rue",
    "place": "lieu",
    "commune": "commune",
}
APPROXIMATE_PRECISIONS = frozenset({"street", "commune"})

PROVIDERS: dict[str, str] = {
    "ban": "Base Adresse Nationale (Géoplateforme IGN)",
    "nominatim": "Nominatim (© contributeurs OpenStreetMap)",
    "osm-places": "Lieux OpenStreetMap enregistrés (hors ligne)",
    "osm-streets": "Index des rues de Marseille, OpenStreetMap (hors ligne)",
    "area-point": "Point intérieur de la commune ou de l'arrondissement (IGN)",
    "manual": "Saisie manuelle",
    "source": "Coordonnées publiées par la source de données",
}

# What is true today of an initiative; "ended" ones stay findable but are shown as such.
STATUSES: dict[str, str] = {
    "active": "en activité",
    "changed": "a changé",
    # A page says its future is in doubt (bankruptcy filed, liquidation announced, no news for years) but none
    # says it stopped: neither active nor ended, with the fact, its page and its date.
    "watch": "à vérifier",
    "ended": "terminé",
}

THEME_SEPARATOR = ";"


def split_themes(cell: str) -> list[str]:
    """The theme slugs of a catalogue cell ("alimentation; insertion")."""
    return [part.strip() for part in (cell or "").split(THEME_SEPARATOR) if part.strip()]


# What residents filter on: (label, catalogue field, value). Only where a source says so: a field left empty
# is never taken for « yes » nor for « no ».
NEEDS: dict[str, tuple[str, str, str]] = {
    "prix-solidaire": ("Repas à prix solidaire", "solidarity_price", "oui"),
    "fauteuil": ("Accessible en fauteuil", "wheelchair", "oui"),
    "sans-reservation": ("Sans réservation", "booking", "sans"),
}
