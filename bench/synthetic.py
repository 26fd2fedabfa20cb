"""Synthetic catalogues of N initiatives spread over the 92 communes (weighted by population), with
realistic categories, themes and text lengths, written as a catalogue and its layer the app can load."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import shapely

from geo.build import CATALOGUE_FILE
from geo.catalogue import COLUMNS, catalogue_text
from geo.files import REPO_DIR
from geo.layer import LAYER_FILE, write_layer
from geo.territory import MARSEILLE, Territory
from geo.vocabulary import CATEGORIES, PRECISIONS, THEME_SEPARATOR, THEMES

WORDS = ("solidaire", "quartier", "jeunes", "emploi", "cuisine", "jardin", "atelier", "familles", "insertion",
         "culture", "sport", "accueil", "habitants", "réemploi", "vélo", "santé", "numérique", "seniors", "mer",
         "école", "alimentation", "formation", "logement", "coopérative", "association", "lien", "social")
STREETS = ("rue de la République", "boulevard National", "avenue du Prado", "place Castellane", "cours Mirabeau",
           "chemin des Bourrely", "traverse de la Rose", "rue Paradis", "avenue des Mattes", "quai du Port")
SOURCES = ("Annuaire ESS de la Métropole, 2025", "CRESS PACA, observatoire 2024", "Appel à projets 2023")
REFERENCE_FILES = ("communes.csv", "communes.geojson", "arrondissements.csv", "arrondissements.geojson",
                   "marseille_streets.json", "places.csv")


def _points_in(area_polygons, counts, rng) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``counts[i]`` uniform random points inside ``area_polygons[i]``; returns lon, lat, area index."""
    lons, lats, owners = [], [], []
    for index, (polygon, count) in enumerate(zip(area_polygons, counts, strict=True)):
        west, south, east, north = polygon.bounds
        found = 0
        while found < count:
            x = rng.uniform(west, east, count * 3)
            y = rng.uniform(south, north, count * 3)
            inside = shapely.contains_xy(polygon, x, y)
            take = min(count - found, int(inside.sum()))
            lons.append(x[inside][:take])
            lats.append(y[inside][:take])
            owners.append(np.full(take, index))
            found += take
    return np.concatenate(lons), np.concatenate(lats), np.concatenate(owners)


def _sentence(rng, low: int, high: int) -> str:
    words = rng.choice(WORDS, int(rng.integers(low, high)))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def features(territory: Territory, n: int, seed: int = 1) -> list[dict]:
    """``n`` synthetic layer features (the shape ``geo.layer.feature`` writes)."""
    rng = np.random.default_rng(seed)
    areas = [a for a in territory.communes.values() if a.insee != MARSEILLE] + list(territory.arrondissements.values())
    weights = np.array([a.population for a in areas], float)
    counts = rng.multinomial(n, weights / weights.sum())
    lons, lats, owners = _points_in([a.polygon for a in areas], counts, rng)
    categories, themes, precisions = list(CATEGORIES), list(THEMES), list(PRECISIONS)[1:]
    result = []
    for i in range(n):
        area = areas[owners[i]]
        commune = territory.commune_of(area)
        has_address = rng.random() < 0.7
        precision = precisions[int(rng.integers(len(precisions)))]
        result.append({
            "type": "Feature", "id": f"synthetique-{i}",
            "geometry": {"type": "Point", "coordinates": [round(float(lons[i]), 6), round(float(lats[i]), 6)]},
            "properties": {
                "id": f"synthetique-{i}", "name": f"{_sentence(rng, 2, 5)[:-1]} {i}",
                "category": categories[int(rng.integers(len(categories)))],
                "themes": sorted(set(rng.choice(themes, int(rng.integers(1, 4))))),
                "description": _sentence(rng, 12, 40),
                "address": f"{int(rng.integers(1, 200))} {STREETS[int(rng.integers(len(STREETS)))]}"
                if has_address else "",
                "postcode": area.postcodes[0], "commune": commune.name, "insee": area.insee,
                "year": str(int(rng.integers(2015, 2026))),
                "award": "Prix des Possibles" if rng.random() < 0.03 else "", "website": "",
                "source": SOURCES[int(rng.integers(len(SOURCES)))], "opening_hours": "", "accessibility": "",
                "conseil_de_territoire": area.territory, "precision": precision, "provider": "area-point",
                "position_label": area.name, "position_score": None, "position_date": "2026-01-01",
            },
        })
    return result


def catalogue_rows(layer_features: list[dict]) -> list[dict[str, str]]:
    """The catalogue rows the features were built from (what initiatives.csv holds)."""
    return [{column: (THEME_SEPARATOR + " ").join(f["properties"]["themes"]) if column == "themes"
             else str(f["properties"].get(column) or "") for column in COLUMNS} for f in layer_features]


def write_data_dir(folder: Path, territory: Territory, n: int, seed: int = 1) -> Path:
    """A complete data folder: reference files, a synthetic catalogue of ``n`` initiatives and its layer (the
    app's database is filled from them on first start)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in REFERENCE_FILES:
        shutil.copy(REPO_DIR / "data" / name, folder / name)
    layer = features(territory, n, seed)
    (folder / CATALOGUE_FILE).write_text(catalogue_text(catalogue_rows(layer)), encoding="utf-8")
    write_layer(folder / LAYER_FILE, layer)
    return folder
