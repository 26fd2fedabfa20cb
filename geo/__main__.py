"""Command line: ``python -m geo build [--offline]`` rebuilds ``data/initiatives.geojson``."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from tqdm import tqdm

from geo.build import build
from geo.cache import CacheError
from geo.chain import data_chain
from geo.files import data_dir, read_json
from geo.geocoders import geoplateforme, nominatim
from geo.passwords import hash_password
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
    commands.add_parser("hash-password", help="empreinte du mot de passe de l'équipe (pour les secrets)")
    args = parser.parse_args(argv)
    if args.command == "hash-password":
        print(hash_password(getpass.getpass("Mot de passe de l'équipe : ")))
        return 0

    folder = args.data or data_dir()
    territory = load_territory(folder)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
