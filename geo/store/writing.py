"""Changing the catalogue: every change — import, add, edit, delete, position correction, restore, a source's
layer — is one transaction holding the lock on the version row, whose last writes are the revision and the
published version."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from geo import clock, logs
from geo.build import manual_position, query_for
from geo.cache import DatabaseCache
from geo.catalogue import COLUMNS, Problem, Row, validate_row
from geo.chain import GeocodingChain, data_chain
from geo.database import catalogue_state, initiatives, manual_positions, revisions, source_layers
from geo.hours import PARIS
from geo.position import Position
from geo.store.reading import Reading
from geo.store.records import ADDRESS_FIELDS, address_key, fields_text, position_of, values_of
from geo.store.results import ACTIONS, UNCHANGED, Conflict, Saved, SaveRefused, Unchanged

LOG = logs.get("enregistrement")


class Located:
    """Positions found for a save before its transaction opened, by the address they were found for. An
    address not among them — the row changed between that read and the lock, or a restore's rows, known only
    inside — is located then, by the same offline chain."""

    def __init__(self, found: dict[tuple, Position], chain: GeocodingChain):
        self.found = found
        self.chain = chain

    def position(self, values: dict[str, str], query) -> Position:
        found = self.found.get(address_key(values, insee=True))
        if found is not None:
            return found
        return self.chain.locate(query).position


class Writing(Reading):
    """The changes of a store, each one transaction (see the module)."""

    def add(self, new_rows: list[dict[str, str]], author: str = "", action: str = "add") -> Saved:
        """Add initiatives (an import or the form); an id already used, or any invalid field, refuses all."""
        values_list = [{column: (values.get(column) or "").strip() for column in COLUMNS} for values in new_rows]
        located = self._located(values_list)
        with self._writing() as (connection, _, number):
            today = clock.today()
            problems = [p for values in values_list for p in validate_row(Row(0, values), self.territory, today)]
            ids = [values["id"] for values in values_list]
            taken = set(connection.execute(sa.select(initiatives.c.id).where(initiatives.c.id.in_(ids))).scalars())
            problems += [Problem(0, "id", f"« {i} » existe déjà dans le catalogue") for i in sorted(taken)]
            problems += [Problem(0, "id", f"« {i} » apparaît deux fois") for i in sorted({i for i in ids
                                                                                         if ids.count(i) > 1})]
            if problems:
                raise self._refused(problems)
            manual = self._manual(connection, ids)
            if values_list:
                connection.execute(sa.insert(initiatives),
                                   [self._record(values, 1, located, manual, None, number) for values in values_list])
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
        except Unchanged:
            return self._unchanged()

    def _unchanged(self) -> Saved:
        """A save that would change nothing records no revision (an empty version in the history says nothing)."""
        return Saved(self.version(), len(self.rows()), UNCHANGED)

    def _update(self, identifier: str, values: dict[str, str], author: str, expected_revision: int | None) -> Saved:
        edited = {k: (v or "").strip() for k, v in values.items() if k in COLUMNS}
        was = self.row(identifier)
        located = self._located([{**values_of(was), **edited, "id": identifier}] if was else [])
        with self._writing() as (connection, _, number):
            current = self._current(connection, identifier, expected_revision)
            before = values_of(current)
            after = {**before, **edited, "id": identifier}
            problems = validate_row(Row(0, after), self.territory)
            if problems:
                raise self._refused(problems)
            changed = [column for column in COLUMNS if before[column] != after[column]]
            if not changed:
                raise Unchanged  # nothing to record: the reserved revision goes with the rollback
            record = self._record(after, current.revision + 1, located, self._manual(connection, [identifier]),
                                  None if any(c in ADDRESS_FIELDS for c in changed) else position_of(current), number)
            connection.execute(sa.update(initiatives).where(initiatives.c.id == identifier).values(record))
            return self._publish(connection, number, author, "edit", f"{after['name']} : {fields_text(changed)}",
                                 [{"kind": "initiative", "id": identifier, "before": before, "after": after}])

    def delete(self, identifier: str, author: str = "", expected_revision: int | None = None) -> Saved:
        with self._writing() as (connection, _, number):
            current = self._current(connection, identifier, expected_revision)
            changes = [{"kind": "initiative", "id": identifier, "before": values_of(current), "after": None}]
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
            record = self._record(values_of(current), current.revision + 1, None, {identifier: after}, None, number)
            connection.execute(sa.update(initiatives).where(initiatives.c.id == identifier).values(record))
            return self._publish(connection, number, author, "position", current.name,
                                 [{"kind": "position", "id": identifier, "before": before, "after": after}])

    def restore(self, revision: int, author: str = "") -> Saved:
        """Put the catalogue back as it was right after revision ``revision``; the restore is itself a
        revision (so it can be undone in turn). Restoring the state the catalogue is in records nothing."""
        try:
            return self._restore(revision, author)
        except Unchanged:
            return self._unchanged()

    def _restore(self, revision: int, author: str) -> Saved:
        with self._writing() as (connection, _, number):
            if not revision < number or connection.execute(
                    sa.select(revisions.c.number).where(revisions.c.number == revision)).first() is None:
                raise self._refused([Problem(0, "", f"la version n° {revision} n'existe pas")])
            rows = {r.id: r for r in connection.execute(sa.select(initiatives))}
            target = {key: values_of(r) for key, r in rows.items()}
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
                before = values_of(rows[key]) if key in rows else None
                if target.get(key) != before:
                    changes.append({"kind": "initiative", "id": key, "before": before, "after": target.get(key)})
            today = clock.today()
            problems = [p for c in changes if c["kind"] == "initiative" and c["after"]
                        for p in validate_row(Row(0, c["after"]), self.territory, today)]
            if problems:
                raise self._refused(problems)
            if not changes:
                raise Unchanged  # the reserved revision goes with the rollback
            connection.execute(sa.delete(manual_positions))
            if target_manual:
                connection.execute(sa.insert(manual_positions), [{"id": k, **v} for k, v in target_manual.items()])
            located = Located({}, self._chain(connection))  # a restore's rows are known only inside
            moved = {c["id"] for c in changes if c["kind"] == "position"}
            for key in sorted({c["id"] for c in changes if c["kind"] == "initiative"} | (moved & set(target))):
                connection.execute(sa.delete(initiatives).where(initiatives.c.id == key))
                if key not in target:
                    continue
                current = rows.get(key)
                keep = None if key in moved or current is None or any(
                    target[key][c] != current._mapping[c] for c in ADDRESS_FIELDS) else position_of(current)
                connection.execute(sa.insert(initiatives).values(self._record(
                    target[key], current.revision + 1 if current is not None else 1, located, target_manual, keep,
                    number)))
            return self._publish(connection, number, author, "restore", f"retour à la version n° {revision}",
                                 changes)

    def import_rows(self, rows: list[dict[str, str]], author: str = "") -> Saved:
        """``python -m geo import``: new ids are added, known ids updated, in one revision (none when the file
        changes nothing)."""
        try:
            return self._import_rows(rows, author)
        except Unchanged:
            return self._unchanged()

    def _import_rows(self, rows: list[dict[str, str]], author: str) -> Saved:
        addresses = {row["id"]: address_key(row, insee=True) for row in self.rows()}
        located = self._located([values for values in rows
                                 if addresses.get(values["id"]) != address_key(values, insee=True)])
        with self._writing() as (connection, _, number):
            known = {r.id: r for r in connection.execute(sa.select(initiatives))}
            today = clock.today()
            problems = [p for n, values in enumerate(rows, start=2)
                        for p in validate_row(Row(n, values), self.territory, today)]
            if problems:
                raise self._refused(problems)
            manual = self._manual(connection, None)
            changes = []
            for values in rows:
                current = known.get(values["id"])
                before = values_of(current) if current is not None else None
                if before == values:
                    continue
                keep = position_of(current) if before is not None and all(
                    before[c] == values[c] for c in ADDRESS_FIELDS) else None
                record = self._record(values, (current.revision + 1) if current is not None else 1, located,
                                      manual, keep, number)
                connection.execute(sa.delete(initiatives).where(initiatives.c.id == values["id"]))
                connection.execute(sa.insert(initiatives).values(record))
                changes.append({"kind": "initiative", "id": values["id"], "before": before, "after": values})
            if not changes:
                raise Unchanged
            added = sum(1 for c in changes if c["before"] is None)
            return self._publish(connection, number, author, "import",
                                 f"{added} ajoutée(s), {len(changes) - added} modifiée(s)", changes)

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

    def _chain(self, bind: sa.Connection | sa.Engine) -> GeocodingChain:
        return data_chain(self.folder, self.territory, cache=DatabaseCache(bind))

    def _located(self, rows: list[dict[str, str]]) -> Located:
        """Where ``rows`` are, found before their save's transaction opens (offline steps and the geocode
        cache): the lock is held for writing only. An invalid row is left to the checks."""
        chain = self._chain(self.engine)
        today = clock.today()
        valid = [values for values in rows if not validate_row(Row(0, values), self.territory, today)]
        return Located({address_key(values, insee=True): chain.locate(query_for(Row(0, values), self.territory))
                        .position for values in valid}, chain)

    def _record(self, values: dict[str, str], revision: int, located: Located | None, manual: dict,
                position: Position | None, version: int) -> dict:
        """The database row of an initiative: its fields and where it is (kept, corrected by hand, or
        located before the save)."""
        query = query_for(Row(0, values), self.territory)
        if values["id"] in manual:
            position = manual_position(manual[values["id"]])
        elif position is None:
            assert located is not None, "a row to locate comes with the positions found for its save"
            position = located.position(values, query)
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
