"""Distances from a starting point: the nearest initiatives, with walking time."""

from __future__ import annotations

import numpy as np
import pandas as pd

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG), as geopy's great_circle uses
WALKING_KMH = 4.5


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
    return result.assign(
        walk_minutes=walk,
        distance_label=[f"{format_km(d)} · {format_walk(m)} à pied" for d, m in zip(result["distance_km"], walk,
                                                                                  strict=True)],
    )


def format_km(distance: float) -> str:
    """"850 m", "1,2 km", "24 km"."""
    if distance < 1:
        return f"{round(distance * 1000, -1):.0f} m"
    return f"{distance:.1f} km".replace(".", ",") if distance < 10 else f"{distance:.0f} km"


def format_walk(minutes: int) -> str:
    """"7 min", "1 h 25"."""
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d}"
