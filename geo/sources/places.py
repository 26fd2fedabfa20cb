"""What every place file of the national tooling needs, whoever publishes it (the ANCT's regional file, a city's
own): the commune or arrondissement of a record from its postcode and commune name, its published point, its
lists, and where to put it — the source's point when it lies in its commune (and, in Marseille, in the
arrondissement of its postcode), else its address through the offline chain, said in the build's report."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from pathlib import Path

from geo.chain import OUTLINE_TOLERANCE_M, GeocodingChain
from geo.files import read_json
from geo.layer import feature, write_layer
from geo.position import Position, Query, today
from geo.sources import Dataset, SourceReport
from geo.territory import MARSEILLE, Area, Territory
from geo.text import fold


def area_of(record: dict, territory: Territory) -> Area | None:
    """The arrondissement (Marseille) or commune of a record, or None outside the métropole.

    The postcode gives the candidate communes; the record's commune name must be one of them, or else
    its point must lie in it (Puyricard is in Aix-en-Provence; Saint-Andiol shares 13760 with
    Saint-Cannat but is not in the métropole).
    """
    by_code = territory.by_insee(str(record.get("code_insee") or ""))
    if by_code is not None and by_code.is_arrondissement:
        return by_code
    areas = [a for a in territory.by_postcode(str(record.get("code_postal", "")))
             if a.commune_insee in territory.communes]
    named, point = fold(record.get("commune", "")), point_of(record)
    communes = [territory.communes[code] for code in dict.fromkeys(a.commune_insee for a in areas)]
    communes = ([c for c in communes if fold(c.name) in named or (c.insee == MARSEILLE and "arrondissement" in named)]
                or [c for c in communes if point and territory.contains(c, *point, OUTLINE_TOLERANCE_M)])
    if len(communes) != 1:
        return None
    commune = communes[0]
    if commune.insee == MARSEILLE:
        arrondissements = [a for a in areas if a.is_arrondissement]
        return arrondissements[0] if len(arrondissements) == 1 else commune
    return commune


def point_of(record: dict) -> tuple[float, float] | None:
    """The record's published (lat, lon), if it has a usable one."""
    try:
        lat, lon = float(record["latitude"]), float(record["longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    return (lat, lon) if math.isfinite(lat) and math.isfinite(lon) else None


def listed(cell: str | None) -> list[str]:
    """The items of a list cell (« a;b » or « a|b »), once each, in order."""
    return list(dict.fromkeys(part.strip() for part in (cell or "").replace(";", "|").split("|") if part.strip()))


def website_of(record: dict) -> str:
    """The first web address among the site and the booking link."""
    for url in [*listed(record.get("site_web")), *listed(record.get("prise_rdv"))]:
        if url.lower().startswith(("http://", "https://")) and " " not in url:
            return url
    return ""


def locate(record: dict, values: dict[str, str], area: Area, territory: Territory, chain: GeocodingChain,
           published_by: str) -> tuple[Position, str]:
    """The record's own point when it lies in its commune and arrondissement; else its address through
    the chain. Returns the position and a note ('' when the source's point was kept)."""
    query = Query(values["address"], values["postcode"], territory.commune_of(area), area)
    point = point_of(record)
    if point is not None and chain.outside(query, *point) is None:
        return Position(point[0], point[1], "address", "source", f"Coordonnées publiées par {published_by}", None,
                        record.get("date_maj", "") or today()), ""
    position = chain.locate(query).position
    if point is None:
        return position, "sans coordonnées dans la source"
    found = territory.locate(*point)
    where = found.name if found else "hors de la Métropole"
    return position, f"point de la source dans « {where} », pas dans {area.name} : replacé par l'adresse"


def build_layer(folder: Path, territory: Territory, chain: GeocodingChain, dataset: Dataset,
                values_of: Callable[[dict, Area, Territory], dict[str, str]], published_by: str, *,
                left_out: Callable[[dict], str] = lambda record: "", say_outside: bool = True,
                records: Iterable[dict] | None = None) -> SourceReport:
    """Read ``dataset``'s shipped raw file, write its layer, and say what was done: each record of the métropole
    through ``values_of`` (every catalogue column, plus fees), placed by ``locate``; ``left_out`` gives why a record
    is not published ('' to publish it); records outside the métropole are said unless ``say_outside`` is False
    (a regional file, mostly outside). ``records``: the source's records when they are not its raw file's list
    (a source of two files joined)."""
    folder = Path(folder)
    report = SourceReport(dataset)
    features = []
    for record in read_json(folder / dataset.raw_file) if records is None else records:
        area = area_of(record, territory)
        if area is None:
            if say_outside:
                report.dropped.append(f"{record.get('nom', record.get('id'))} : hors de la Métropole")
            continue
        reason = left_out(record)
        if reason:
            report.dropped.append(f"{record['id']} : {reason}")
            continue
        values = values_of(record, area, territory)
        if record.get("horaires") and not values["opening_hours"]:
            report.attention.append(f"{values['name']} ({values['id']}) : horaires illisibles, ignorés")
        position, note = locate(record, values, area, territory, chain, published_by)
        if note:
            report.attention.append(f"{values['name']} ({values['id']}) : {note}")
        report.precisions[position.precision] = report.precisions.get(position.precision, 0) + 1
        report.with_hours += bool(values["opening_hours"])
        fees = values.pop("fees")
        features.append(feature(values, area, territory.commune_of(area).territory, position,
                                dataset=dataset.key, extra={"fees": fees}))
    (folder / dataset.layer_file).parent.mkdir(parents=True, exist_ok=True)
    write_layer(folder / dataset.layer_file, features)
    report.written = len(features)
    return report
