"""The one clock of the application: Paris time, which ``CARTE_NOW`` fixes for tests and demonstrations. Every
date and time the code needs comes from here (ruff's DTZ rules forbid the naive ones)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from geo import logs, settings

PARIS = ZoneInfo("Europe/Paris")
LOG = logs.get("horloge")


def now() -> dt.datetime:
    """The current time in Paris; ``CARTE_NOW`` (ISO time, Paris) fixes the clock for tests and demos. A
    CARTE_NOW that is no time is said in the log and the real clock is used; a Paris time that does not exist
    (02:30 on the night clocks go forward) is the instant it names, read on Paris's clock (03:30)."""
    fixed = settings.current().now.strip()
    if fixed:
        try:
            moment = dt.datetime.fromisoformat(fixed)
        except ValueError:
            _said_once(f"CARTE_NOW illisible (« {fixed[:40]} ») : l'heure réelle est utilisée")
            return dt.datetime.now(PARIS)
        moment = moment if moment.tzinfo else moment.replace(tzinfo=PARIS)
        return moment.astimezone(dt.UTC).astimezone(PARIS)  # a gap's time moves to the other side of it
    return dt.datetime.now(PARIS)


def today() -> dt.date:
    """Today in Paris, by the same clock."""
    return now().date()


def utc_now() -> dt.datetime:
    """The same instant in UTC (what the database records)."""
    return now().astimezone(dt.UTC)


@lru_cache(maxsize=16)
def _said_once(message: str) -> None:
    LOG.warning(message)
