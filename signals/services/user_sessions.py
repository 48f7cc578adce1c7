"""Login sessions in the database, so any app server serves any request (docs/privacy.md).

The browser holds a random 256-bit token in an HttpOnly cookie; the database holds only its
SHA-256. A login is made in two steps because a Streamlit run cannot set a cookie:

1. the login form checks the password and calls `begin_login`, which stores a pending
   session with a one-time code (valid `HANDOFF_SECONDS`) bound to the browser's binding
   cookie;
2. the browser is sent to the session route, which calls `redeem`: the code is spent, a new
   token is issued and the route sets it as the cookie.

A session ends on logout, when idle for longer than the idle timeout, at its absolute
lifetime, and when the user's password, role or active flag changes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from signals.db.models import UserSession, utcnow
from signals.services.actor import Actor, authorise
from signals.services.auth import LoginState, load_login
from signals.services.settings import security_settings

TOKEN_BYTES = 32  # 256 bits
HANDOFF_SECONDS = 120
TOUCH_SECONDS = 60  # last-seen is written at most once a minute per session
KEEP_ENDED_DAYS = 1


class SessionStatus(StrEnum):
    ACTIVE = "active"
    IDLE = "idle"  # idle timeout passed
    EXPIRED = "expired"  # absolute lifetime passed
    ENDED = "ended"  # logged out, or revoked by a password, role or active-flag change
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SessionCheck:
    status: SessionStatus
    login: LoginState | None = None
    idle_minutes: int = 0
    needs_touch: bool = False


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def begin_login(session: Session, actor: Actor, binding: str, target: str,
                now: datetime | None = None) -> str:
    """A pending session for `actor`, redeemable once by the browser holding `binding`.
    Returns the one-time code (only its hash is stored)."""
    now = now or utcnow()
    row = _new_row(session, actor, now)
    if row is None:
        return ""
    code = new_token()
    row.handoff_hash = hash_token(code)
    row.binding_hash = hash_token(binding)
    row.target = target
    row.idle_expires_at = row.absolute_expires_at = now + timedelta(seconds=HANDOFF_SECONDS)
    return code


def redeem(session: Session, code: str, binding: str, previous_token: str | None = None,
           now: datetime | None = None) -> tuple[str, str] | None:
    """Spend a one-time code: (new session token, target path), or None when the code is
    unknown, spent, expired or was issued to another browser (login CSRF)."""
    now = now or utcnow()
    row = session.scalar(select(UserSession).where(UserSession.handoff_hash == hash_token(code))
                         .with_for_update())
    if row is None:
        return None
    row.handoff_hash = None  # spent, whatever happens next
    valid = (not row.revoked and row.idle_expires_at > now and row.binding_hash is not None
             and secrets.compare_digest(row.binding_hash, hash_token(binding)))
    row.binding_hash = None
    if not valid or _changed(session, row) is not None:
        row.revoked = True
        return None
    if previous_token:
        revoke(session, previous_token)  # a login replaces this browser's old session
    token = new_token()
    _activate(session, row, token, now)
    return token, row.target


def start_session(session: Session, actor: Actor, now: datetime | None = None) -> str:
    """A session without the cookie step, for a run that has no session route (AppTest,
    `streamlit run app.py`): the token then lives only in the server's session state."""
    now = now or utcnow()
    row = _new_row(session, actor, now)
    if row is None:
        return ""
    token = new_token()
    _activate(session, row, token, now)
    return token


def check(session: Session, token: str | None, now: datetime | None = None) -> SessionCheck:
    """The session behind a token, read-only. The caller writes `touch` when asked to."""
    if not token:
        return SessionCheck(SessionStatus.UNKNOWN)
    now = now or utcnow()
    row = session.scalar(select(UserSession).where(UserSession.token_hash == hash_token(token)))
    if row is None:
        return SessionCheck(SessionStatus.UNKNOWN)
    idle_minutes = security_settings(session).idle_minutes
    if row.revoked:
        return SessionCheck(SessionStatus.ENDED, idle_minutes=idle_minutes)
    if row.absolute_expires_at <= now:
        return SessionCheck(SessionStatus.EXPIRED, idle_minutes=idle_minutes)
    if row.idle_expires_at <= now:
        return SessionCheck(SessionStatus.IDLE, idle_minutes=idle_minutes)
    login = load_login(session, row.user_id)
    if login is None or login.stamp != row.stamp or login.actor.role.value != row.role:
        return SessionCheck(SessionStatus.ENDED, idle_minutes=idle_minutes)
    stale = (now - row.last_seen_at).total_seconds() >= TOUCH_SECONDS
    return SessionCheck(SessionStatus.ACTIVE, login, idle_minutes, needs_touch=stale)


def touch(session: Session, token: str, now: datetime | None = None) -> None:
    """Record activity: the idle timeout starts again (never past the absolute lifetime)."""
    now = now or utcnow()
    row = session.scalar(select(UserSession).where(UserSession.token_hash == hash_token(token)))
    if row is None or row.revoked or row.idle_expires_at <= now:
        return
    row.last_seen_at = now
    idle = timedelta(minutes=security_settings(session).idle_minutes)
    row.idle_expires_at = min(now + idle, row.absolute_expires_at)


def revoke(session: Session, token: str) -> None:
    session.execute(update(UserSession).where(UserSession.token_hash == hash_token(token))
                    .values(revoked=True))


def revoke_user_sessions(session: Session, user_id: int) -> int:
    """End every session of a user (password change, disabling, role change)."""
    result = session.execute(update(UserSession).where(UserSession.user_id == user_id,
                                                       UserSession.revoked.is_(False))
                             .values(revoked=True))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def purge_ended(session: Session, now: datetime | None = None) -> int:
    """Delete sessions that ended more than a day ago; they can never be used again."""
    cutoff = (now or utcnow()) - timedelta(days=KEEP_ENDED_DAYS)
    result = session.execute(delete(UserSession).where(or_(
        UserSession.absolute_expires_at < cutoff, UserSession.idle_expires_at < cutoff,
        (UserSession.revoked.is_(True)) & (UserSession.last_seen_at < cutoff))))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _new_row(session: Session, actor: Actor, now: datetime) -> UserSession | None:
    actor = authorise(session, actor)  # the account as it is now: enabled, same role
    assert actor.user_id is not None
    login = load_login(session, actor.user_id)
    if login is None:
        return None
    purge_ended(session, now)
    row = UserSession(user_id=actor.user_id, role=login.actor.role.value, stamp=login.stamp,
                      created_at=now, last_seen_at=now, idle_expires_at=now,
                      absolute_expires_at=now, revoked=False, target="/")
    session.add(row)
    return row


def _activate(session: Session, row: UserSession, token: str, now: datetime) -> None:
    configured = security_settings(session)
    row.token_hash = hash_token(token)
    row.created_at = row.last_seen_at = now
    row.absolute_expires_at = now + timedelta(hours=configured.absolute_hours)
    row.idle_expires_at = min(now + timedelta(minutes=configured.idle_minutes),
                              row.absolute_expires_at)
    session.flush()


def _changed(session: Session, row: UserSession) -> str | None:
    login = load_login(session, row.user_id)
    if login is None:
        return "inactive"
    if login.stamp != row.stamp or login.actor.role.value != row.role:
        return "changed"
    return None
