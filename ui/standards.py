"""The Données page's downloads in the national schemas (``geo.standards``): the selection, as shown."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from geo import logs
from geo.files import data_dir
from geo.sources import datasets
from geo.standards import Known
from geo.standards.formats import FORMATS
from ui import database

LOG = logs.get("standards")


@st.cache_resource(show_spinner=False, max_entries=2)
def _modified(url: str, folder: str, version: int) -> dict[str, dt.date]:
    return database.READ(database.store_at(url, folder).modified)


def known() -> Known:
    """The day each catalogue row was last written (read once per published version, within the database's
    bound) and the data sets. A database that does not answer leaves the catalogue's rows undated: the exports
    then list them as left out, and say why."""
    where = (database.current_url(), str(data_dir()))
    modified: dict[str, dt.date] = {}
    try:
        version = database.published(*where)[0]
        if version >= 0:
            modified = _modified(*where, version)
    except (sa.exc.SQLAlchemyError, OSError, ValueError) as error:
        LOG.error("dates de mise à jour illisibles (%s) : le catalogue n'est pas exporté dans les standards",
                  error.__class__.__name__)
    return Known(modified, datasets())


def downloads(selection: pd.DataFrame) -> None:
    """One button per standard; each file is built when its button is pressed."""
    columns = st.columns(len(FORMATS))
    for column, (key, standard) in zip(columns, FORMATS.items(), strict=True):
        column.download_button(standard.label, partial(standard.download, selection, known()), standard.file,
                               "application/zip", key=f"standard-{key}", icon=":material/account_tree:",
                               width="stretch", help=standard.help)
