"""Staff sign-in, with Streamlit's own mechanisms: ``st.login`` (OpenID Connect) when an ``[auth]``
section is configured in secrets.toml, otherwise a staff password whose scrypt hash comes from the
secret ``staff_password_hash`` or the environment variable ``CARTE_STAFF_PASSWORD_HASH``. With neither,
editing is off."""

from __future__ import annotations

import os
import time

import streamlit as st

from geo.passwords import verify_password

MAX_TRIES = 5
PAUSE_SECONDS = 60


def _secret(name: str):
    try:
        return st.secrets.get(name)
    except Exception:  # no secrets.toml at all
        return None


def oidc_configured() -> bool:
    return bool(_secret("auth"))


def password_hash() -> str | None:
    return _secret("staff_password_hash") or os.environ.get("CARTE_STAFF_PASSWORD_HASH") or None


def signed_in() -> bool:
    if oidc_configured():
        return bool(getattr(st.user, "is_logged_in", False))
    return bool(st.session_state.get("staff_signed_in"))


def sign_out() -> None:
    if oidc_configured():
        st.logout()
    st.session_state["staff_signed_in"] = False


def sign_in_form() -> None:
    """The sign-in form, or how to turn editing on."""
    if oidc_configured():
        st.button("Se connecter", on_click=st.login, icon=":material/login:")
        return
    if password_hash() is None:
        st.info("L'édition est désactivée : aucune méthode de connexion n'est configurée. Voir le README, "
                "section « Contributions de l'équipe » : `[auth]` (OpenID Connect) ou `staff_password_hash` "
                "dans `.streamlit/secrets.toml`, ou la variable `CARTE_STAFF_PASSWORD_HASH`.")
        return
    paused_until = st.session_state.get("staff_paused_until", 0)
    if time.time() < paused_until:
        st.error(f"Trop d'essais : réessayez dans {int(paused_until - time.time()) + 1} s.")
        return
    with st.form("staff_sign_in"):
        password = st.text_input("Mot de passe de l'équipe", type="password")
        if not st.form_submit_button("Se connecter", icon=":material/login:"):
            return
    if verify_password(password, password_hash()):
        st.session_state.update(staff_signed_in=True, staff_failures=0)
        st.rerun()
    failures = st.session_state.get("staff_failures", 0) + 1
    st.session_state["staff_failures"] = failures
    if failures >= MAX_TRIES:
        st.session_state.update(staff_paused_until=time.time() + PAUSE_SECONDS, staff_failures=0)
    st.error("Mot de passe incorrect.")
