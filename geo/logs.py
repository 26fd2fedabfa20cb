"""One logging configuration for the app and the command line: builds, saves, imports, geocoder failures,
sign-in failures and unreadable files reach the operator's log (never a password or a visitor's address)."""

from __future__ import annotations

import logging

from geo import settings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure() -> None:
    """Log to stderr at ``CARTE_LOG_LEVEL`` (default INFO), once per process, every line stamped in Paris time:
    set here, before the first line, not when the hours engine starts (a served log then jumped an hour between
    two lines of the same start-up)."""
    logger = logging.getLogger("carte")
    if logger.handlers:
        return
    settings.use_paris_local_time()
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    logger.setLevel(settings.current().log_level.upper())
    logger.propagate = False


def get(name: str) -> logging.Logger:
    """The logger of one part of the product ("carte.data", "carte.build"…)."""
    return logging.getLogger(f"carte.{name}")
