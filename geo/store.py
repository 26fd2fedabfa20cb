"""The live catalogue, in its database (``geo.database``).

Every change — import, add, edit, delete, position correction, restore — is one transaction that writes the
rows with their positions, the revision recording it (who, when, before and after) and the published version.
A save that fails or is killed leaves the previous version whole; readers see a committed version, never half
of one. Saves queue behind a lock on the version row (``BEGIN IMMEDIATE`` in SQLite, ``FOR UPDATE`` in
PostgreSQL), so two saves of different initiatives both land, and an edit made from a stale revision of an
initiative is refused as a ``Conflict`` instead of overwriting the other person's work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from geo import clock, logs
from geo.build import CATALOGUE_FILE, manual_position, query_for
from geo.cache import CACHE_FILE, CacheError, DatabaseCache, GeocodeCache
from geo.catalogue import COLUMNS, FIELD_LABELS, Problem, Row, read_catalogue, validate_row
from geo.chain import data_chain
from geo.database import (
    catalogue_state,
    database_url,
    found_empty,
    geocode_cache,
    initiatives,
    make_engine,
    manual_positions,
    migrate,
    revisions,
    source_layers,
)
from geo.files import read_json
from geo.hours import PARIS
from geo.layer import LAYER_FILE, POSITION_FIELDS, read_layer
from geo.position import Position
from geo.sources import CATALOGUE, datasets
from geo.territory import Territory
from geo.vocabulary import split_themes

MANUAL_FILE = "manual_positions.json"
LOG = logs.get("enregistrement")
ACTIONS = {"seed": "Création", "import": "Import", "add": "Ajout", "edit": "Modification",
           "delete": "Suppression", "position": "Position corrigée", "restore": "Retour en arrière",
           "source": "Source ouverte"}
# Where a row's address is: a change of these re-locates it.
ADDRESS_FIELDS = ("address", "postcode", "commune", "insee")


class SaveRefused(Exception):
    """The change would make the catalogue invalid, or was made from a stale version; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


class _Unchanged(Exception):
    """An edit that changes nothing: no revision is recorded."""


class Conflict(SaveRefused):
    """Someone else changed or deleted this initiative since it was opened."""


@dataclass(frozen=True)
class Revision:
    number: int
    at: dt.datetime
    author: str
    action: str
    summary: str
    changes: list[dict]

    @property
    def label(self) -> str:
        return ACTIONS.get(self.action, self.action)


UNCHANGED = "aucun changement"


@dataclass(frozen=True)
class Saved:
    """What a save did: the version it published and how many initiatives the catalogue now has."""

    version: int
    total: int
    summary: str


def _values(record) -> dict[str, str]:
    """The catalogue fields of a database row."""
    mapping = record._mapping if hasattr(record, "_mapping") else record
    return {column: mapping[column] for column in COLUMNS}


