"""Command line: ``python -m geo build [--offline]`` rebuilds ``data/initiatives.geojson`` from the CSV;
``export`` / ``import`` / ``backup`` work on the catalogue database; ``sources`` rebuilds the open-data layers."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from tqdm import tqdm

from geo import logs, settings
from geo.build import CATALOGUE_FILE, build
from geo.cache import CacheError
from geo.catalogue import FIELD_LABELS, Row, catalogue_text, read_catalogue, validate_row
from geo.chain import GeocodingChain, data_chain
from geo.database import DATABASE_FILE
from geo.facts import FACTS_FILE, apply, by_entry, read_facts_file
from geo.files import atomic_write_bytes, atomic_write_text, data_dir, read_json
from geo.geocoders import geoplateforme, nominatim
from geo.layer import LAYER_FILE, features_table, read_layer, table_features, write_layer
from geo.passwords import hash_password
from geo.sources import CATALOGUE, connectors, datasets
from geo.sources.duplicates import sources_shown
from geo.standards import LEFT_OUT_FILE, Known
from geo.standards.formats import FORMATS, Format
from geo.store import MANUAL_FILE, CatalogueStore, SaveRefused
from geo.territory import Territory, load_territory
from geo.vocabulary import PRECISIONS


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run its sub-command: one function each (``command_*``), as alembic does."""
    args = parser().parse_args(argv)
    logs.configure()
    return args.run(args)


def parser() -> argparse.ArgumentParser:
    prog = "python -m geo" if sys.argv[0].endswith("__main__.py") else None  # else the entry point's name
    parser = argparse.ArgumentParser(prog=prog, description="Carte des Possibles : données")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, run, help: str, data: bool = True) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help)
        sub.set_defaults(run=run)
        if data:
            sub.add_argument("--data", type=Path, default=None, help="dossier des données (défaut : data/)")
        return sub

    build_parser = command("build", command_build, "valider le catalogue, géocoder, écrire la couche GeoJSON")
    build_parser.add_argument("--offline", action="store_true", help="aucun accès réseau (cache et replis hors ligne)")
    build_parser.add_argument("--ban-url", default=geoplateforme.DEFAULT_URL)
    build_parser.add_argument("--nominatim-url", default=nominatim.DEFAULT_URL)
    build_parser.add_argument("--min-score", type=float, default=0.6, help="score BAN minimal (0–1)")
    command("sources", command_sources, "reconstruire les couches des sources ouvertes (hors ligne)")
    command("hash-password", command_hash_password, "empreinte du mot de passe de l'équipe (pour les secrets)",
            data=False)
    export_parser = command("export", command_export, "écrire le catalogue publié de la base en CSV (et GeoJSON)")
    export_parser.add_argument("--csv", type=Path, default=None, help="défaut : <données>/initiatives.csv")
    export_parser.add_argument("--layer", type=Path, default=None, help="défaut : <données>/initiatives.geojson")
    export_parser.add_argument("--format", choices=["catalogue", *FORMATS], default="catalogue",
                               help="catalogue (CSV et GeoJSON, défaut), data-inclusion (schéma national de "
                                    "l'offre d'insertion) ou anct (standard des lieux de médiation numérique)")
    export_parser.add_argument("--out", type=Path, default=None,
                               help="dossier des fichiers d'un standard (défaut : <données>/export-<format>)")
    import_parser = command("import", command_import, "charger un CSV du catalogue dans la base (ajoute ou met à "
                                                      "jour par identifiant, une seule version)")
    import_parser.add_argument("csv", type=Path)
    import_parser.add_argument("--author", default=f"ligne de commande ({getpass.getuser()})")
    backup_parser = command("backup", command_backup, "copie cohérente de la base SQLite, même en service")
    backup_parser.add_argument("target", type=Path)
    command("facts", command_facts, "écrire dans initiatives.csv les faits pratiques sourcés "
                                    "(practical_facts.csv) : horaires, prix, accès, sources")
    return parser


def _place(args) -> tuple[Path, Territory]:
    """The data folder (``--data``, else the settings') and its territory."""
    folder = args.data or data_dir()
    return folder, load_territory(folder)


def command_hash_password(args) -> int:
    print(hash_password(getpass.getpass("Mot de passe de l'équipe : ")))
    return 0


def command_sources(args) -> int:
    return build_sources(*_place(args))


def command_facts(args) -> int:
    return write_facts(*_place(args))


