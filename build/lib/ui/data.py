"""Cached loading. The catalogue is read from its database once per published version (asked for at most
every few seconds), the source layers once per file modification: a change is picked up without restart."""

from __future__ import annotations

import gc
import hashlib
import json
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from geo import logs
from geo.bounded import Bounded
from geo.database import DATABASE_WAIT_SECONDS, configure, database_url, engine_options
from geo.files import REPO_DIR, data_dir, read_json
from geo.geocoders.geoplateforme import BanStep
from geo.geocoders.guard import GuardedStep, ServiceGuard
from geo.geocoders.places import PlaceIndexStep
from geo.geocoders.streets import StreetIndexStep
from geo.layer import LAYER_FILE, features_table, read_layer, unusable
from geo.published import PublishedCatalogue
from geo.search import TextIndex
from geo.selection import Filters, prepare, select
from geo.sources import CATALOGUE, datasets
from geo.start import AddressSearch
from geo.store import CatalogueStore, SaveRefused
from geo.territory import Territory, load_territory
from geo.vocabulary import CATEGORIES
from geo.webmap.assets import STATIC_URL
from geo.webmap.basemap import outlines_js, place_labels
from geo.webmap.details import clear_stale, publish_details, server_folder
from ui import settings

STATIC_DIR = REPO_DIR / "static"


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
def _load(paths: tuple[str, ...], version: tuple) -> Loaded:
    """The published catalogue (caught up from the version held, see ``geo.published``) and the open-data
    sources, as one prepared table, and what could not be read (in French, for staff). Both come from the
    database, each read within ``_READ``'s bound; when it does not answer, the catalogue this server last
    read stays (recent imports included), and the layers shipped in the data folder only when it never read
    one."""
    problems, left_out, degraded = [], (), False
    catalogue = sources = None
    key = (_database_url(), str(data_dir()))
    if version[0] >= 0:
        try:
            snapshot = _READ(_catalogue(*key).current)
            catalogue, left_out = snapshot.table, snapshot.left_out
            _held_table[key] = (catalogue, left_out, version[0])
            sources, source_problems, source_left_out = _READ(_database_sources, *key, version[1])
            missing = [Path(path).name for path, dataset in zip(paths, _dataset_keys(paths), strict=True)
                       if dataset not in dict(version[1])]
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
    settle()
    return Loaded(table, tuple(problems), degraded)


def settle() -> None:
    """Move what the process has loaded for good out of the cyclic garbage collector's way. Streamlit collects
    every generation after each script run (``runner.postScriptGC``): over the ~190,000 objects of the loaded
    modules and tables that took 90–150 ms holding the GIL, during which the page's last messages and the
    map's files waited. Garbage is collected first, including what an earlier version left in reference cycles
    (everything is unfrozen for that one collection); what later runs create is still collected after each run.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


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
    """The open-data layers published in the database, once per digest."""
    frames, problems = [], []
    for dataset, _ in signature:
        try:
            frames.append(features_table(json.loads(_store(url, folder).source_layer(dataset) or "")["features"]))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            problems.append(f"couche illisible dans la base : {dataset} ({error.__class__.__name__})")
    table, left_out = _prepared_sources(frames)
    return table, problems, left_out


def _prepared_sources(frames: list[pd.DataFrame]) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Source layers prepared, what cannot be drawn left out; their slots are negative (the catalogue's are
    not), so that popup-detail files never mix them."""
    table = pd.concat(frames, ignore_index=True) if frames else features_table([])
    bad = unusable(table, CATEGORIES)
    left_out = tuple(table.loc[bad, "name"].fillna("sans nom").astype(str))
    table = prepare(table[~bad])
    table["slot"] = -1 - table["row"]
    return table, left_out


@st.cache_resource(show_spinner=False)
def _catalogue(url: str, folder: str) -> PublishedCatalogue:
    return PublishedCatalogue(_store(url, folder))


def _initiatives(paths: tuple[str, ...], version: tuple) -> pd.DataFrame:
    return _load(paths, version)[0]


@st.cache_resource(show_spinner=False, max_entries=2)
def _text_index(paths: tuple[str, ...], version: tuple) -> TextIndex:
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


