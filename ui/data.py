"""Cached loading. The catalogue is read from its database once per published version (asked for at most
every few seconds), the source layers once per file modification: a change is picked up without restart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from geo import logs
from geo.files import data_dir
from geo.layer import LAYER_FILE, features_table, read_layer, unusable
from geo.search import TextIndex
from geo.selection import Filters, prepare, select
from geo.sources import CATALOGUE, datasets
from geo.sources.duplicates import sources_shown
from geo.store import SaveRefused
from geo.vocabulary import CATEGORIES
from ui import database, memory

LOG = logs.get("data")
UNAVAILABLE = ("Une partie des données de la carte est momentanément indisponible ; ce qui reste lisible est "
               "affiché. L'équipe en est avertie par le journal du serveur.")


class Loaded(NamedTuple):
    table: pd.DataFrame
    problems: tuple[str, ...]
    degraded: bool = False  # the database did not answer: shown, but read again at the next access


# cache_resource, not cache_data: one shared table, not a pickled copy on every rerun. Never mutated. A table read
# while the database did not answer is not kept: the next run tries again (at once failed while a read is stuck).
@st.cache_resource(show_spinner="Chargement des initiatives…", max_entries=2,
                   validate=lambda loaded: not loaded.degraded)
def load(paths: tuple[str, ...], version: Version) -> Loaded:
    """The published catalogue (caught up from the version held, see ``geo.published``) and the open-data
    sources, as one prepared table, and what could not be read (in French, for staff). Both come from the
    database, each read within ``_READ``'s bound; when it does not answer, the catalogue this server last
    read stays (recent imports included), and the layers shipped in the data folder only when it never read
    one."""
    problems, left_out, degraded = [], (), False
    catalogue = sources = None
    key = (database.current_url(), str(data_dir()))
    if version.published >= 0:
        try:
            snapshot = database.READ(database.catalogue(*key).current)
            catalogue, left_out = snapshot.table, snapshot.left_out
            _held_table[key] = (catalogue, left_out, version.published)
            sources, source_problems, source_left_out = database.READ(_database_sources, *key, version.signature)
            missing = [Path(path).name for path, dataset in zip(paths, _dataset_keys(paths), strict=True)
                       if dataset not in dict(version.signature)]
            problems += [f"couche absente de la base : {name} (python -m geo sources la reconstruit)"
                         for name in missing] + source_problems
            left_out += source_left_out
        except (sa.exc.SQLAlchemyError, OSError, ValueError, SaveRefused) as error:
            degraded = True
            LOG.error("base du catalogue illisible : %s", error.__class__.__name__)
            said = error.__class__.__name__
            if catalogue is not None:  # the catalogue was read, its sources were not
                problems.append(f"couches des sources illisibles dans la base ({said}) : couches livrées")
            elif (held := _held_table.get(key)) is not None:
                catalogue, left_out, held_version = held
                problems.append(f"base du catalogue injoignable ({said}) : la carte garde la version n° "
                                f"{held_version} du catalogue")
            else:
                problems.append(f"base du catalogue illisible ({said}) : la carte montre les couches livrées")
    else:
        problems.append("base du catalogue injoignable : la carte montre les couches livrées")
    if sources is None:  # the shipped files: every layer, the catalogue's too unless it was read or held
        files = paths if catalogue is not None else (str(data_dir() / LAYER_FILE), *paths)
        sources, source_problems, source_left_out = _sources(files, tuple(_mtime(Path(path)) for path in files))
        problems += source_problems
        left_out += source_left_out
    if left_out:
        problems.append(f"{len(left_out)} initiative(s) sans position lisible ou de catégorie inconnue, "
                        f"laissées de côté : {', '.join(left_out[:10])}")
    for problem in problems:
        LOG.error("données de la carte : %s", problem)
    table = pd.concat([frame for frame in (catalogue, sources) if frame is not None], ignore_index=True)
    table["row"] = range(len(table))
    memory.settle()
    return Loaded(table, tuple(problems), degraded)


def _dataset_keys(paths: tuple[str, ...]) -> list[str]:
    by_file = {str(data_dir() / d.layer_file): key for key, d in datasets().items()}
    return [by_file.get(path, path) for path in paths]


@st.cache_resource(show_spinner=False, max_entries=2)
def _sources(paths: tuple[str, ...], modified: tuple) -> tuple[pd.DataFrame, list[str], tuple[str, ...]]:
    """The layers shipped as files (when the database cannot be reached), once per file version."""
    frames, problems = [], []
    for name in paths:
        try:
            frames.append(read_layer(Path(name)))
        except FileNotFoundError:
            problems.append(f"fichier absent : {Path(name).name}")
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:  # JSON errors are ValueErrors
            problems.append(f"fichier illisible : {Path(name).name} ({error.__class__.__name__})")
    table, left_out = _prepared_sources(frames)
    return table, problems, left_out


@st.cache_resource(show_spinner=False, max_entries=2)
def _database_sources(url: str, folder: str, signature: tuple) -> tuple[pd.DataFrame, list[str],
                                                                              tuple[str, ...]]:
    """The open-data layers published in the database, once per digest, in the registry's order (as the files)."""
    frames, problems = [], []
    order = list(datasets())
    for dataset in sorted(dict(signature), key=lambda key: order.index(key) if key in order else len(order)):
        try:
            layer = database.store_at(url, folder).source_layer(dataset) or ""
            frames.append(features_table(json.loads(layer)["features"]))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            problems.append(f"couche illisible dans la base : {dataset} ({error.__class__.__name__})")
    table, left_out = _prepared_sources(frames)
    return table, problems, left_out


