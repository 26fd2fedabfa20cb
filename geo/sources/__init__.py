"""Data sets the map shows: the team's catalogue, and open-data sources brought in by a connector.

A source is one module in this package with a ``DATASET`` (who publishes it, under which licence, of
which date, where its raw file and its layer live) and a ``build(folder, territory, chain)`` that reads
the shipped raw file and writes the source's own layer. Staff edits live in the catalogue, sources in
their own layers: a refresh of one never overwrites the other. A new source is a new module listed in
``CONNECTORS``; nothing else changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geo.phrases import french_date


@dataclass(frozen=True)
class Dataset:
    """Where entries come from, as every popup, list and download says it. A source's date is read from its
    raw file's name (« lieux_…_2023-05-17.json »): a refresh changes the file, and the label, the date of its
    rows and which of two sources wins follow."""

    key: str
    label: str  # "ANCT – Cartographie nationale des lieux d'inclusion numérique"
    short: str  # "ANCT" → "ANCT, mai 2023" with the file's month
    licence: str
    layer_file: str  # relative to the data folder
    raw_file: str = ""
    url: str = ""
    published: str = ""  # the day its file was published (ISO): of two sources listing one place, the later wins

    def __post_init__(self):
        dated = _FILE_DATE.search(self.raw_file)
        if dated and not self.published:
            object.__setattr__(self, "published", dated.group(1))
        if dated and "," not in self.short:
            object.__setattr__(self, "short", f"{self.short}, {french_date(self.published[:7])}")


_FILE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\w+$")


@dataclass
class SourceReport:
    """What a source build did: how many rows it kept, left out (and why), re-placed or flagged."""

    dataset: Dataset
    written: int = 0
    precisions: dict[str, int] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    attention: list[str] = field(default_factory=list)
    with_hours: int = 0


CATALOGUE = Dataset(
    key="catalogue", label="Catalogue de la Carte des Possibles", short="Carte des Possibles",
    licence="sources citées pour chaque initiative", layer_file="initiatives.geojson",
)


def connectors() -> dict:
    """The source modules, by dataset key (imported here to keep the registry in one place)."""
    from geo.sources import aix_en_provence, mediation_numerique

    return {module.DATASET.key: module for module in (mediation_numerique, aix_en_provence)}


def datasets() -> dict[str, Dataset]:
    """Every data set the map can show, the catalogue first."""
    return {CATALOGUE.key: CATALOGUE, **{key: module.DATASET for key, module in connectors().items()}}