def _layer_version() -> tuple[tuple[str, ...], tuple]:
    """Every source layer expected, and a version that changes when the published catalogue or a source does:
    (catalogue version, ((source, digest), …), which database), or without the database (-1, the files'
    modification times, which database): two databases at the same version never share a cached table."""
    paths = layer_paths()
    database = (_database_url(), str(data_dir()))
    version, signature = _published(*database)
    if version < 0:
        return tuple(map(str, paths)), (-1, tuple(_mtime(path) for path in paths), database)
    return tuple(map(str, paths)), (version, signature, database)


# The catalogue database ----------------------------------------------------------------------------------

PUBLISHED_POLL_SECONDS = 2


def _database_url() -> str:
    """``CARTE_DATABASE_URL`` or secrets.toml's ``[connections.sql] url``, else the SQLite file of the data
    folder."""
    return settings.current().database_url or database_url(data_dir())


def store() -> CatalogueStore:
    """The live catalogue, through Streamlit's ``st.connection("sql")``: migrated and, when new, filled from
    the data folder, once per server process."""
    return _store(_database_url(), str(data_dir()))


@st.cache_resource(show_spinner="Ouverture du catalogue…")
def _store(url: str, folder: str) -> CatalogueStore:
    connection = st.connection("sql", url=url, **engine_options(url))
    catalogue = CatalogueStore(configure(connection.engine), territory(), Path(folder))
    catalogue.prepare()
    return catalogue


# Every wait on the database is bounded: a frozen server (a network partition) never holds a visitor longer.
_POLL = Bounded("sondage-catalogue", DATABASE_WAIT_SECONDS)
_READ = Bounded("lecture-catalogue", 3 * DATABASE_WAIT_SECONDS)  # a new version's rows: a longer read
_held: dict[tuple, tuple[int, tuple]] = {}  # the last version this server read, per database
_held_table: dict[tuple, tuple] = {}  # the last catalogue this server read, per database: (table, left out, version)


@st.cache_data(ttl=PUBLISHED_POLL_SECONDS, show_spinner=False)
def _published(url: str, folder: str) -> tuple[int, tuple]:
    """The published version and the digest of each source, asked of the database at most every few seconds
    per server (never on every rerun), within DATABASE_WAIT_SECONDS. When the database does not answer, the
    version this server last held (its catalogue stays on the map, recent imports included); -1 when it never
    held one (the shipped layers are shown)."""
    try:
        catalogue = _store(url, folder)
        published = _POLL(lambda: (catalogue.version(), tuple(sorted(catalogue.sources().items()))))
    except (sa.exc.SQLAlchemyError, OSError, ValueError, SaveRefused) as error:
        held = _held.get((url, folder), (-1, ()))
        LOG.error("base du catalogue injoignable (%s) : la carte garde la version %s", error.__class__.__name__,
                  held[0] if held[0] >= 0 else "livrée")
        return held
    _held[(url, folder)] = published
    return published


def saved() -> None:
    """After a save on this server: show it now, not at the next poll."""
    _published.clear()


def load_problems() -> tuple[str, ...]:
    """What could not be read in the layers (for the staff page)."""
    return _load(*_layer_version())[1]


def initiatives(*, say: bool = True) -> pd.DataFrame:
    """Every initiative of the layers, with derived columns (see ``geo.selection.prepare``). What cannot be
    read is left out with a message on the page (unless ``say`` is False: the page says it) and a log line,
    never a traceback."""
    table, problems, _ = _load(*_layer_version())
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


def details_url() -> str:
    """Where the browser fetches popup details of the current layer (published once per version)."""
    paths, version = _layer_version()
    if _load(paths, version).degraded and _details_published().get("name"):  # never publish a held table as new
        return f"{STATIC_URL}/details/{_details_published()['name']}"
    return _published_details(paths, version)


def text_index() -> TextIndex:
    """The text index of the layers shown: kept per version, built afresh while the table is a held one."""
    paths, version = _layer_version()
    loaded = _load(paths, version)
    return TextIndex(loaded.table["search_text"].tolist()) if loaded.degraded else _text_index(paths, version)