class CatalogueStore:
    """The catalogue of one database; ``folder`` holds the reference files and the seed (initiatives.csv).
    A save locates its rows offline and from the geocode cache, inside its transaction: the network is never
    asked while a write is held. Positions from an online service are asked before the save and reach it
    through that cache (``ui/contribute._located``)."""

    def __init__(self, engine: sa.Engine, territory: Territory, folder: Path):
        self.engine = engine
        self.territory = territory
        self.folder = Path(folder)
        self.reseeded = ""  # why a database file found empty was filled anew at this start ('' if not)

    @classmethod
    def open(cls, folder: Path, territory: Territory, url: str | None = None) -> CatalogueStore:
        """The store of ``url`` (default: ``geo.database.database_url``), migrated and seeded."""
        store = cls(make_engine(url or database_url(folder)), territory, folder)
        store.prepare()
        return store

    # Reading ---------------------------------------------------------------------------------------------

    def version(self) -> int:
        """The published version (0 before the first seed)."""
        with self.engine.connect() as connection:
            return connection.execute(sa.select(catalogue_state.c.version)).scalar() or 0

    def rows(self) -> list[dict[str, str]]:
        """Every initiative's catalogue fields, with its ``revision``."""
        with self.engine.connect() as connection:
            records = connection.execute(sa.select(initiatives).order_by(initiatives.c.id)).all()
        return [{**_values(r), "revision": r.revision} for r in records]

    def row(self, identifier: str) -> dict[str, str] | None:
        with self.engine.connect() as connection:
            record = connection.execute(sa.select(initiatives).where(initiatives.c.id == identifier)).first()
        return {**_values(record), "revision": record.revision} if record else None

    def layer_table(self) -> tuple[int, pd.DataFrame]:
        """The published layer as ``geo.layer.features_table`` gives it (one row per initiative, ``lat`` and
        ``lon``), and its version — read in one transaction, so they match."""
        with self.engine.connect() as connection, connection.begin():
            version = connection.execute(sa.select(catalogue_state.c.version)).scalar() or 0
            table = pd.read_sql(sa.select(initiatives), connection)
        return version, _layer_columns(table)

    def changes_since(self, version: int) -> tuple[int, pd.DataFrame, set[str]]:
        """What a reader holding ``version`` needs to catch up: the version now, the rows written since (as
        ``layer_table`` gives them) and the ids deleted since — one transaction, so the three match."""
        with self.engine.connect() as connection, connection.begin():
            now = connection.execute(sa.select(catalogue_state.c.version)).scalar() or 0
            table = pd.read_sql(sa.select(initiatives).where(initiatives.c.version > version), connection)
            later = connection.execute(sa.select(revisions.c.changes).where(revisions.c.number > version)).scalars()
            gone = {c["id"] for changes in later for c in json.loads(changes)
                    if c["kind"] == "initiative" and c["after"] is None}
        return now, _layer_columns(table), gone - set(table["id"])

    def sources(self) -> dict[str, str]:
        """Each open-data source in the database and the digest of its layer (what readers key on)."""
        with self.engine.connect() as connection:
            return {dataset: digest for dataset, digest in
                    connection.execute(sa.select(source_layers.c.dataset, source_layers.c.digest))}

    def source_layer(self, dataset: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.execute(sa.select(source_layers.c.layer)
                                      .where(source_layers.c.dataset == dataset)).scalar()

    def publish_source(self, dataset: str, layer: str, author: str = "", summary: str = "") -> Saved:
        """Replace a source's layer (``python -m geo sources``), as a version of its own: every server shows
        the refreshed source within seconds. The catalogue's rows are not touched."""
        with self._writing() as (connection, _, number):
            self._put_source(connection, dataset, layer)
            return self._publish(connection, number, author or "système", "source",
                                 summary or f"source « {dataset} » reconstruite", [])

    @staticmethod
    def _put_source(connection: sa.Connection, dataset: str, layer: str) -> None:
        connection.execute(sa.delete(source_layers).where(source_layers.c.dataset == dataset))
        connection.execute(sa.insert(source_layers).values(
            dataset=dataset, digest=hashlib.sha256(layer.encode("utf-8")).hexdigest(),
            built_at=clock.utc_now(), layer=layer))

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

    # Creating --------------------------------------------------------------------------------------------

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
            self._seed(rows, empty)
        except _Unchanged:  # another server seeded it meanwhile
            return
        if empty:
            self.reseeded = empty
            LOG.warning("base du catalogue %s trouvée vide (%s) : recréée depuis %s ; restaurez une sauvegarde si "
                        "des modifications de l'équipe manquent", self.engine.url.database, empty, CATALOGUE_FILE)
        LOG.info("base du catalogue créée : %d initiatives", len(rows))

    def _seed(self, rows: list[Row], empty: str = "") -> None:
        with self._writing() as (connection, version, number):
            if version:
                raise _Unchanged  # the reserved revision goes with the rollback
            self._seed_cache(connection)
            self._seed_sources(connection)
            manual = read_json(self.folder / MANUAL_FILE) if (self.folder / MANUAL_FILE).exists() else {}
            if manual:
                connection.execute(sa.insert(manual_positions), [
                    {"id": key, "lat": entry["lat"], "lon": entry["lon"], "date": entry.get("date", "")}
                    for key, entry in manual.items()])
            shipped = self._shipped_positions()
            chain = self._chain(connection)
            records = []
            for row in rows:
                located = shipped.get(row.values["id"])
                position = located[1] if located and located[0] == _address_key(row.values) and \
                    row.values["insee"] in ("", located[2]) else None
                records.append(self._record(row.values, 1, chain, manual, position, number))
            if records:
                connection.execute(sa.insert(initiatives), records)
            summary = f"Catalogue créé depuis {CATALOGUE_FILE} ({len(records)} initiatives)"
            if empty:
                summary += f" : la base existait mais était vide ({empty}), des modifications ont pu être perdues"
            self._publish(connection, number, "système", "seed", summary, [])

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
                    raise _Unchanged  # another server added them meanwhile
                self._publish(connection, number, "système", "source",
                              f"source(s) livrée(s) versée(s) dans la base : {', '.join(added)}", [])
        except _Unchanged:
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
        try:
            table = read_layer(path)
        except (OSError, ValueError, KeyError, TypeError):
            LOG.warning("couche %s absente ou illisible : les initiatives seront géocodées à nouveau", path.name)
            return {}
        table = table.dropna(subset=["lat", "lon"]).fillna("")
        return {r["id"]: (_address_key(r), Position(float(r["lat"]), float(r["lon"]), r["precision"], r["provider"],
                                                    r["position_label"], r["position_score"] or None,
                                                    r["position_date"]), r["insee"])
                for r in table.to_dict("records")}

    # Changing --------------------------------------------------------------------------------------------

    def add(self, new_rows: list[dict[str, str]], author: str = "", action: str = "add") -> Saved:
        """Add initiatives (an import or the form); an id already used, or any invalid field, refuses all."""
        with self._writing() as (connection, _, number):
            values_list = [{column: (values.get(column) or "").strip() for column in COLUMNS}
                           for values in new_rows]
            problems = [p for values in values_list for p in validate_row(Row(0, values), self.territory)]
            ids = [values["id"] for values in values_list]
            taken = set(connection.execute(sa.select(initiatives.c.id).where(initiatives.c.id.in_(ids))).scalars())
            problems += [Problem(0, "id", f"« {i} » existe déjà dans le catalogue") for i in sorted(taken)]
            problems += [Problem(0, "id", f"« {i} » apparaît deux fois") for i in sorted({i for i in ids
                                                                                         if ids.count(i) > 1})]
            if problems:
                raise self._refused(problems)
            manual = self._manual(connection, ids)
            chain = self._chain(connection)
            if values_list:
                connection.execute(sa.insert(initiatives),
                                   [self._record(values, 1, chain, manual, None, number) for values in values_list])
            names = ", ".join(v["name"] for v in values_list[:3]) + ("…" if len(values_list) > 3 else "")
            return self._publish(connection, number, author, action, f"{len(values_list)} ajoutée(s) : {names}",
                                 [{"kind": "initiative", "id": v["id"], "before": None, "after": v}
                                  for v in values_list])

    def update(self, identifier: str, values: dict[str, str], author: str = "",
               expected_revision: int | None = None) -> Saved:
        """Change fields of one initiative. ``expected_revision`` is the revision the person started from:
        if the initiative changed or disappeared since, the save is refused (``Conflict``)."""
        try:
            return self._update(identifier, values, author, expected_revision)
        except _Unchanged:
            return self._unchanged()

    def _unchanged(self) -> Saved:
        """A save that would change nothing records no revision (an empty version in the history says nothing)."""
        return Saved(self.version(), len(self.rows()), UNCHANGED)

    def _update(self, identifier: str, values: dict[str, str], author: str, expected_revision: int | None) -> Saved:
        with self._writing() as (connection, _, number):
            current = self._current(connection, identifier, expected_revision)
            before = _values(current)
            after = {**before, **{k: (v or "").strip() for k, v in values.items() if k in COLUMNS}, "id": identifier}
            problems = validate_row(Row(0, after), self.territory)
            if problems:
                raise self._refused(problems)
            changed = [column for column in COLUMNS if before[column] != after[column]]
            if not changed:
                raise _Unchanged  # nothing to record: the reserved revision goes with the rollback
            record = self._record(after, current.revision + 1, self._chain(connection),
                                  self._manual(connection, [identifier]),
                                  None if any(c in ADDRESS_FIELDS for c in changed) else _position(current), number)
            connection.execute(sa.update(initiatives).where(initiatives.c.id == identifier).values(record))
            return self._publish(connection, number, author, "edit", f"{after['name']} : {_fields(changed)}",
                                 [{"kind": "initiative", "id": identifier, "before": before, "after": after}])

    def delete(self, identifier: str, author: str = "", expected_revision: int | None = None) -> Saved:
        with self._writing() as (connection, _, number):
            current = self._current(connection, identifier, expected_revision)
            changes = [{"kind": "initiative", "id": identifier, "before": _values(current), "after": None}]
            manual = self._manual(connection, [identifier])
            if manual:
                changes.insert(0, {"kind": "position", "id": identifier, "before": manual[identifier],
                                   "after": None})
                connection.execute(sa.delete(manual_positions).where(manual_positions.c.id == identifier))
            connection.execute(sa.delete(initiatives).where(initiatives.c.id == identifier))
            return self._publish(connection, number, author, "delete", current.name, changes)

    def set_position(self, identifier: str, lat: float, lon: float, author: str = "") -> Saved:
        """A position corrected by hand (precision ``manual``), kept over later geocoding."""
        with self._writing() as (connection, _, number):
            current = self._current(connection, identifier, None)
            commune = self.territory.by_name(current.commune)
            assert commune is not None, "a saved row's commune"
            if not self.territory.contains(commune, lat, lon):
                raise self._refused([Problem(0, "commune", f"ce point n'est pas dans {commune.name}")])
            before = self._manual(connection, [identifier]).get(identifier)
            after = {"lat": round(lat, 6), "lon": round(lon, 6), "date": clock.today().isoformat()}
            connection.execute(sa.delete(manual_positions).where(manual_positions.c.id == identifier))
            connection.execute(sa.insert(manual_positions).values(id=identifier, **after))
            record = self._record(_values(current), current.revision + 1, None, {identifier: after}, None, number)
            connection.execute(sa.update(initiatives).where(initiatives.c.id == identifier).values(record))
            return self._publish(connection, number, author, "position", current.name,
                                 [{"kind": "position", "id": identifier, "before": before, "after": after}])

    def restore(self, revision: int, author: str = "") -> Saved:
        """Put the catalogue back as it was right after revision ``revision``; the restore is itself a
        revision (so it can be undone in turn). Restoring the state the catalogue is in records nothing."""
        try:
            return self._restore(revision, author)
        except _Unchanged:
            return self._unchanged()

    def _restore(self, revision: int, author: str) -> Saved:
        with self._writing() as (connection, _, number):
            if not revision < number or connection.execute(
                    sa.select(revisions.c.number).where(revisions.c.number == revision)).first() is None:
                raise self._refused([Problem(0, "", f"la version n° {revision} n'existe pas")])
            rows = {r.id: r for r in connection.execute(sa.select(initiatives))}
            target = {key: _values(r) for key, r in rows.items()}
            manual = self._manual(connection, None)
            target_manual = dict(manual)
            later = connection.execute(sa.select(revisions.c.changes).where(revisions.c.number > revision)
                                       .order_by(revisions.c.number.desc())).scalars()
            for changes in later:
                for change in reversed(json.loads(changes)):
                    state = target if change["kind"] == "initiative" else target_manual
                    if change["before"] is None:
                        state.pop(change["id"], None)
                    else:
                        state[change["id"]] = change["before"]
            changes = []
            for key in sorted(set(target_manual) | set(manual)):
                if target_manual.get(key) != manual.get(key):
                    changes.append({"kind": "position", "id": key, "before": manual.get(key),
                                    "after": target_manual.get(key)})
            for key in sorted(set(target) | set(rows)):
                before = _values(rows[key]) if key in rows else None
                if target.get(key) != before:
                    changes.append({"kind": "initiative", "id": key, "before": before, "after": target.get(key)})
            problems = [p for c in changes if c["kind"] == "initiative" and c["after"]
                        for p in validate_row(Row(0, c["after"]), self.territory)]
            if problems:
                raise self._refused(problems)
            if not changes:
                raise _Unchanged  # the reserved revision goes with the rollback
            connection.execute(sa.delete(manual_positions))
            if target_manual:
                connection.execute(sa.insert(manual_positions), [{"id": k, **v} for k, v in target_manual.items()])
            chain = self._chain(connection)
            moved = {c["id"] for c in changes if c["kind"] == "position"}
            for key in sorted({c["id"] for c in changes if c["kind"] == "initiative"} | (moved & set(target))):
                connection.execute(sa.delete(initiatives).where(initiatives.c.id == key))
                if key not in target:
                    continue
                current = rows.get(key)
                keep = None if key in moved or current is None or any(
                    target[key][c] != current._mapping[c] for c in ADDRESS_FIELDS) else _position(current)
                connection.execute(sa.insert(initiatives).values(self._record(
                    target[key], current.revision + 1 if current is not None else 1, chain, target_manual, keep,
                    number)))
            return self._publish(connection, number, author, "restore", f"retour à la version n° {revision}",
                                 changes)

    def import_rows(self, rows: list[dict[str, str]], author: str = "") -> Saved:
        """``python -m geo import``: new ids are added, known ids updated, in one revision (none when the file
        changes nothing)."""
        try:
            return self._import_rows(rows, author)
        except _Unchanged:
            return self._unchanged()

    def _import_rows(self, rows: list[dict[str, str]], author: str) -> Saved:
        with self._writing() as (connection, _, number):
            known = {r.id: r for r in connection.execute(sa.select(initiatives))}
            problems = [p for n, values in enumerate(rows, start=2)
                        for p in validate_row(Row(n, values), self.territory)]
            if problems:
                raise self._refused(problems)
            manual = self._manual(connection, None)
            chain = self._chain(connection)
            changes = []
            for values in rows:
                current = known.get(values["id"])
                before = _values(current) if current is not None else None
                if before == values:
                    continue
                keep = _position(current) if before is not None and all(
                    before[c] == values[c] for c in ADDRESS_FIELDS) else None
                record = self._record(values, (current.revision + 1) if current is not None else 1, chain,
                                      manual, keep, number)
                connection.execute(sa.delete(initiatives).where(initiatives.c.id == values["id"]))
                connection.execute(sa.insert(initiatives).values(record))
                changes.append({"kind": "initiative", "id": values["id"], "before": before, "after": values})
            if not changes:
                raise _Unchanged
            added = sum(1 for c in changes if c["before"] is None)
            return self._publish(connection, number, author, "import",
                                 f"{added} ajoutée(s), {len(changes) - added} modifiée(s)", changes)

    # Inside a save ---------------------------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[tuple[sa.Connection, int, int]]:
        """One write transaction, holding the lock on the version row until it commits or rolls back, with
        its revision number reserved (the rows it writes carry it: readers fetch only what changed)."""
        with self.engine.connect().execution_options(write=True) as connection, connection.begin():
            version = connection.execute(sa.select(catalogue_state.c.version).where(catalogue_state.c.id == 1)
                                         .with_for_update()).scalar()
            inserted = connection.execute(sa.insert(revisions).values(
                at=clock.utc_now(), author="", action="", summary="", changes="[]")).inserted_primary_key
            assert inserted is not None, "an insert returns its key"
            number = inserted[0]
            yield connection, version or 0, number

    def _publish(self, connection: sa.Connection, number: int, author: str, action: str, summary: str,
                 changes: list[dict]) -> Saved:
        """Fill in the revision and make it the published version — the last writes of the transaction."""
        connection.execute(sa.update(revisions).where(revisions.c.number == number).values(
            at=clock.utc_now(), author=author or "équipe", action=action, summary=summary,
            changes=json.dumps(changes, ensure_ascii=False)))
        connection.execute(sa.update(catalogue_state).where(catalogue_state.c.id == 1).values(version=number))
        total = self._count(connection)
        LOG.info("version %d publiée (%s, %s) : %s — %d initiatives", number, ACTIONS.get(action, action),
                 author or "équipe", summary, total)
        return Saved(number, total, summary)

    def _refused(self, problems: list[Problem]) -> SaveRefused:
        LOG.warning("enregistrement refusé : %d problème(s), rien n'a été écrit", len(problems))
        return SaveRefused(problems)

    def _current(self, connection: sa.Connection, identifier: str, expected: int | None):
        current = connection.execute(sa.select(initiatives).where(initiatives.c.id == identifier)).first()
        if current is None:
            who = self._last_change(connection, identifier)
            LOG.warning("conflit : %s n'existe plus", identifier)
            raise Conflict([Problem(0, "", f"cette initiative a été supprimée{who} depuis que vous l'avez "
                                           "ouverte ; rien n'a été enregistré")])
        if expected is not None and current.revision != expected:
            who = self._last_change(connection, identifier)
            LOG.warning("conflit : %s est à la révision %d, modifiée depuis la %d", identifier, current.revision,
                        expected)
            raise Conflict([Problem(0, "", f"« {current.name} » a été modifiée{who} depuis que vous l'avez "
                                           "ouverte ; rien n'a été enregistré. Rechargez-la pour voir ses "
                                           "changements, puis refaites les vôtres.")])
        return current

    def _last_change(self, connection: sa.Connection, identifier: str) -> str:
        """" par Camille le 22/11/2026 à 14:05" — the latest revision that touched ``identifier``."""
        for record in connection.execute(sa.select(revisions).order_by(revisions.c.number.desc()).limit(200)):
            if any(change["id"] == identifier for change in json.loads(record.changes)):
                at = record.at if record.at.tzinfo else record.at.replace(tzinfo=dt.UTC)
                local = at.astimezone(PARIS)
                return f" par {record.author} le {local:%d/%m/%Y à %H:%M}"
        return ""

    def _manual(self, connection: sa.Connection, ids: list[str] | None) -> dict[str, dict]:
        query = sa.select(manual_positions)
        if ids is not None:
            query = query.where(manual_positions.c.id.in_(ids))
        return {r.id: {"lat": r.lat, "lon": r.lon, "date": r.date} for r in connection.execute(query)}

    def _chain(self, connection: sa.Connection):
        return data_chain(self.folder, self.territory, cache=DatabaseCache(connection))

    def _record(self, values: dict[str, str], revision: int, chain, manual: dict, position: Position | None,
                version: int) -> dict:
        """The database row of an initiative: its fields and where it is (kept, corrected by hand, or
        located now through the chain)."""
        query = query_for(Row(0, values), self.territory)
        if values["id"] in manual:
            position = manual_position(manual[values["id"]])
        elif position is None:
            position = chain.locate(query).position
        return {**{column: values[column] for column in COLUMNS}, "revision": revision, "version": version,
                "area_insee": query.area.insee, "conseil_de_territoire": query.commune.territory,
                "lat": round(position.lat, 6), "lon": round(position.lon, 6), "precision": position.precision,
                "provider": position.provider, "position_label": position.label or "",
                "position_score": position.score, "position_date": position.date or ""}

    @staticmethod
    def _version(connection: sa.Connection) -> int:
        return connection.execute(sa.select(catalogue_state.c.version)).scalar() or 0

    @staticmethod
    def _count(connection: sa.Connection) -> int:
        return connection.execute(sa.select(sa.func.count()).select_from(initiatives)).scalar_one()


def _layer_columns(table: pd.DataFrame) -> pd.DataFrame:
    """Database rows as ``geo.layer.features_table`` gives a layer: the area's INSEE code when the row has
    none, themes as lists, the data set."""
    table["insee"] = table["insee"].where(table["insee"] != "", table["area_insee"])
    table["themes"] = [split_themes(themes) for themes in table["themes"]]
    table["dataset"], table["fees"] = "catalogue", None
    columns = [*COLUMNS, "conseil_de_territoire", *POSITION_FIELDS, "dataset", "fees", "lat", "lon"]
    return table[columns]


def _position(record) -> Position:
    return Position(record.lat, record.lon, record.precision, record.provider, record.position_label,
                    record.position_score, record.position_date)


def _address_key(values) -> tuple:
    """What a shipped position was located from (the layer's INSEE code is the area's, checked apart)."""
    return tuple(str(values[column] or "") for column in ("address", "postcode", "commune"))


def _fields(changed: list[str]) -> str:
    return ", ".join(FIELD_LABELS.get(column, column) for column in changed)
