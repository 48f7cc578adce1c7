"""Login state for Streamlit.

A login is a row in the database (signals.services.user_sessions). The browser holds its
token in an HttpOnly cookie set by the session route (signals.ui.session_routes); every run
reads that cookie (`st.context.cookies`) and re-reads the user, their role and their wijken
from the database. Without the routes (AppTest, `streamlit run app.py`) the token lives only
in this server's session state. Writing a user id, a role or a timestamp into session state
therefore grants nothing: without a token issued by a login there is no user.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from urllib.parse import urlencode

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import get_script_run_ctx

from signals.db.models import utcnow
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.errors import DomainError
from signals.navigation import PAGES
from signals.services import auth, user_sessions
from signals.services.actor import Actor
from signals.services.settings import security_settings
from signals.services.user_sessions import SessionStatus
from signals.ui.resources import engine_or_stop
from signals.ui.session_routes import (
    BINDING_COOKIE,
    END_PATH,
    SESSION_COOKIE,
    START_PATH,
    safe_target,
)

TOKEN_KEY = "_auth_token"
NOTICE_KEY = "_auth_notice"
SOURCE_KEY = "_login_source"  # per-session throttle key when the IP address is unknown
TARGET_KEY = "_auth_target"  # the page (and query) asked for while logged out
REFUSED_KEY = "_auth_refused_cookie"  # a cookie already found dead in this browser session
IDLE_NOTICE = "U bent uitgelogd na {minutes} minuten zonder activiteit."
EXPIRED_NOTICE = "Uw login is verlopen na {hours} uur; log opnieuw in."
CHANGED_NOTICE = "Uw sessie is beëindigd: u bent uitgelogd, uw wachtwoord is gewijzigd, of " \
                 "uw rol of account is gewijzigd. Log opnieuw in."


def now() -> datetime:
    """The current UTC time; tests replace this to simulate idle time."""
    return utcnow()


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
    token = _token()
    if token is None:
        return None
    engine = engine_or_stop()
    moment = now()
    with read_session(engine) as session:
        result = user_sessions.check(session, token, moment)
        absolute_hours = security_settings(session).absolute_hours
    if result.status is SessionStatus.ACTIVE and result.login is not None:
        if result.needs_touch:
            run_write(engine, lambda session: user_sessions.touch(session, token, moment))
        return result.login.actor
    _forget(token)
    notices = {SessionStatus.IDLE: IDLE_NOTICE.format(minutes=result.idle_minutes),
               SessionStatus.EXPIRED: EXPIRED_NOTICE.format(hours=absolute_hours),
               SessionStatus.ENDED: CHANGED_NOTICE}
    if result.status in notices:
        st.session_state[NOTICE_KEY] = notices[result.status]
    return None


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


def refresh_login(actor: Actor, page: str = "account") -> None:
    """A new session for this browser after the user changed their own password (which
    ended all their sessions, this one too)."""
    st.session_state.pop(TOKEN_KEY, None)
    st.session_state[TARGET_KEY] = page
    _start(actor)


def remember_target(page_key: str) -> None:
    """Remember the page and query parameters the logged-out user opened (a deep link)."""
    query = urlencode(st.query_params.to_dict())
    target = safe_target(f"{page_key}?{query}" if query else page_key)
    st.session_state[TARGET_KEY] = target


def _start(actor: Actor) -> None:
    """A new session (never the old token: no fixation). With the session route, the
    browser is sent there to receive its cookie; otherwise the token stays server-side."""
    engine = engine_or_stop()
    binding = _cookie(BINDING_COOKIE)
    target = st.session_state.pop(TARGET_KEY, "")
    if binding is None:
        token = run_write(engine, lambda session: user_sessions.start_session(session, actor))
        if token:
            st.session_state[TOKEN_KEY] = token
        return
    code = run_write(engine, lambda session: user_sessions.begin_login(
        session, actor, binding, safe_target(target)))
    if code:
        _redirect(f"{START_PATH}?{urlencode({'code': code})}")
        st.stop()


def logout() -> None:
    token = _token()
    st.session_state.pop(TOKEN_KEY, None)
    if token is not None:
        run_write(engine_or_stop(), lambda session: user_sessions.revoke(session, token))
        _forget(token)
    sso = sso_email() is not None
    if _cookie(BINDING_COOKIE) is not None:
        # The route drops the cookie, and ends the identity provider's login too (or the
        # next visitor of this browser would be let in again without a password).
        _redirect(f"{END_PATH}?sso=1" if sso else END_PATH)
    elif sso:
        st.logout()


def _token() -> str | None:
    token = st.session_state.get(TOKEN_KEY)
    if isinstance(token, str):
        return token
    cookie = _cookie(SESSION_COOKIE)
    if cookie is None or cookie == st.session_state.get(REFUSED_KEY):
        return None
    return cookie


def _forget(token: str) -> None:
    st.session_state.pop(TOKEN_KEY, None)
    if token == _cookie(SESSION_COOKIE):
        st.session_state[REFUSED_KEY] = token


def _cookie(name: str) -> str | None:
    try:
        value = st.context.cookies.get(name)
    except Exception:  # noqa: BLE001 - no browser connection (bare script run)
        return None
    return value if isinstance(value, str) and value else None


def _redirect(path: str) -> None:
    """Send the browser to a server route (the same message st.login uses)."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    message = ForwardMsg()
    message.auth_redirect.url = f"/{base}{path}" if base else path
    ctx = get_script_run_ctx()
    if ctx is not None:
        ctx.enqueue(message)


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