def _prepared_sources(frames: list[pd.DataFrame]) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Source layers prepared, what cannot be drawn left out; their slots are negative (the catalogue's are
    not), so that popup-detail files never mix them."""
    table, folded = sources_shown(frames)
    if folded:
        LOG.info("sources ouvertes : %d lieu(x) publiés par deux sources, montrés une fois", folded)
    table = table.reset_index(drop=True)
    bad = unusable(table, CATEGORIES)
    left_out = tuple(table.loc[bad, "name"].fillna("sans nom").astype(str))
    table = prepare(table[~bad])
    table["slot"] = -1 - table["row"]
    return table, left_out


def _initiatives(paths: tuple[str, ...], version: Version) -> pd.DataFrame:
    return load(paths, version)[0]


@st.cache_resource(show_spinner=False, max_entries=2)
def _text_index(paths: tuple[str, ...], version: Version) -> TextIndex:
    return TextIndex(_initiatives(paths, version)["search_text"].tolist())


def layer_paths() -> list[Path]:
    """The layer of every open-data source shipped in the data folder (its raw file or its layer is there);
    the catalogue's layer is in its database."""
    folder = data_dir()
    return [folder / d.layer_file for key, d in datasets().items() if key != CATALOGUE.key
            and ((folder / d.layer_file).exists() or (d.raw_file and (folder / d.raw_file).exists()))]


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


class Version(NamedTuple):
    """What the layers shown depend on: two databases at the same version never share a cached table."""

    published: int  # the catalogue's published version; -1 without the database (the shipped files are shown)
    signature: tuple  # ((source, digest), …) in the database, else the files' modification times
    database: tuple[str, str]  # which database, which data folder


def layer_version() -> tuple[tuple[str, ...], Version]:
    """Every source layer expected, and the version of what they show."""
    paths = layer_paths()
    where = (database.current_url(), str(data_dir()))
    number, signature = database.published(*where)
    if number < 0:
        return tuple(map(str, paths)), Version(-1, tuple(_mtime(path) for path in paths), where)
    return tuple(map(str, paths)), Version(number, signature, where)


_held_table: dict[tuple, tuple] = {}  # the last catalogue this server read, per database: (table, left out, version)


def load_problems() -> tuple[str, ...]:
    """What could not be read in the layers (for the staff page)."""
    return load(*layer_version())[1]


def initiatives(*, say: bool = True) -> pd.DataFrame:
    """Every initiative of the layers, with derived columns (see ``geo.selection.prepare``). What cannot be
    read is left out with a message on the page (unless ``say`` is False: the page says it) and a log line,
    never a traceback."""
    table, problems, _ = load(*layer_version())
    if problems and say:
        st.warning(UNAVAILABLE, icon=":material/report:")
    return table


def selection(filters: Filters) -> pd.DataFrame:
    """The initiatives matching ``filters``, searched through the layer's text index (built on the first text
    search of a version, not on every page load)."""
    return select(initiatives(), filters, text_index() if filters.text.strip() else None)


def search_hint(text: str) -> str:
    """The query as the search understood it when a word was found only a typo away ("republique")."""
    return text_index().suggestion(text) if text.strip() else ""


def text_index() -> TextIndex:
    """The text index of the layers shown: kept per version, built afresh while the table is a held one."""
    paths, version = layer_version()
    loaded = load(paths, version)
    return TextIndex(loaded.table["search_text"].tolist()) if loaded.degraded else _text_index(paths, version)


