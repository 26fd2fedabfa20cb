"""``streamlit run ui/serve.py``: the app, ready before it answers (issue 20). Streamlit's ``st.App`` runs
``app.py`` as ever; its start-up hook (``lifespan``) first opens the database (filling it on a new deployment),
reads the layers, publishes the map's files and starts the hours engine. The server accepts no request, its
``/_stcore/health`` included, until that is done: a load balancer never sends the first visitors of a
restarted server into that wait. ``streamlit run app.py`` still works: its first visitor then waits instead."""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import asynccontextmanager

import streamlit as st

from geo import logs
from geo.files import REPO_DIR
from ui import memory

LOG = logs.get("serve")
# Streamlit warns that caches filled outside a page have no page to report to ("bare mode"): expected here.
_BARE_MODE = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")


def warm() -> int:
    """Everything the first page needs and every server keeps; returns the number of initiatives read. Nothing
    here may import a module that declares a Streamlit component (streamlit_folium, streamlit_js_eval: ``ui.maps``,
    ``ui.start``): declared outside a page, a component is never registered, and its frame answers 404."""
    from geo.hours import now, today_line
    from geo.webmap import assets
    from ui import data, database, details, reference

    began, level = time.monotonic(), _BARE_MODE.level
    _BARE_MODE.setLevel(logging.ERROR)
    try:
        database.read_before_serving()
        table = data.initiatives(say=False)
        reference.territory()
        reference.outlines_url()
        assets.publish(assets.STATIC_DIR)
        details.published(table)
        today_line("Mo-Fr 09:00-17:00", now())  # V8 and opening_hours.js, started once
    finally:
        _BARE_MODE.setLevel(level)
    LOG.info("prêt à servir : %d initiatives lues, fichiers de la carte publiés, en %.1f s", len(table),
             time.monotonic() - began)
    return len(table)


@asynccontextmanager
async def lifespan(_app):
    logs.configure()
    try:
        await asyncio.to_thread(warm)
    except Exception:  # served anyway: the first visitor does the work again, or reads why it cannot be done
        LOG.exception("préparation avant ouverture incomplète : le serveur s'ouvre quand même")
    memory.settle()  # what the warm-up built lives as long as the server: out of the collector's way
    yield


app = st.App(str(REPO_DIR / "app.py"), lifespan=lifespan)
