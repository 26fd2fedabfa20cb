"""The 92 communes of the métropole and Marseille's 16 arrondissements: look-ups by name,
postcode, INSEE code and point."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from geo.files import data_dir, read_json
from geo.text import normalise

# A commune's name as looked up: the same few hundred spellings come back for every row of a catalogue (440,000
# normalisations, 5.8 s of a new deployment's 220,000 rows).
_name_key = lru_cache(maxsize=1024)(normalise)

MARSEILLE = "13055"
# About 1 m in degrees at this latitude; tolerances below are given in metres.
_DEGREES_PER_METRE = 1 / 111_000


def short_name(name: str) -> str:
    """An area's name as a map label: "Marseille 15e" for "Marseille 15e Arrondissement"."""
    return name.replace(" Arrondissement", "")


def is_arrondissement_code(code: str) -> bool:
    """Whether an INSEE code is one of Marseille's arrondissements (13201–13216)."""
    return len(code) == 5 and code.startswith("132")


@dataclass(frozen=True)
class Area:
    """A commune, or one of Marseille's arrondissements."""

    insee: str
    name: str
    postcodes: tuple[str, ...]
    population: int
    territory: str
    point: tuple[float, float] = field(repr=False)
    polygon: BaseGeometry = field(repr=False, compare=False)
    commune_insee: str

    @property
    def is_arrondissement(self) -> bool:
        return self.insee != self.commune_insee


class Territory:
    """Every commune and arrondissement, with their polygons indexed for point queries."""

    def __init__(self, communes: list[Area], arrondissements: list[Area]):
        self.communes = {area.insee: area for area in communes}
        self.arrondissements = {area.insee: area for area in arrondissements}
        self._by_insee = {**self.communes, **self.arrondissements}
        self._by_name = {normalise(area.name): area for area in self._by_insee.values()}
        self._by_name.update(
            (normalise(f"Marseille {area.insee[-2:].lstrip('0')}"), area) for area in arrondissements
        )
        self._by_postcode: dict[str, list[Area]] = {}
        for area in self._by_insee.values():
            for postcode in area.postcodes:
                self._by_postcode.setdefault(postcode, []).append(area)
        self._commune_list = list(self.communes.values())
        self._commune_index = shapely.STRtree([area.polygon for area in self._commune_list])
        self._arrondissement_list = list(self.arrondissements.values())
        self._arrondissement_index = shapely.STRtree([a.polygon for a in self._arrondissement_list])

    def by_insee(self, code: str) -> Area | None:
        """The commune or arrondissement with this INSEE code."""
        return self._by_insee.get((code or "").strip())

    def area(self, code: str) -> Area:
        """The commune or arrondissement of a code known to be one (counted, validated); KeyError if not."""
        return self._by_insee[(code or "").strip()]

    def by_name(self, name: str) -> Area | None:
        """The commune (or arrondissement) with this name, ignoring accents, case, hyphens, "St"."""
        return self._by_name.get(_name_key(name))

    def by_postcode(self, postcode: str) -> list[Area]:
        """Communes and arrondissements served by this postcode (several communes may share one)."""
        return list(self._by_postcode.get((postcode or "").strip(), []))

    def commune_of(self, area: Area) -> Area:
        """The commune an area belongs to (itself for a commune)."""
        return self.communes[area.commune_insee]

    def commune_at(self, lat: float, lon: float) -> Area | None:
        """The commune containing this point, or None outside the métropole."""
        return self._first_containing(self._commune_index, self._commune_list, lat, lon)

    def locate(self, lat: float, lon: float) -> Area | None:
        """The finest area containing this point: the arrondissement in Marseille, else the commune."""
        commune = self.commune_at(lat, lon)
        if commune is not None and commune.insee == MARSEILLE:
            arrondissement = self._first_containing(
                self._arrondissement_index, self._arrondissement_list, lat, lon
            )
            return arrondissement or commune
        return commune

    def contains(self, area: Area, lat: float, lon: float, tolerance_m: float = 0) -> bool:
        """Whether the point lies in ``area`` (within ``tolerance_m`` metres of its outline)."""
        point = Point(lon, lat)
        if tolerance_m <= 0:
            return area.polygon.covers(point)
        return area.polygon.dwithin(point, tolerance_m * _DEGREES_PER_METRE)

    def reference_point(self, area: Area) -> tuple[float, float]:
        """A point always inside the area. Marseille as a whole takes its 1st arrondissement's
        (city centre): the commune's own inside point lies far east, among the hills."""
        if area.insee == MARSEILLE:
            return self.arrondissements["13201"].point
        return area.point

    @staticmethod
    def _first_containing(index, areas: list[Area], lat: float, lon: float) -> Area | None:
        hits = index.query(Point(lon, lat), predicate="covered_by")
        return areas[int(min(hits))] if len(hits) else None

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(south, west, north, east) of the whole métropole."""
        west, south, east, north = shapely.total_bounds([a.polygon for a in self._commune_list])
        return float(south), float(west), float(north), float(east)


def _polygons(path: Path) -> dict[str, BaseGeometry]:
    collection = read_json(path)
    return {f["properties"]["code"]: shape(f["geometry"]) for f in collection["features"]}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_territory(folder: Path | None = None) -> Territory:
    """Read the communes and arrondissements from ``data/``."""
    return _load_territory(Path(folder or data_dir()))


def _areas(folder: Path, name: str, territory_of, commune_of) -> list[Area]:
    """The areas of ``name``.csv with their polygons from ``name``.geojson."""
    shapes = _polygons(folder / f"{name}.geojson")
    areas = [
        Area(
            insee=row["code_insee"],
            name=row["nom"],
            postcodes=tuple(row["codes_postaux"].split()),
            population=int(row["population"]),
            territory=territory_of(row),
            point=(float(row["point_in_polygon_lat"]), float(row["point_in_polygon_lon"])),
            polygon=shapes[row["code_insee"]],
            commune_insee=commune_of(row),
        )
        for row in _rows(folder / f"{name}.csv")
    ]
    for area in areas:
        shapely.prepare(area.polygon)
    return areas


@cache
def _load_territory(folder: Path) -> Territory:
    communes = _areas(folder, "communes", lambda row: row["conseil_de_territoire"], lambda row: row["code_insee"])
    marseille = next(area for area in communes if area.insee == MARSEILLE)
    arrondissements = _areas(folder, "arrondissements", lambda row: marseille.territory, lambda row: MARSEILLE)
    return Territory(communes, arrondissements)
