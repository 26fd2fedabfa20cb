"""Popup details: written once per published version, and again each week for their hours, into
``static/carte/details/<folder>``, where the browser fetches them (the chunks no initiative changed in are linked
from the previous folder, not written again)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from geo import clock, logs
from geo.files import data_dir
from geo.webmap.assets import STATIC_DIR, STATIC_URL
from geo.webmap.details import clear_stale, dated_slots, hours_from, publish_details, server_folder
from ui import database
from ui.data import Version, layer_version, load

LOG = logs.get("data")


def published(table: pd.DataFrame) -> tuple[str, int | None]:
    """Where the browser fetches the popup details of the current layer (published once per version), and the
    number of rows of that layer when ``table`` is a selection of it (each of its rows that row of the published
    layer, same initiative): its markers can then travel as a mask of those rows. None instead while the table
    is one held while the database did not answer (never published as new), or of another version."""
    paths, version = layer_version()
    loaded = load(paths, version)
    if loaded.degraded and _details_published().get("name"):  # never publish a held table as new
        return f"{STATIC_URL}/details/{_details_published()['name']}", None
    url, layer = _published_details(paths, version, hours_from(clock.today())), loaded.table
    rows = table["row"].to_numpy(int) if "row" in table else None
    if rows is None or (len(rows) and (rows.min() < 0 or rows.max() >= len(layer))):
        return url, None
    same = (layer["id"].to_numpy()[rows] == table["id"].to_numpy()).all()
    return url, len(layer) if same else None


@st.cache_resource(show_spinner=False, max_entries=2)
def _published_details(paths: tuple[str, ...], version: Version, week: dt.date) -> str:
    """Publish the popup details of this version, with the hours of the fortnight from ``week`` (this week's
    Monday: a new week publishes again), in a folder of its own; the chunks no initiative changed in since the
    previous folder, and that hold no hours when the week changed, are linked from it, not written again."""
    name = server_folder(hashlib.sha1(f"{data_dir()}:{paths}:{version}:{week}".encode()).hexdigest()[:12])
    folder = STATIC_DIR / "carte" / "details"
    last = _details_published()
    table = load(paths, version).table
    changed = None
    if last.get("key") == (str(data_dir()), paths, version[1:]) and version.published >= 0:
        catalogue = database.catalogue(database.current_url(), str(data_dir()))
        changed = catalogue.changed_between(last["version"], version.published)
        if changed is not None and last["week"] != week:
            changed = changed | dated_slots(table)
    written = publish_details(table, folder / name, previous=folder / last["name"] if changed is not None else None,
                              changed=changed, today=week)
    LOG.info("fiches détaillées de la version %s (horaires à partir du %s) : %d fichier(s) écrit(s)", version[0],
             week.isoformat(), written)
    # This server's earlier folders go, except the one before (pages opened on it still fetch from it); another
    # server's folders stay while its process lives (two servers from one checkout).
    clear_stale(folder, keep={name, last.get("name", "")})
    last.update(key=(str(data_dir()), paths, version[1:]), version=version.published, name=name, week=week)
    return f"{STATIC_URL}/details/{name}"



@st.cache_resource(show_spinner=False)
def _details_published() -> dict:
    """The folder of the last details published by this server, and the version it holds."""
    return {}
