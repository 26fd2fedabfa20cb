"""The app's settings: ``geo.settings`` with Streamlit's secrets under the environment (``staff_password_hash``,
``staff_emails``, ``staff_domains``, ``[connections.sql] url`` and whether an ``[auth]`` section exists)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from geo import settings as base
from geo.settings import Settings


def current() -> Settings:
    """The settings of this run."""
    return base.current(_secrets())


def _secrets() -> dict[str, Any]:
    try:
        secrets = st.secrets.to_dict()
    except Exception:  # no secrets.toml at all
        return {}
    given = {name: secrets[name] for name in ("staff_password_hash", "staff_emails", "staff_domains")
             if secrets.get(name)}
    url = secrets.get("connections", {}).get("sql", {}).get("url")
    if url:
        given["database_url"] = str(url)
    if secrets.get("auth"):
        given["oidc"] = True
    return {name: tuple(value) if isinstance(value, list) else value for name, value in given.items()}
