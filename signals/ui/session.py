"""Login state for Streamlit.

Session state holds only a random login token. The token maps to a server-side record
(user id, password stamp, last activity) in this process; everything else (role, wijken,
active flag) is re-read from the database on every run. Writing a user id, a role or a
timestamp into session state therefore grants nothing: without a token issued by
`login()` there is no user.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

import streamlit as st

from signals.db.uow import read_session
from signals.domain import Role
from signals.errors import DomainError
from signals.navigation import PAGES
from signals.services import auth
from signals.services.actor import Actor
from signals.services.auth import idle_expired, load_login
from signals.services.settings import security_settings
from signals.ui.resources import engine_or_stop

TOKEN_KEY = "_auth_token"
NOTICE_KEY = "_auth_notice"
SOURCE_KEY = "_login_source"  # per-session throttle key when the IP address is unknown
IDLE_NOTICE = "U bent uitgelogd na {minutes} minuten zonder activiteit."
CHANGED_NOTICE = "Uw wachtwoord is gewijzigd; log opnieuw in."


@dataclass
class _Login:
    user_id: int
    stamp: str
    last_seen: float


@dataclass
class _LoginStore:
    logins: dict[str, _Login] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


@st.cache_resource
def _store() -> _LoginStore:
    """One store per server process. A cached resource, not a module global: Streamlit
    re-imports project modules when a source file changes, which would log everyone out."""
    return _LoginStore()


def clock() -> float:
    """Monotonic seconds; tests replace this to simulate idle time."""
    return time.monotonic()


def current_actor() -> Actor:
    """The logged-in user, re-read from the database; stops the page if there is none."""
    actor = optional_actor()
    if actor is None:
        notice = st.session_state.get(NOTICE_KEY)
        st.warning(f"{notice} Log in om verder te gaan." if isinstance(notice, str)
                   else "Log in om verder te gaan.")
        st.stop()
    return actor  # type: ignore[return-value]  # st.stop() does not return


def require_role(*roles: Role) -> Actor:
    """The logged-in user if they have one of `roles`; otherwise a message and stop.

    Only a courtesy for pages reached by URL: the services check the role again.
    """
    actor = current_actor()
    if actor.role not in roles:
        st.error("U heeft geen toegang tot deze pagina.")
        st.stop()
    return actor


def require_page(key: str) -> Actor:
    """The logged-in user if the page registry allows their role on page `key`."""
    return require_role(*PAGES[key].roles)


def optional_actor() -> Actor | None:
    token = st.session_state.get(TOKEN_KEY)
    store = _store()
    with store.lock:
        record = store.logins.get(token) if isinstance(token, str) else None
    if record is None:
        st.session_state.pop(TOKEN_KEY, None)
        return None
    with read_session(engine_or_stop()) as session:
        idle_minutes = security_settings(session).idle_minutes
        state = load_login(session, record.user_id)
    now = clock()
    if idle_expired(record.last_seen, now, idle_minutes):
        logout()
        st.session_state[NOTICE_KEY] = IDLE_NOTICE.format(minutes=idle_minutes)
        return None
    if state is None or state.stamp != record.stamp:
        logout()
        if state is not None:
            st.session_state[NOTICE_KEY] = CHANGED_NOTICE
        return None
    record.last_seen = now
    return state.actor


def login(username: str, password: str) -> str | None:
    """Log in with a password; returns a Dutch error message, or None on success."""
    try:
        actor = auth.login(engine_or_stop(), username, password, source=_login_source())
    except DomainError as exc:
        return str(exc)
    _start(actor)
    return None


def _login_source() -> str:
    """Who is trying, for the login throttle: the IP address, else this browser session."""
    address = st.context.ip_address
    if address:
        return f"ip:{address}"
    token = st.session_state.setdefault(SOURCE_KEY, secrets.token_hex(16))
    return f"sessie:{token}"


def login_with_email(email: str) -> str | None:
    """Log in an identity verified by the OIDC provider (st.login); None on success."""
    try:
        actor = auth.login_email(engine_or_stop(), email)
    except DomainError as exc:
        return str(exc)
    _start(actor)
    return None


def refresh_login(actor: Actor) -> None:
    """Keep this session after the user changed their own password (others end)."""
    logout()
    _start(actor)


def _start(actor: Actor) -> None:
    assert actor.user_id is not None
    with read_session(engine_or_stop()) as session:
        state = load_login(session, actor.user_id)
    if state is None:
        return
    _prune()
    token = secrets.token_urlsafe(32)
    store = _store()
    with store.lock:
        store.logins[token] = _Login(actor.user_id, state.stamp, clock())
    st.session_state[TOKEN_KEY] = token


def logout() -> None:
    token = st.session_state.pop(TOKEN_KEY, None)
    if isinstance(token, str):
        store = _store()
        with store.lock:
            store.logins.pop(token, None)
    _prune()
    if sso_email() is not None:
        # End the identity provider's cookie too, or the next visitor of this browser
        # would be let in again without a password.
        st.logout()


def _prune(max_idle_seconds: float = 24 * 3600) -> None:
    """Drop abandoned logins (closed tabs never log out) so the table cannot grow forever."""
    now, store = clock(), _store()
    with store.lock:
        for token in [t for t, r in store.logins.items() if now - r.last_seen > max_idle_seconds]:
            del store.logins[token]


def sso_configured() -> bool:
    """True when an OIDC provider is configured in the `[auth]` section of the secrets."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all means no SSO
        return False


def sso_email() -> str | None:
    """The verified e-mail address of the identity provider's user, if any."""
    if not sso_configured():
        return None
    info = st.user
    if not info.get("is_logged_in") or info.get("email_verified") is False:
        return None
    email = info.get("email")
    return email if isinstance(email, str) and "@" in email else None