def command_build(args) -> int:
    """Validate the catalogue, locate it (online unless ``--offline``), write its layer, then the sources'."""
    folder, territory = _place(args)
    try:
        online = () if args.offline else (
            geoplateforme.BanStep(args.ban_url, min_score=args.min_score),
            nominatim.NominatimStep(territory.bounds, args.nominatim_url),
        )
        chain = data_chain(folder, territory, online)
        report = build(folder, territory, chain,
                       progress=lambda rows: tqdm(rows, desc="Géocodage", unit="initiative"),
                       manual=read_json(folder / MANUAL_FILE) if (folder / MANUAL_FILE).exists() else None)
        if report.ok and chain.cache is not None:
            chain.cache.save()
    except CacheError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nInterrompu : les réponses déjà obtenues sont en cache, relancez pour reprendre.",
              file=sys.stderr)
        return 130
    if not report.ok:
        print(f"Le catalogue contient {len(report.problems)} erreur(s), rien n'a été écrit :", file=sys.stderr)
        for problem in report.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    total = sum(report.precisions.values())
    print(f"{total} initiatives écrites dans {folder / 'initiatives.geojson'} "
          f"({report.from_cache} depuis le cache).")
    for precision, label in PRECISIONS.items():
        if report.precisions[precision]:
            print(f"  {label:<30} {report.precisions[precision]:>5}")
    if report.attention:
        print(f"{len(report.attention)} ligne(s) à vérifier :")
        for row, notes in report.attention:
            print(f"  - ligne {row.line} ({row.values['id']}) : {' ; '.join(notes)}")
    return build_sources(folder, territory)


def _with_store(args, action) -> int:
    """``export``, ``import`` and ``backup`` on the catalogue database (``CARTE_DATABASE_URL``, else
    <données>/catalogue.sqlite, created from the data folder when new): a refusal or an unreachable database
    is said, never a traceback."""
    folder, territory = _place(args)
    try:
        return action(CatalogueStore.open(folder, territory), folder, territory)
    except SaveRefused as refused:
        print("Refusé, rien n'a été modifié :", file=sys.stderr)
        for problem in refused.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    except sa.exc.SQLAlchemyError as error:
        print(f"Base du catalogue injoignable ou illisible : {error.__class__.__name__} ({error})", file=sys.stderr)
        return 1


def command_export(args) -> int:
    def export(store: CatalogueStore, folder: Path, territory: Territory) -> int:
        version, table = store.layer_table()
        if args.format != "catalogue":
            shown = pd.concat([table, _sources_of(store, folder)], ignore_index=True)
            return export_standard(FORMATS[args.format], shown, Known(store.modified(), datasets()),
                                   args.out or folder / f"export-{args.format}", version)
        atomic_write_text(args.csv or folder / CATALOGUE_FILE, catalogue_text(store.rows()))
        write_layer(args.layer or folder / LAYER_FILE, table_features(table))
        print(f"Version n° {version} : {len(table)} initiatives écrites dans {args.csv or folder / CATALOGUE_FILE} "
              f"et {args.layer or folder / LAYER_FILE}.")
        return 0
    return _with_store(args, export)


def _sources_of(store: CatalogueStore, folder: Path) -> pd.DataFrame:
    """The open-data layers the map shows: the database's, else the shipped file; each place once."""
    frames = []
    for key, dataset in datasets().items():
        if key != CATALOGUE.key:
            layer = store.source_layer(key)
            frames.append(features_table(json.loads(layer)["features"]) if layer
                          else read_layer(folder / dataset.layer_file))
    return sources_shown(frames)[0]


def export_standard(standard: Format, table, known: Known, out: Path, version: int) -> int:
    result = standard.publish(table, known)
    out.mkdir(parents=True, exist_ok=True)
    for name, content in standard.files(result).items():
        atomic_write_bytes(out / name, content)
    written = sum(len(records) for records in result.records.values())
    print(f"Version n° {version} : {written} enregistrements écrits dans {out} "
          f"({', '.join(f'{len(r)} {name}' for name, r in result.records.items())}) ; "
          f"{len(result.left_out)} initiative(s) non exportée(s), raisons dans {out / LEFT_OUT_FILE}.")
    return 0


def command_import(args) -> int:
    def load(store: CatalogueStore, folder: Path, territory: Territory) -> int:
        rows, problems = read_catalogue(args.csv, territory)
        if problems:
            print(f"{args.csv.name} contient {len(problems)} erreur(s), rien n'a été importé :", file=sys.stderr)
            for problem in problems:
                print(f"  - {problem}", file=sys.stderr)
            return 1
        saved = store.import_rows([row.values for row in rows], args.author)
        print(f"Version n° {saved.version} : {saved.summary} ({saved.total} initiatives au catalogue).")
        return 0
    return _with_store(args, load)


def command_backup(args) -> int:
    return _with_store(args, lambda store, folder, territory: backup(store, args.target))