@st.cache_resource(show_spinner=False, max_entries=2)
def _published_details(paths: tuple[str, ...], version: tuple) -> str:
    """Publish the popup details of this version in a folder of its own; the chunks no initiative changed in
    since the previous folder are linked from it, not written again."""
    name = server_folder(hashlib.sha1(f"{data_dir()}:{paths}:{version}".encode()).hexdigest()[:12])
    folder = STATIC_DIR / "carte" / "details"
    last = _details_published()
    changed = None
    if last.get("key") == (str(data_dir()), paths, version[1:]) and version[0] >= 0:
        changed = _catalogue(_database_url(), str(data_dir())).changed_between(last["version"], version[0])
    written = publish_details(_initiatives(paths, version), folder / name,
                              previous=folder / last["name"] if changed is not None else None, changed=changed)
    LOG.info("fiches détaillées de la version %s : %d fichier(s) écrit(s)", version[0], written)
    # This server's earlier versions go, except the one before (pages opened on it still fetch from it); another
    # server's folders stay while its process lives (two servers from one checkout).
    clear_stale(folder, keep={name, last.get("name", "")})
    last.update(key=(str(data_dir()), paths, version[1:]), version=version[0], name=name)
    return f"{STATIC_URL}/details/{name}"


@st.cache_resource(show_spinner=False)
def _details_published() -> dict:
    """The folder of the last details published by this server, and the version it holds."""
    return {}


def territory() -> Territory:
    """The communes and arrondissements; without them no page can work, so it says so and stops."""
    try:
        return load_territory(data_dir())  # cached by geo.territory, per folder
    except (OSError, ValueError, KeyError, TypeError) as error:
        LOG.error("référentiel des communes illisible dans %s : %s", data_dir(), error)
        st.error("La carte est momentanément indisponible : le référentiel des communes ne peut pas être lu. "
                 "L'équipe en est avertie par le journal du serveur.", icon=":material/report:")
        st.stop()


# Reference files, cached per data folder (tests and the benchmark switch folders in one process).
@st.cache_resource(show_spinner=False)
def _json(path: str):
    return read_json(Path(path))


@st.cache_resource(show_spinner=False)
def _outlines_js(path: str) -> str:
    return outlines_js(_json(path), place_labels(territory()))


def commune_outlines() -> dict:
    return _json(str(data_dir() / "communes.geojson"))


def arrondissement_outlines() -> dict:
    return _json(str(data_dir() / "arrondissements.geojson"))


def outlines() -> str:
    """The 92 commune outlines as GeoJSON text, for the base map."""
    return _outlines_js(str(data_dir() / "communes.geojson"))


@st.cache_resource(show_spinner=False)
def _offline_index(kind: str, path: str) -> StreetIndexStep | PlaceIndexStep:
    return {"streets": StreetIndexStep, "places": PlaceIndexStep}[kind](Path(path))


def street_index() -> StreetIndexStep:
    """Marseille's streets and quarters (OpenStreetMap), for visitors' start points offline."""
    return _offline_index("streets", str(data_dir() / "marseille_streets.json"))


def place_index() -> PlaceIndexStep:
    """Named places with a sourced point (Mucem, Baumettes…), for visitors' start points."""
    return _offline_index("places", str(data_dir() / "places.csv"))


def _ban_url() -> str | None:
    """The national address service's address; None when ``CARTE_GEOCODING=offline`` keeps the app off
    the network."""
    current = settings.current()
    return current.ban_url if current.online else None


def address_geocoder() -> GuardedStep | None:
    """The BAN for the staff's imports and edits: two tries of 5 s, never more than 2 s of wait on a refusal,
    and the same pause as the visitors' searches (one guard per server)."""
    url = _ban_url()
    return GuardedStep(_ban(url), ban_guard(url)) if url else None


@st.cache_resource(show_spinner=False)
def _ban(url: str) -> BanStep:
    return BanStep(url, attempts=2, base_delay=0.5, max_wait=2, timeout=5, min_score=0.4)


@st.cache_resource(show_spinner=False)
def ban_guard(url: str) -> ServiceGuard:
    """The BAN's etiquette for this whole server: its rate, its pauses, the queries that just failed."""
    return ServiceGuard("BAN")


VISITOR_TIMEOUT_SECONDS = 3


def address_search() -> AddressSearch | None:
    """The BAN for visitors' searches: one try of at most 3 s, answers shared by every session."""
    url = _ban_url()
    return _address_search(url) if url else None


@st.cache_resource(show_spinner=False)
def _address_search(url: str) -> AddressSearch:
    return AddressSearch(BanStep(url, attempts=1, timeout=VISITOR_TIMEOUT_SECONDS, min_score=0.4),
                         guard=ban_guard(url))
