"""``python -m bench.store``: the catalogue store at scale, on SQLite and PostgreSQL — first load of the published
catalogue after a change on a server holding the previous version, a save of one initiative end to end, the
full read a server does at start, and the Carte page rerun — medians of several runs.

    python -m bench.store                                   # N = 100 000, SQLite
    python -m bench.store --postgres "$(.ci/postgres)"      # and PostgreSQL
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from bench.synthetic import write_data_dir
from geo import logs
from geo.published import PublishedCatalogue
from geo.store import CatalogueStore
from geo.territory import load_territory
from geo.webmap.details import publish_details

TARGETS = {"first load after a change": 2.0, "save of one initiative": 1.0}


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def measure(store: CatalogueStore, runs: int, seeded: float) -> list[tuple[str, str]]:
    rows = [("création et remplissage de la base (une fois)", f"{seeded:.1f} s")]

    cold = []
    for _ in range(min(runs, 3)):
        started = time.perf_counter()
        PublishedCatalogue(store).current()
        cold.append(time.perf_counter() - started)
    rows.append(("lecture complète au démarrage d'un serveur", f"{_median(cold):.2f} s"))

    held = PublishedCatalogue(store)
    snapshot = held.current()
    details = Path(tempfile.mkdtemp()) / "details"
    publish_details(snapshot.table, details / str(snapshot.version))
    saves, loads, publishes = [], [], []
    for n in range(runs):
        identifier = snapshot.table["id"].iloc[(n * 7919) % len(snapshot.table)]
        started = time.perf_counter()
        store.update(identifier, {"description": f"Texte modifié {n}."}, "banc d'essai")
        saves.append(time.perf_counter() - started)
        previous = snapshot
        started = time.perf_counter()
        snapshot = held.current()
        loads.append(time.perf_counter() - started)
        started = time.perf_counter()
        publish_details(snapshot.table, details / str(snapshot.version), previous=details / str(previous.version),
                        changed=held.changed_between(previous.version, snapshot.version))
        publishes.append(time.perf_counter() - started)
        assert snapshot.rows_read == 1
    rows.append(("enregistrement d'une initiative (transaction complète)", f"{_median(saves) * 1000:.0f} ms"))
    rows.append(("après un changement : rattrapage de la version", f"{_median(loads) * 1000:.0f} ms"))
    rows.append(("après un changement : fiches détaillées", f"{_median(publishes) * 1000:.0f} ms"))
    first = _median(loads) + _median(publishes)
    rows.append(("**premier chargement après un changement**",
                 f"**{first * 1000:.0f} ms** (objectif < {TARGETS['first load after a change']:.0f} s)"))
    return rows


def carte_rerun(folder: Path, url: str, runs: int) -> float:
    from bench.__main__ import carte_rerun as rerun

    previous = os.environ.get("CARTE_DATABASE_URL")
    os.environ["CARTE_DATABASE_URL"] = url
    try:
        return rerun(folder, runs)
    finally:
        if previous is None:
            os.environ.pop("CARTE_DATABASE_URL", None)
        else:
            os.environ["CARTE_DATABASE_URL"] = previous


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.store")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", default=os.environ.get("CARTE_TEST_POSTGRES_URL"),
                        help="URL d'un serveur PostgreSQL (un schéma jetable y est créé)")
    parser.add_argument("--no-rerun", action="store_true", help="sans la réexécution de la page Carte (AppTest)")
    args = parser.parse_args()
    logs.configure()
    logging.getLogger("carte").setLevel(logging.WARNING)
    territory = load_territory()
    with tempfile.TemporaryDirectory() as scratch:
        folder = write_data_dir(Path(scratch) / "data", territory, args.size)
        backends = [("SQLite", f"sqlite:///{folder / 'catalogue.sqlite'}", None)]
        if args.postgres:
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            backends.append(("PostgreSQL", f"{args.postgres}?options=-csearch_path%3D{schema}", schema))
        for name, url, schema in backends:
            admin = sa.create_engine(args.postgres) if schema else None
            if admin:
                with admin.begin() as connection:
                    connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
            try:
                started = time.perf_counter()
                store = CatalogueStore.open(folder, territory, url)
                seeded = time.perf_counter() - started
                print(f"\n{name}, N = {args.size}, médianes de {args.runs} :")
                for label, figure in measure(store, args.runs, seeded):
                    print(f"  {label:<58} {figure}")
                if not args.no_rerun:
                    rerun = carte_rerun(folder, url, args.runs)
                    print(f"  {'page Carte réexécutée après un filtre':<58} {rerun * 1000:.0f} ms")
                store.engine.dispose()
            finally:
                if admin:
                    with admin.begin() as connection:
                        connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
                    admin.dispose()


if __name__ == "__main__":
    main()
