"""Command line: ``python -m geo build [--offline]`` rebuilds ``data/initiatives.geojson``."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from tqdm import tqdm

from geo import logs
from geo.build import build
from geo.cache import CacheError
from geo.chain import GeocodingChain, data_chain
from geo.files import data_dir, read_json
from geo.geocoders import geoplateforme, nominatim
from geo.passwords import hash_password
from geo.sources import connectors
from geo.store import MANUAL_FILE
from geo.territory import load_territory
from geo.vocabulary import PRECISIONS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo", description="Carte des Possibles : données")
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="valider le catalogue, géocoder, écrire la couche GeoJSON")
    build_parser.add_argument("--offline", action="store_true", help="aucun accès réseau (cache et replis hors ligne)")
    build_parser.add_argument("--data", type=Path, default=None, help="dossier des données (défaut : data/)")
    build_parser.add_argument("--ban-url", default=geoplateforme.DEFAULT_URL)
    build_parser.add_argument("--nominatim-url", default=nominatim.DEFAULT_URL)
    build_parser.add_argument("--min-score", type=float, default=0.6, help="score BAN minimal (0–1)")
    sources_parser = commands.add_parser("sources", help="reconstruire les couches des sources ouvertes (hors ligne)")
    sources_parser.add_argument("--data", type=Path, default=None, help="dossier des données (défaut : data/)")
    commands.add_parser("hash-password", help="empreinte du mot de passe de l'équipe (pour les secrets)")
    args = parser.parse_args(argv)
    logs.configure()
    if args.command == "hash-password":
        print(hash_password(getpass.getpass("Mot de passe de l'équipe : ")))
        return 0

    folder = args.data or data_dir()
    territory = load_territory(folder)
    if args.command == "sources":
        return build_sources(folder, territory)
    try:
        online = () if args.offline else (
            geoplateforme.BanStep(args.ban_url, min_score=args.min_score),
            nominatim.NominatimStep(territory.bounds, args.nominatim_url),
        )
        chain = data_chain(folder, territory, online)
        report = build(folder, territory, chain,
                       progress=lambda rows: tqdm(rows, desc="Géocodage", unit="initiative"),
                       manual=read_json(folder / MANUAL_FILE) if (folder / MANUAL_FILE).exists() else None)
        if report.ok:
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


def build_sources(folder: Path, territory) -> int:
    """Rebuild each open-data source's layer from its shipped raw file (offline: the sources' own
    points, else the offline chain), and print what was done."""
    chain = GeocodingChain(territory, offline=data_chain(folder, territory).offline[:-1])
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
