"""Saving the catalogue: under a file lock (two staff saving at once both keep their rows), with a
timestamped backup of every version, atomic writes of the CSV and the layer, and undo."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock

from geo import logs
from geo.build import CATALOGUE_FILE, BuildReport, build
from geo.catalogue import COLUMNS, Problem, read_catalogue, read_rows, validate
from geo.chain import data_chain
from geo.files import atomic_write_json, atomic_write_text, read_json, remove_leftovers
from geo.layer import LAYER_FILE
from geo.territory import Territory

MANUAL_FILE = "manual_positions.json"
LOG = logs.get("enregistrement")
BACKUPS = "backups"


class SaveRefused(Exception):
    """The change would make the catalogue invalid; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def catalogue_text(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


class CatalogueStore:
    """The catalogue of a data folder, changed only through ``save``."""

    def __init__(self, folder: Path, territory: Territory):
        self.folder = Path(folder)
        self.territory = territory
        self.lock = FileLock(self.folder / ".catalogue.lock", timeout=60)

    @property
    def path(self) -> Path:
        return self.folder / CATALOGUE_FILE

    def rows(self) -> list[dict[str, str]]:
        rows, _ = read_catalogue(self.path, self.territory)
        return [row.values for row in rows]

    def save(self, change: Callable[[list[dict[str, str]]], list[dict[str, str]]]) -> BuildReport:
        """Apply ``change`` to the catalogue as it is now on disk, keep a backup, write it, rebuild
        the layer. An invalid result raises ``SaveRefused`` and writes nothing."""
        with self.lock:
            for name in (CATALOGUE_FILE, LAYER_FILE):  # what a save killed before its rename left behind
                remove_leftovers(self.folder / name)
            current = self.rows()
            changed = change([dict(values) for values in current])
            text = catalogue_text(changed)
            problems = validate(read_rows(text)[0], self.territory)
            if problems:
                LOG.warning("enregistrement refusé : %d problème(s), rien n'a été écrit", len(problems))
                raise SaveRefused(problems)
            LOG.info("enregistrement du catalogue : %d → %d initiatives", len(current), len(changed))
            self._backup()
            atomic_write_text(self.path, text)
            return self._rebuild()

    def add(self, new_rows: list[dict[str, str]]) -> BuildReport:
        return self.save(lambda rows: [*rows, *new_rows])

    def update(self, identifier: str, values: dict[str, str]) -> BuildReport:
        return self.save(lambda rows: [({**row, **values} if row["id"] == identifier else row) for row in rows])

    def delete(self, identifier: str) -> BuildReport:
        return self.save(lambda rows: [row for row in rows if row["id"] != identifier])

    def set_position(self, identifier: str, lat: float, lon: float) -> BuildReport:
        """A position corrected by hand (precision ``manual``), kept over later geocoding."""
        with self.lock:
            values = next((row for row in self.rows() if row["id"] == identifier), None)
            if values is None:
                raise SaveRefused([Problem(0, "id", f"« {identifier} » n'existe pas")])
            commune = self.territory.by_name(values["commune"])
            if not self.territory.contains(commune, lat, lon):
                raise SaveRefused([Problem(0, "commune", f"ce point n'est pas dans {commune.name}")])
            positions = self.manual_positions()
            positions[identifier] = {"lat": round(lat, 6), "lon": round(lon, 6),
                                     "date": dt.date.today().isoformat()}
            atomic_write_json(self.folder / MANUAL_FILE, positions)
            return self._rebuild()

    def manual_positions(self) -> dict[str, dict]:
        path = self.folder / MANUAL_FILE
        return dict(read_json(path)) if path.exists() else {}

    def backups(self) -> list[Path]:
        """Saved versions, newest first."""
        return sorted((self.folder / BACKUPS).glob("initiatives-*.csv"), reverse=True)

    def restore_previous(self) -> BuildReport:
        """Put back the version before the last save (the current one is backed up too)."""
        with self.lock:
            backups = self.backups()
            if not backups:
                raise SaveRefused([Problem(0, "", "aucune version précédente")])
            previous = backups[0].read_text(encoding="utf-8")
            atomic_write_text(self.path, previous)
            backups[0].unlink()
            return self._rebuild()

    def _backup(self) -> None:
        folder = self.folder / BACKUPS
        folder.mkdir(exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        shutil.copy2(self.path, folder / f"initiatives-{stamp}.csv")

    def _rebuild(self) -> BuildReport:
        chain = data_chain(self.folder, self.territory)
        report = build(self.folder, self.territory, chain, manual=self.manual_positions())
        if chain.cache.journal.exists():  # fold answers got since the last save into the cache file
            chain.cache.save()
        return report
