"""The one place the application's settings are read: ``CARTE_*`` environment variables and, for the app,
Streamlit's secrets (``ui.settings`` gives them; the environment wins). Typed, documented field by field; a value
that cannot be read is said in the log with its variable's name and the default is used."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_DIR = Path(__file__).resolve().parent.parent
PREFIX = "CARTE_"
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
BAN_URL = "https://data.geopf.fr/geocodage"
LOG = logging.getLogger("carte.reglages")  # not geo.logs: the log level is one of these settings


def _default_data_dir() -> Path:
    """``data/`` beside the code in a checkout; ``data/`` in the working folder for an installed package."""
    beside = REPO_DIR / "data"
    return beside if beside.is_dir() else Path.cwd() / "data"


class Settings(BaseSettings):
    """Every setting of the app and the command line, with its ``CARTE_`` variable."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, frozen=True, extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir, description="the data folder (CARTE_DATA_DIR)")
    database_url: str = Field("", description="the catalogue database; empty: the data folder's SQLite file "
                                             "(CARTE_DATABASE_URL, or `[connections.sql] url` in the secrets)")
    ephemeral_disk: bool = Field(False, description="this host wipes its disk at restart: no SQLite editing")
    tiles: str = Field(OSM_TILES, description="the tile server; `none` for none (CARTE_TILES)")
    geocoding: str = Field("online", description="`offline` keeps the app off the network (CARTE_GEOCODING)")
    ban_url: str = Field(BAN_URL, description="the national address service (CARTE_BAN_URL)")
    user_agent: str = Field("carte-des-possibles/0.1 (carte ESS Aix-Marseille-Provence)",
                            description="said to geocoders; Nominatim's policy asks for a contact")
    log_level: str = Field("INFO", description="the operator's log level (CARTE_LOG_LEVEL)")
    now: str = Field("", description="a fixed Paris time (ISO) for tests and demonstrations (CARTE_NOW)")
    staff_password_hash: str = Field("", description="the staff password's scrypt hash (`python -m geo "
                                                     "hash-password`)")
    staff_emails: Annotated[tuple[str, ...], NoDecode] = Field((), description="OpenID accounts of the staff, "
                                                                             "comma-separated")
    staff_domains: Annotated[tuple[str, ...], NoDecode] = Field((), description="e-mail domains of the staff")
    oidc: bool = Field(False, description="an `[auth]` section in the secrets: staff sign in with OpenID Connect")

    @field_validator("staff_emails", "staff_domains", mode="before")
    @classmethod
    def _listed(cls, value: Any) -> tuple[str, ...]:
        items = value.split(",") if isinstance(value, str) else list(value or ())
        return tuple(str(item).strip() for item in items if str(item).strip())

    @property
    def online(self) -> bool:
        """Whether the app may ask online geocoders (CARTE_GEOCODING is not `offline`)."""
        return self.geocoding.strip().lower() != "offline"

    @property
    def tile_url(self) -> str | None:
        """The tile server's URL template, None for no tiles at all."""
        value = self.tiles.strip()
        return None if value.lower() in {"", "none", "off"} else value


# The variables of the settings, looked up by name: a scan of the whole environment, decoded, on every call was
# a quarter of filling a new database at 220,000 initiatives (every row's year is checked against the clock).
_VARIABLES = tuple(PREFIX + name.upper() for name in Settings.model_fields)


def current(secrets: Mapping[str, Any] | None = None) -> Settings:
    """The settings now: read again when a ``CARTE_`` variable or a secret changed (tests, a reload)."""
    environment = tuple((name, os.environ.get(name)) for name in _VARIABLES)
    given = tuple(sorted((name, value) for name, value in (secrets or {}).items()
                         if name in Settings.model_fields and PREFIX + name.upper() not in os.environ))
    return _read(environment, given)


@lru_cache(maxsize=32)
def _read(environment: tuple, secrets: tuple) -> Settings:
    """Secrets are given as values for the fields the environment leaves unset (the environment wins)."""
    given = dict(secrets)
    try:
        return Settings(**given)
    except ValidationError as error:
        unread = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]}
        for name in sorted(unread):
            LOG.warning("réglage %s%s illisible : la valeur par défaut est utilisée", PREFIX, name.upper())
        defaults = {name: Settings.model_fields[name].get_default(call_default_factory=True) for name in unread}
        return Settings(**{**given, **defaults})


def use_paris_local_time() -> None:
    """Make Paris the process's local time zone (``TZ``). The V8 engine that reads opening hours
    (``geo/hours.py``) takes its calendar from it once, when it starts: sun times and holidays are then those
    of the métropole's clocks whatever the server's zone. Log timestamps follow."""
    os.environ["TZ"] = "Europe/Paris"
    time.tzset()
