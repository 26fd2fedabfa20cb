"""Key figures of a selection, for the territory presentation."""

from __future__ import annotations

import pandas as pd

from geo.territory import MARSEILLE, Territory
from geo.vocabulary import THEMES


def key_figures(table: pd.DataFrame) -> dict[str, int]:
    return {
        "initiatives": len(table),
        "communes": table["commune_insee"].nunique(),
        "distinctions": int((table["award"] != "").sum()),
        "restaurants": int((table["category"] == "restaurant-solidaire").sum()),
    }


def count_by(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """Initiatives per value of ``column`` (themes: one count per theme), most first."""
    values = table[column]
    if column == "themes":
        values = values.explode().dropna().map(lambda t: THEMES.get(t, t))
    counts = values.value_counts()
    return pd.DataFrame({"valeur": counts.index, "initiatives": counts.to_numpy()})


def counts_by_area(table: pd.DataFrame) -> tuple[dict[str, int], int]:
    """Initiatives per commune, Marseille per arrondissement; plus how many Marseille rows have no
    known arrondissement (they cannot be drawn in one)."""
    codes = table["insee"]
    in_marseille_only = int((codes == MARSEILLE).sum())
    counts = codes[codes != MARSEILLE].value_counts()
    return {str(code): int(n) for code, n in counts.items()}, in_marseille_only


def areas_geojson(territory: Territory, communes: dict, arrondissements: dict, counts: dict[str, int]) -> dict:
    """Communes (Marseille replaced by its arrondissements) with name, conseil and count."""
    features = []
    for feature in [*communes["features"], *arrondissements["features"]]:
        code = feature["properties"]["code"]
        if code == MARSEILLE:
            continue
        area = territory.by_insee(code)
        assert area is not None, f"{code}: a code of the reference files"
        features.append({**feature, "properties": {
            "code": code, "nom": area.name, "conseil": area.territory, "initiatives": counts.get(code, 0)}})
    return {"type": "FeatureCollection", "features": features}


def area_table(territory: Territory, counts: dict[str, int], marseille_only: int = 0) -> pd.DataFrame:
    """The choropleth's figures as a table (its text alternative): every area with at least one initiative, most
    first, with its conseil de territoire; Marseille's initiatives known without their arrondissement last."""
    rows = [{"area": area.name, "conseil": area.territory, "initiatives": int(n)}
            for code, n in counts.items() if n and (area := territory.area(code))]
    if marseille_only:
        rows.append({"area": "Marseille (arrondissement inconnu)", "conseil": territory.area(MARSEILLE).territory,
                     "initiatives": marseille_only})
    frame = pd.DataFrame(rows, columns=["area", "conseil", "initiatives"])
    return frame.sort_values(["initiatives", "area"], ascending=[False, True], ignore_index=True)


def winners(table: pd.DataFrame) -> pd.DataFrame:
    """Initiatives with an award or label, most recent first."""
    return table[table["award"] != ""].sort_values(["year", "name"], ascending=[False, True])
