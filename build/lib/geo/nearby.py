"""Distances from a starting point: the nearest initiatives, with walking time."""

from __future__ import annotations

import numpy as np
import pandas as pd

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG), as geopy's great_circle uses
WALKING_KMH = 4.5
WALKING_LIMIT_KM = 3.0  # beyond, walking minutes are not an answer: transit directions instead


def distances_km(table: pd.DataFrame, lat: float, lon: float) -> np.ndarray:
    """Great-circle distance in km from (lat, lon) to every row (haversine, vectorised)."""
    lat1, lon1 = np.radians(lat), np.radians(lon)
    lat2, lon2 = np.radians(table["lat"].to_numpy(float)), np.radians(table["lon"].to_numpy(float))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def nearest(table: pd.DataFrame, lat: float, lon: float, *, radius_km: float | None = None,
            limit: int | None = None) -> pd.DataFrame:
    """The rows within ``radius_km``, nearest first, with ``distance_km``, ``walk_minutes`` and
    a ``distance_label`` ready to show."""
    result = table.assign(distance_km=distances_km(table, lat, lon))
    if radius_km is not None:
        result = result[result["distance_km"] <= radius_km]
    result = result.nsmallest(limit, "distance_km") if limit else result.sort_values("distance_km", kind="stable")
    walk = (result["distance_km"] / WALKING_KMH * 60).round().astype(int)
    rough = result["commune_level"] if "commune_level" in result else pd.Series(False, index=result.index)
    return result.assign(
        walk_minutes=walk,
        distance_label=[distance_label(d, m, r) for d, m, r in zip(result["distance_km"], walk, rough, strict=True)],
    )


def distance_label(distance: float, walk_minutes: int, commune_level: bool) -> str:
    """"850 m · 11 min à pied", or for an entry known only by its commune an honest approximation:
    "≈ 3 km (du centre de la commune, adresse non connue)", never metres nor walking minutes."""
    if commune_level:
        rounded = max(1, round(distance))
        return f"≈ {rounded} km (du centre de la commune, adresse non connue)"
    if distance > WALKING_LIMIT_KM:
        return f"{format_km(distance)} à vol d'oiseau"
    return f"{format_km(distance)} · {format_walk(walk_minutes)} à pied"


def format_km(distance: float) -> str:
    """"850 m", "1,2 km", "24 km"."""
    if distance < 1:
        return f"{round(distance * 1000, -1):.0f} m"
    return f"{distance:.1f} km".replace(".", ",") if distance < 10 else f"{distance:.0f} km"


def format_walk(minutes: int) -> str:
    """"7 min", "1 h 25"."""
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d}"
