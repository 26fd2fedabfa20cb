"""The catalogue database as this server sees it: one store per process (``st.connection("sql")``), its
published version asked at most every few seconds, every wait on it bounded."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
import streamlit as st

from geo import logs
from geo.bounded import Bounded
from geo.database import DATABASE_WAIT_SECONDS, configure, database_url, engine_options
from geo.files import data_dir
from geo.published import PublishedCatalogue
from geo.store import CatalogueStore, SaveRefused
from ui import settings
from ui.reference import territory

LOG = logs.get("data")


@st.cache_resource(show_spinner=False)
def catalogue(url: str, folder: str) -> PublishedCatalogue:
    return PublishedCatalogue(store_at(url, folder))


PUBLISHED_POLL_SECONDS = 2



def current_url() -> str:
    """``CARTE_DATABASE_URL`` or secrets.toml's ``[connections.sql] url``, else the SQLite file of the data
    folder."""
    return settings.current().database_url or database_url(data_dir())



def store() -> CatalogueStore:
    """The live catalogue, through Streamlit's ``st.connection("sql")``: migrated and, when new, filled from
    the data folder, once per server process."""
    return store_at(current_url(), str(data_dir()))



@st.cache_resource(show_spinner="Ouverture du catalogue…")
def store_at(url: str, folder: str) -> CatalogueStore:
    connection = st.connection("sql", url=url, **engine_options(url))
    catalogue = CatalogueStore(configure(connection.engine), territory(), Path(folder))
    catalogue.prepare()
    return catalogue


# Every wait on the database is bounded: a frozen server (a network partition) never holds a visitor longer.
POLL = Bounded("sondage-catalogue", DATABASE_WAIT_SECONDS)


READ = Bounded("lecture-catalogue", 3 * DATABASE_WAIT_SECONDS)  # a new version's rows: a longer read
# A server's first read, before it answers anyone (ui/serve.py): the whole catalogue, however long that takes at
# 220,000 initiatives on a slow machine (23 s measured, over READ's bound: the server opened on the shipped
# layers and its first visitors read again), bounded only against a database that never answers.
START_READ = Bounded("lecture-avant-ouverture", 60 * DATABASE_WAIT_SECONDS)


def read_before_serving() -> None:
    """The published catalogue read whole into this server's cache, so that a page's bounded read is a catch-up
    of one small query; a log line when the database did not answer (the pages then read it themselves)."""
    try:
        START_READ(catalogue(current_url(), str(data_dir())).current)
    except (sa.exc.SQLAlchemyError, OSError, ValueError, SaveRefused) as error:
        LOG.error("catalogue non lu avant l'ouverture (%s) : les pages le liront", error.__class__.__name__)


_held: dict[tuple, tuple[int, tuple]] = {}  # the last version this server read, per database



@st.cache_data(ttl=PUBLISHED_POLL_SECONDS, show_spinner=False)
def published(url: str, folder: str) -> tuple[int, tuple]:
    """The published version and the digest of each source, asked of the database at most every few seconds
    per server (never on every rerun), within DATABASE_WAIT_SECONDS. When the database does not answer, the
    version this server last held (its catalogue stays on the map, recent imports included); -1 when it never
    held one (the shipped layers are shown)."""
    try:
        catalogue = store_at(url, folder)
        published = POLL(lambda: (catalogue.version(), tuple(sorted(catalogue.sources().items()))))
    except (sa.exc.SQLAlchemyError, OSError, ValueError, SaveRefused) as error:
        held = _held.get((url, folder), (-1, ()))
        LOG.error("base du catalogue injoignable (%s) : la carte garde la version %s", error.__class__.__name__,
                  held[0] if held[0] >= 0 else "livrée")
        return held
    _held[(url, folder)] = published
    return published



def saved() -> None:
    """After a save on this server: show it now, not at the next poll."""
    published.clear()
