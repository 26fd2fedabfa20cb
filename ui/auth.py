"""Staff sign-in, with Streamlit's own mechanisms: ``st.login`` (OpenID Connect) when an ``[auth]``
section is configured in secrets.toml, otherwise a staff password whose scrypt hash comes from the
secret ``staff_password_hash`` or the environment variable ``CARTE_STAFF_PASSWORD_HASH``. With neither,
editing is off."""

from __future__ import annotations

import os

import streamlit as st

from geo import logs
from geo.passwords import verify_password
from geo.signin import MAX_PASSWORD_LENGTH, Lockout, is_staff_email

LOG = logs.get("connexion")


@st.cache_resource(show_spinner=False)
def lockout() -> Lockout:
    """Failed sign-ins, counted for the whole server (a reload or a new session does not reset them)."""
    return Lockout()


def client_address() -> str:
    """The visitor's address when the deployment gives it (Streamlit's context), else one shared key."""
    try:
        address = st.context.ip_address
    except Exception:  # no request context (bare mode)
        address = None
    return address if isinstance(address, str) and address else "inconnu"


def _listed(name: str) -> list[str]:
    value = _secret(name) or os.environ.get(f"CARTE_{name.upper()}", "")
    return [v for v in (value.split(",") if isinstance(value, str) else list(value)) if v.strip()]


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
    """Signed in as staff: with OpenID Connect, only the accounts whose e-mail or domain is listed in
    ``staff_emails`` / ``staff_domains`` (secrets, or CARTE_STAFF_EMAILS / CARTE_STAFF_DOMAINS)."""
    if oidc_configured():
        return bool(getattr(st.user, "is_logged_in", False)) and is_staff_email(
            getattr(st.user, "email", None), _listed("staff_emails"), _listed("staff_domains"))
    return bool(st.session_state.get("staff_signed_in"))


def identity() -> str:
    """Who is signed in, as the catalogue's history records it: the e-mail with OpenID Connect, else the name
    given at sign-in (a shared password says nothing of who typed it)."""
    if oidc_configured():
        return str(getattr(st.user, "email", "") or "équipe")
    name = st.session_state.get("staff_name", "").strip()
    return f"{name} (mot de passe de l'équipe)" if name else "équipe (mot de passe partagé)"


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
    client = client_address()
    wait = lockout().wait(client)
    if wait > 0:
        st.error(f"Trop d'essais : réessayez dans {int(wait) + 1} s.")
        return
    with st.form("staff_sign_in"):
        password = st.text_input("Mot de passe de l'équipe", type="password", max_chars=MAX_PASSWORD_LENGTH)
        name = st.text_input("Votre prénom (pour l'historique des modifications)", max_chars=60)
        if not st.form_submit_button("Se connecter", icon=":material/login:"):
            return
    if len(password) <= MAX_PASSWORD_LENGTH and verify_password(password, password_hash()):
        lockout().succeeded(client)
        st.session_state.update(staff_signed_in=True, staff_name=name.strip())
        LOG.info("connexion de l'équipe réussie")
        st.rerun()
    lockout().failed(client)
    LOG.warning("connexion de l'équipe refusée (mot de passe incorrect)")  # never the password itself
    st.error("Mot de passe incorrect.")
