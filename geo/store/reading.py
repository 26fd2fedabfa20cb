"""Reading the catalogue: each read one statement or one transaction, never a lock held."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from geo import clock
from geo.database import catalogue_state, initiatives, manual_positions, revisions, source_layers
from geo.store.records import layer_columns, values_of
from geo.store.results import Revision
from geo.territory import Territory


class Reading:
    """The reads of a store: the published version, rows, the layer, what changed since a version, the
    sources, the history."""

    def __init__(self, engine: sa.Engine, territory: Territory, folder: Path):
        self.engine = engine
        self.territory = territory
        self.folder = Path(folder)
        self.reseeded = ""  # why a database file found empty was filled anew at this start ('' if not)
        # The rows this store has just seeded, and their version: the first read of the layer takes them instead
        # of fetching them back (5.1 s → 3.0 s at 220,000), while no other write came in between.
        self._seeded: tuple[int, list[dict]] | None = None

    def version(self) -> int:
        """The published version (0 before the first seed)."""
        with self.engine.connect() as connection:
            return connection.execute(sa.select(catalogue_state.c.version)).scalar() or 0

    def rows(self) -> list[dict[str, str]]:
        """Every initiative's catalogue fields, with its ``revision``."""
        with self.engine.connect() as connection:
            records = connection.execute(sa.select(initiatives).order_by(initiatives.c.id)).all()
        return [{**values_of(r), "revision": r.revision} for r in records]

    def row(self, identifier: str) -> dict[str, str] | None:
        with self.engine.connect() as connection:
            record = connection.execute(sa.select(initiatives).where(initiatives.c.id == identifier)).first()
        return {**values_of(record), "revision": record.revision} if record else None

    def layer_table(self) -> tuple[int, pd.DataFrame]:
        """The published layer as ``geo.layer.features_table`` gives it (one row per initiative, ``lat`` and
        ``lon``), and its version — read in one transaction, so they match."""
        seeded, self._seeded = self._seeded, None
        with self.engine.connect() as connection, connection.begin():
            version = connection.execute(sa.select(catalogue_state.c.version)).scalar() or 0
            if seeded is not None and seeded[0] == version:
                table = pd.DataFrame(seeded[1], columns=list(initiatives.columns.keys()))
            else:
                table = pd.read_sql(sa.select(initiatives), connection)
        return version, layer_columns(table)

    def modified(self) -> dict[str, dt.date]:
        """The day (Paris) each row was last written: the date of the revision that wrote it."""
        query = sa.select(initiatives.c.id, revisions.c.at).join(revisions, revisions.c.number == initiatives.c.version)
        with self.engine.connect() as connection:
            return {identifier: _aware(at).astimezone(clock.PARIS).date()
                    for identifier, at in connection.execute(query)}

    def changes_since(self, version: int) -> tuple[int, pd.DataFrame, set[str]]:
        """What a reader holding ``version`` needs to catch up: the version now, the rows written since (as
        ``layer_table`` gives them) and the ids deleted since — one transaction, so the three match."""
        with self.engine.connect() as connection, connection.begin():
            now = connection.execute(sa.select(catalogue_state.c.version)).scalar() or 0
            table = pd.read_sql(sa.select(initiatives).where(initiatives.c.version > version), connection)
            later = connection.execute(sa.select(revisions.c.changes).where(revisions.c.number > version)).scalars()
            gone = {c["id"] for changes in later for c in json.loads(changes)
                    if c["kind"] == "initiative" and c["after"] is None}
        return now, layer_columns(table), gone - set(table["id"])

    def sources(self) -> dict[str, str]:
        """Each open-data source in the database and the digest of its layer (what readers key on)."""
        with self.engine.connect() as connection:
            return {dataset: digest for dataset, digest in
                    connection.execute(sa.select(source_layers.c.dataset, source_layers.c.digest))}

    def source_layer(self, dataset: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.execute(sa.select(source_layers.c.layer)
                                      .where(source_layers.c.dataset == dataset)).scalar()

    def history(self, limit: int = 50) -> list[Revision]:
        """The last revisions, newest first."""
        with self.engine.connect() as connection:
            records = connection.execute(sa.select(revisions).order_by(revisions.c.number.desc()).limit(limit))
            return [Revision(r.number, r.at, r.author, r.action, r.summary, json.loads(r.changes))
                    for r in records]

    def manual_positions(self) -> dict[str, dict]:
        with self.engine.connect() as connection:
            return {r.id: {"lat": r.lat, "lon": r.lon, "date": r.date}
                    for r in connection.execute(sa.select(manual_positions))}


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back the UTC instant without its zone; PostgreSQL with it."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
