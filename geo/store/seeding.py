"""Filling a new database from the data folder: the catalogue (initiatives.csv), where the shipped layer located
each row, positions corrected by hand, the geocode cache and the open-data layers — once, whatever the number of
servers starting together."""

from __future__ import annotations

import json

import sqlalchemy as sa

from geo import logs
from geo.build import CATALOGUE_FILE
from geo.cache import CACHE_FILE, CacheError, GeocodeCache
from geo.catalogue import Row, read_catalogue
from geo.database import found_empty, geocode_cache, initiatives, insert_rows, manual_positions, migrate, source_layers
from geo.files import read_json
from geo.layer import LAYER_FILE, read_layer
from geo.position import Position
from geo.sources import CATALOGUE, datasets
from geo.store.records import address_key
from geo.store.results import SaveRefused, Unchanged
from geo.store.writing import Located, Writing

MANUAL_FILE = "manual_positions.json"
LOG = logs.get("enregistrement")


class Seeding(Writing):
    """A store that brings its schema up to date and fills itself when new (``prepare``)."""

    def prepare(self) -> None:
        """Bring the schema up to date and, on a new database, fill it from the data folder: the catalogue
        (initiatives.csv), where the shipped layer located each row, positions corrected by hand and the
        geocode cache. Safe when several servers start at once: one seeds, the others find it done. A database
        file that existed but held nothing (0 bytes, or copied without its -wal file) is seeded too, and said:
        ``reseeded`` tells staff, the log and the first revision's summary keep it."""
        empty = found_empty(self.engine)
        migrate(self.engine)
        if self.version():
            self._add_missing_sources()
            return
        rows, problems = read_catalogue(self.folder / CATALOGUE_FILE, self.territory) \
            if (self.folder / CATALOGUE_FILE).exists() else ([], [])
        if problems:
            raise SaveRefused(problems)
        try:
            self._seeded = self._seed(rows, empty)
        except Unchanged:  # another server seeded it meanwhile
            return
        if empty:
            self.reseeded = empty
            LOG.warning("base du catalogue %s trouvée vide (%s) : recréée depuis %s ; restaurez une sauvegarde si "
                        "des modifications de l'équipe manquent", self.engine.url.database, empty, CATALOGUE_FILE)
        LOG.info("base du catalogue créée : %d initiatives", len(rows))

    def _seed(self, rows: list[Row], empty: str = "") -> tuple[int, list[dict]]:
        """Fill the new database; its version and the rows written (the first read of the layer takes them)."""
        with self._writing() as (connection, version, number):
            if version:
                raise Unchanged  # the reserved revision goes with the rollback
            self._seed_cache(connection)
            self._seed_sources(connection)
            manual = read_json(self.folder / MANUAL_FILE) if (self.folder / MANUAL_FILE).exists() else {}
            if manual:
                connection.execute(sa.insert(manual_positions), [
                    {"id": key, "lat": entry["lat"], "lon": entry["lon"], "date": entry.get("date", "")}
                    for key, entry in manual.items()])
            shipped = self._shipped_positions()
            chain = Located({}, self._chain(connection))  # a first start: nobody waits on this lock yet
            records = []
            for row in rows:
                located = shipped.get(row.values["id"])
                position = located[1] if located and located[0] == address_key(row.values) and \
                    row.values["insee"] in ("", located[2]) else None
                records.append(self._record(row.values, 1, chain, manual, position, number))
            insert_rows(connection, initiatives, records)
            summary = f"Catalogue créé depuis {CATALOGUE_FILE} ({len(records)} initiatives)"
            if empty:
                summary += f" : la base existait mais était vide ({empty}), des modifications ont pu être perdues"
            self._publish(connection, number, "système", "seed", summary, [])
        return number, records

    def _seed_cache(self, connection: sa.Connection) -> None:
        path = self.folder / CACHE_FILE
        if not path.exists() and not path.with_name(path.name + ".journal").exists():
            return
        try:
            entries = GeocodeCache(path).entries()
        except CacheError as error:  # only saved lookups: the catalogue is seeded without them, and it is said
            LOG.warning("%s : la base est remplie sans ce cache (les positions viennent de la couche livrée)", error)
            return
        if entries:
            connection.execute(sa.insert(geocode_cache), [
                {"key": key, "entry": json.dumps(entry, ensure_ascii=False)} for key, entry in entries.items()])

    def _add_missing_sources(self) -> None:
        """A database seeded before the sources lived in it (migration 0003 adds their table empty), or before a
        new source existed, takes the shipped layers it lacks, once, as a version of its own."""
        shipped = {key for key, dataset in datasets().items()
                   if key != CATALOGUE.key and (self.folder / dataset.layer_file).exists()}
        if shipped <= set(self.sources()):
            return
        try:
            with self._writing() as (connection, _, number):
                present = set(connection.execute(sa.select(source_layers.c.dataset)).scalars())
                added = self._seed_sources(connection, present)
                if not added:
                    raise Unchanged  # another server added them meanwhile
                self._publish(connection, number, "système", "source",
                              f"source(s) livrée(s) versée(s) dans la base : {', '.join(added)}", [])
        except Unchanged:
            return

    def _seed_sources(self, connection: sa.Connection, present: frozenset[str] | set[str] = frozenset()) -> list[str]:
        """The open-data layers shipped in the data folder (except those ``present``), and which were added; one
        that cannot be read is left out (the pages say so, and ``python -m geo sources`` rebuilds it)."""
        added = []
        for key, dataset in datasets().items():
            path = self.folder / dataset.layer_file
            if key == CATALOGUE.key or key in present or not path.exists():
                continue
            try:
                text = path.read_text(encoding="utf-8")
                json.loads(text)["features"]
            except (OSError, ValueError, KeyError, TypeError) as error:
                LOG.warning("couche de la source %s illisible (%s) : non versée dans la base", key,
                            error.__class__.__name__)
                continue
            self._put_source(connection, key, text)
            added.append(key)
        return added

    def _shipped_positions(self) -> dict[str, tuple[tuple, Position, str]]:
        """Where the shipped layer put each initiative, keyed by id and by the address it was located from
        (a row edited since the layer was built is located again)."""
        path = self.folder / LAYER_FILE
        names = ["id", "address", "postcode", "commune", "lat", "lon", "precision", "provider", "position_label",
                 "position_score", "position_date", "insee"]
        try:  # the properties read here only, not the layer's 80 (a new database at 220,000)
            table = read_layer(path, [name for name in names if name not in ("lat", "lon")])
        except (OSError, ValueError, KeyError, TypeError):
            LOG.warning("couche %s absente ou illisible : les initiatives seront géocodées à nouveau", path.name)
            return {}
        table = table.dropna(subset=["lat", "lon"]).fillna("")
        # Column by column, not a dict per row (``to_dict("records")`` was 12 s of a new database at 220,000).
        return {key: (address_key({"address": address, "postcode": postcode, "commune": commune}),
                      Position(float(lat), float(lon), precision, provider, label, score or None, date), insee)
                for key, address, postcode, commune, lat, lon, precision, provider, label, score, date, insee
                in zip(*(table[name].tolist() for name in names), strict=True)}