def backup(store: CatalogueStore, target: Path) -> int:
    """SQLite's online backup: a consistent copy while the app keeps serving (PostgreSQL: pg_dump). Written
    under a temporary name, checked (integrity, version, rows), then renamed: a full disk or an interrupted
    copy never leaves a file that looks like a backup."""
    if store.engine.dialect.name != "sqlite":
        print("Sauvegarde d'une base PostgreSQL : utilisez pg_dump (voir docs/deploiement.md).", file=sys.stderr)
        return 1
    target = Path(target)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partiel")
    version, rows = store.version(), len(store.rows())
    try:
        raw = store.engine.raw_connection()
        assert raw.driver_connection is not None, "an open SQLite connection"
        try:
            with closing(sqlite3.connect(partial)) as copy:
                raw.driver_connection.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            raw.close()
        with closing(sqlite3.connect(f"file:{partial}?mode=ro", uri=True)) as check:
            healthy = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            copied = check.execute("SELECT count(*) FROM initiatives").fetchone()[0]
            copied_version = check.execute("SELECT version FROM catalogue_state").fetchone()[0]
        if not healthy or copied_version < version or (copied_version == version and copied != rows):
            raise sqlite3.DatabaseError("la copie relue ne correspond pas à la base")
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as error:
        partial.unlink(missing_ok=True)
        print(f"Sauvegarde impossible ({error}) : rien n'a été écrit dans {target}.", file=sys.stderr)
        return 1
    print(f"Base copiée dans {target} (version n° {copied_version}, {copied} initiatives, relue et vérifiée).")
    return 0


def write_facts(folder: Path, territory) -> int:
    """Write the practical facts chosen from practical_facts.csv into the catalogue file, each with its page;
    say per field how many entries carry it, and refuse (changing nothing) when a fact or a row is invalid."""
    facts, problems = read_facts_file(folder)
    rows, catalogue_problems = read_catalogue(folder / CATALOGUE_FILE, territory)
    if problems or catalogue_problems:
        for problem in [*problems, *catalogue_problems]:
            print(f"  {problem}", file=sys.stderr)
        print("Rien n'a été écrit.", file=sys.stderr)
        return 1
    chosen = by_entry(facts)
    unknown = sorted(set(chosen) - {row.values["id"] for row in rows})
    updated = [apply(row.values, chosen.get(row.values["id"], {})) for row in rows]
    refused = [p for line, values in enumerate(updated, start=2) for p in validate_row(Row(line, values), territory)]
    if refused or unknown:
        for problem in refused:
            print(f"  {problem}", file=sys.stderr)
        for name in unknown:
            print(f"  faits pour « {name} », absent du catalogue", file=sys.stderr)
        print("Rien n'a été écrit.", file=sys.stderr)
        return 1
    atomic_write_text(folder / CATALOGUE_FILE, catalogue_text(updated))
    print(f"{len(facts)} faits de {FACTS_FILE} pour {len(chosen)} initiatives écrits dans {CATALOGUE_FILE} :")
    for column in ("opening_hours", "price", "access", "accessibility", "website"):
        print(f"  {FIELD_LABELS[column]:<22} {sum(1 for values in updated if values[column]):>4} initiatives")
    return 0


def build_sources(folder: Path, territory) -> int:
    """Rebuild each open-data source's layer from its shipped raw file (offline: the sources' own
    points, else the offline chain), and print what was done."""
    chain = GeocodingChain(territory, offline=data_chain(folder, territory).offline[:-1])
    rebuilt = []
    for key, connector in connectors().items():
        if not (folder / connector.DATASET.raw_file).exists():
            print(f"Source {key} : fichier {connector.DATASET.raw_file} absent, couche non reconstruite.",
                  file=sys.stderr)
            continue
        report = connector.build(folder, territory, chain)
        print(f"Source « {report.dataset.short} » : {report.written} lieux écrits dans "
              f"{folder / report.dataset.layer_file} ({report.with_hours} avec horaires).")
        for precision, label in PRECISIONS.items():
            if report.precisions.get(precision):
                print(f"  {label:<30} {report.precisions[precision]:>5}")
        for line in report.dropped:
            print(f"  non publié : {line}")
        if report.attention:
            print(f"  {len(report.attention)} lieu(x) à vérifier :")
            for line in report.attention:
                print(f"  - {line}")
        rebuilt.append(report)
    return publish_sources(folder, territory, rebuilt)


def publish_sources(folder: Path, territory, reports) -> int:
    """Rebuilt layers into the catalogue database, when there is one (CARTE_DATABASE_URL, or the data folder's
    SQLite file): every app server shows them within seconds. A database created later takes them from the
    files."""
    if not reports or not (settings.current().database_url or (folder / DATABASE_FILE).exists()):
        return 0
    try:
        store = CatalogueStore.open(folder, territory)
        for report in reports:
            text = (folder / report.dataset.layer_file).read_text(encoding="utf-8")
            saved = store.publish_source(report.dataset.key, text, summary=f"source « {report.dataset.short} » "
                                         f"reconstruite : {report.written} lieux")
            print(f"Source « {report.dataset.short} » versée dans la base (version n° {saved.version}).")
    except (sa.exc.SQLAlchemyError, SaveRefused) as error:
        print(f"Base du catalogue injoignable : {error.__class__.__name__} ; les couches sont écrites dans "
              f"{folder}, la base garde les précédentes.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
