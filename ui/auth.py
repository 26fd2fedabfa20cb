"""Staff sign-in, with Streamlit's own mechanisms: ``st.login`` (OpenID Connect) when an ``[auth]``
section is configured in secrets.toml, otherwise a staff password whose scrypt hash comes from the
secret ``staff_password_hash`` or the environment variable ``CARTE_STAFF_PASSWORD_HASH``. With neither,
editing is off. A password sign-in holds only on the connection it was made on, or in the browser that keeps
its cookie (``geo.signin.StaffPass``): knowing a session's id is not enough to join it."""

from __future__ import annotations

import html
import time

import streamlit as st

from geo import logs
from geo.passwords import MAX_PASSWORD_LENGTH, verify_password
from geo.signin import EXPIRED, IDLE, OTHER_CONNECTION, VALID, Refused, SignInGate, StaffPass, is_staff_email
from ui import settings

LOG = logs.get("connexion")
IDLE_MINUTES = 30  # OWASP ASVS 3.3.2 (level 2): signed out after 30 min without activity, 12 h at most
LIFETIME_HOURS = 12
_PASS = "staff_pass"
_clock = time.monotonic  # durations of a sign-in (never the wall clock: it jumps)


@st.cache_resource(show_spinner=False)
def lockout() -> SignInGate:
    """Failed sign-ins and password checks, counted for the whole server (a reload or a new session does not
    reset them)."""
    return SignInGate()


def client_address() -> str:
    """The visitor's address as the server sees it: the connection's, or behind a proxy the one the proxy
    writes in ``X-Forwarded-For`` (trusted only from ``FORWARDED_ALLOW_IPS``; see docs/securite.md), else one
    shared key."""
    try:
        address = st.context.ip_address
    except Exception:  # no request context (bare mode)
        address = None
    return address if isinstance(address, str) and address else "inconnu"


def _connection() -> str:
    """This run's connection: the key of its websocket handshake, new at every connection and never in a URL
    (empty without a browser, under AppTest)."""
    try:
        return str(st.context.headers.get("Sec-Websocket-Key") or "")
    except Exception:  # no request context (bare mode)
        return ""


def _cookies():
    try:
        return st.context.cookies
    except Exception:
        return {}


def oidc_configured() -> bool:
    return settings.current().oidc


def password_hash() -> str | None:
    return settings.current().staff_password_hash or None


def signed_in() -> bool:
    """Signed in as staff: with OpenID Connect, only the accounts whose e-mail or domain is listed in
    ``staff_emails`` / ``staff_domains`` (secrets, or CARTE_STAFF_EMAILS / CARTE_STAFF_DOMAINS) and whose
    e-mail the provider verified; with the password, a pass valid on this connection (see the module)."""
    staff = settings.current()
    if staff.oidc:
        user = st.user
        return bool(getattr(user, "is_logged_in", False)) and is_staff_email(
            getattr(user, "email", None), list(staff.staff_emails), list(staff.staff_domains),
            verified=user.get("email_verified"))
    staff_pass = st.session_state.get(_PASS)
    if not isinstance(staff_pass, StaffPass):  # a crafted widget value is never a pass
        return False
    verdict, staff_pass = staff_pass.check(connection=_connection(), cookies=_cookies(), now=_clock(),
                                           idle=IDLE_MINUTES * 60, lifetime=LIFETIME_HOURS * 3600)
    if verdict == VALID:
        st.session_state[_PASS] = staff_pass
        return True
    if verdict == OTHER_CONNECTION:
        LOG.warning("session de l'équipe rejointe par une autre connexion, sans le cookie de la connexion : refusée")
        return False
    del st.session_state[_PASS]
    st.session_state["staff_signed_out"] = verdict
    LOG.info("session de l'équipe terminée (%s)", verdict)
    return False


def keep_in_browser() -> None:
    """Hand the signed-in browser its pass's cookie (``ui/static/page.js`` sets it), renewed at every run to
    last as long as the idle timeout; only a run that ``signed_in`` accepted gets here."""
    staff_pass = st.session_state.get(_PASS)
    if isinstance(staff_pass, StaffPass):
        st.html(f'<div data-carte-cookie="{html.escape(staff_pass.cookie)}={html.escape(staff_pass.secret)}" '
                f'data-carte-cookie-age="{IDLE_MINUTES * 60}" hidden></div>')


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
    st.session_state.pop(_PASS, None)


def _signed_out_message() -> None:
    reason = st.session_state.pop("staff_signed_out", None)
    if reason == IDLE:
        st.warning(f"Vous avez été déconnecté·e après {IDLE_MINUTES} min sans activité : reconnectez-vous.")
    elif reason == EXPIRED:
        st.warning(f"Une connexion dure {LIFETIME_HOURS} h au plus : reconnectez-vous.")


def sign_in_form() -> None:
    """The sign-in form, or how to turn editing on."""
    if oidc_configured():
        if getattr(st.user, "is_logged_in", False) and st.user.get("email_verified") not in (True, "true"):
            st.warning("Votre fournisseur d'identité ne confirme pas votre adresse e-mail : l'édition reste fermée.")
        st.button("Se connecter", on_click=st.login, icon=":material/login:")
        return
    if password_hash() is None:
        st.info("L'édition est désactivée : aucune méthode de connexion n'est configurée. Voir docs/equipe.md, "
                "section « Contributions de l'équipe » : `[auth]` (OpenID Connect) ou `staff_password_hash` "
                "dans `.streamlit/secrets.toml`, ou la variable `CARTE_STAFF_PASSWORD_HASH`.")
        return
    _signed_out_message()
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
    try:
        lockout().admit(client)  # recorded before the check; may wait its turn in the server's queue
    except Refused as refused:
        if refused.server:
            LOG.warning("connexion de l'équipe différée : file des vérifications pleine")
            st.error(f"Beaucoup de tentatives de connexion en ce moment : réessayez dans {int(refused.seconds) + 1} s.")
        else:
            st.error(f"Trop d'essais : réessayez dans {int(refused.seconds) + 1} s.")
        return
    if verify_password(password, password_hash()):
        lockout().succeeded(client)
        st.session_state.update({_PASS: StaffPass.issue(_connection(), _clock()), "staff_name": name.strip()})
        LOG.info("connexion de l'équipe réussie")
        st.rerun()
    LOG.warning("connexion de l'équipe refusée (mot de passe incorrect)")  # never the password itself
    st.error("Mot de passe incorrect.")
