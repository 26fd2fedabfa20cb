"""Build the layer: validate the catalogue, geocode every row through the chain, write the GeoJSON."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from geo import logs
from geo.catalogue import Problem, Row, read_catalogue
from geo.chain import GeocodingChain, Outcome
from geo.layer import LAYER_FILE, feature, write_layer
from geo.position import Position, Query
from geo.territory import Territory

CATALOGUE_FILE = "initiatives.csv"
LOG = logs.get("construction")


@dataclass
class BuildReport:
    """What a build did: problems that stopped it, or what it located and how precisely."""

    problems: list[Problem] = field(default_factory=list)
    precisions: Counter = field(default_factory=Counter)
    attention: list[tuple[Row, list[str]]] = field(default_factory=list)
    from_cache: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def query_for(row: Row, territory: Territory) -> Query:
    """The geocoding query of a valid row: its address within its arrondissement (from the INSEE code,
    or else the postcode) or its commune."""
    commune = territory.by_name(row.values["commune"])
    assert commune is not None, "a valid row's commune"
    by_postcode = [a for a in territory.by_postcode(row.values["postcode"])
                   if a.is_arrondissement and a.commune_insee == commune.insee]
    area = territory.by_insee(row.values["insee"]) or (by_postcode[0] if len(by_postcode) == 1 else commune)
    return Query(row.values["address"], row.values["postcode"], commune, area)


def manual_position(entry: dict) -> Position:
    return Position(entry["lat"], entry["lon"], "manual", "manual", "Position corrigée à la main", None,
                    entry.get("date", ""))


def build(folder: Path, territory: Territory, chain: GeocodingChain,
          progress: Callable[[Iterable[Row]], Iterable[Row]] = iter,
          manual: dict[str, dict] | None = None) -> BuildReport:
    """Validate ``folder``'s catalogue and, if it is valid, geocode it and write the layer.

    An invalid catalogue writes nothing. Online answers are cached as they come, so an
    interrupted build resumes where it stopped. ``manual`` positions (by id) win over geocoding.
    """
    rows, problems = read_catalogue(Path(folder) / CATALOGUE_FILE, territory)
    report = BuildReport(problems=problems)
    if problems:
        LOG.warning("catalogue refusé : %d problème(s), rien n'a été écrit", len(problems))
        return report
    features = []
    for row in progress(rows):
        query = query_for(row, territory)
        if manual and row.values["id"] in manual:
            outcome = Outcome(manual_position(manual[row.values["id"]]))
        else:
            outcome = chain.locate(query)
        report.precisions[outcome.position.precision] += 1
        report.from_cache += outcome.from_cache
        if outcome.notes or (row.values["address"] and outcome.position.precision == "commune"):
            report.attention.append((row, outcome.notes or ["adresse non trouvée, point de la commune"]))
        features.append(feature(row.values, query.area, query.commune.territory, outcome.position))
    write_layer(Path(folder) / LAYER_FILE, features)
    LOG.info("couche écrite : %d initiatives (%s), %d depuis le cache, %d à vérifier", len(features),
             ", ".join(f"{k} {v}" for k, v in report.precisions.items()), report.from_cache, len(report.attention))
    return report
