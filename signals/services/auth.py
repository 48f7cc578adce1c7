"""Authentication and loading the acting user (docs/privacy.md: argon2id, lockout, timeout)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, selectinload

from signals.db.models import Credential, User, utcnow
from signals.db.uow import run_write
from signals.domain import Role
from signals.errors import DomainError
from signals.services import audit
from signals.services.actor import Actor
from signals.services.login_throttle import THROTTLE
from signals.services.passwords import hash_password, needs_rehash, verify_password
from signals.services.plain_text import shown, text_problem
from signals.services.settings import security_settings

# One message for unknown users, wrong passwords and locked accounts: no account enumeration.
LOGIN_FAILED = "Inloggen mislukt: onbekende gebruikersnaam of onjuist wachtwoord, of het " \
               "account is tijdelijk geblokkeerd."
SSO_FAILED = "Inloggen mislukt: er is geen actief account gekoppeld aan dit e-mailadres. " \
             "Vraag de beheerder om uw account te koppelen."


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    lock_minutes: int = 15


@dataclass(frozen=True)
class LoginState:
    """What a UI session keeps checking: the actor, and a stamp that changes with the
    password, so a password change or reset ends every other session of that user."""

    actor: Actor
    stamp: str


class LoginFailedError(DomainError):
    pass


def lockout_policy(session: Session) -> LockoutPolicy:
    configured = security_settings(session)
    return LockoutPolicy(configured.max_failures, configured.lock_minutes)


def login(engine: Engine, username: str, password: str,
          now: datetime | None = None, source: str | None = None) -> Actor:
    """Check a password login; raises LoginFailedError with one message for every failure.

    The attempt is recorded (failure counter, lockout, audit) in its own committed
    transaction first, so a failed attempt is never rolled back with the error. `source`
    (IP address or browser session) feeds the per-source throttle.
    """
    actor = run_write(engine, lambda session: attempt_login(session, username, password,
                                                            now=now, source=source))
    if actor is None:
        raise LoginFailedError(LOGIN_FAILED)
    return actor


def attempt_login(session: Session, username: str, password: str,
                  policy: LockoutPolicy | None = None, now: datetime | None = None,
                  source: str | None = None) -> Actor | None:
    """Record one attempt and return the actor, or None. Never raises, so the caller's
    transaction keeps the failure count and the audit event."""
    now = now or utcnow()
    policy = policy or lockout_policy(session)
    if text_problem(username):  # PostgreSQL refuses a NUL even in a query parameter
        username = shown(username, 80)
    user = session.scalar(select(User).where(User.username == username.strip())
                          .options(selectinload(User.credential), selectinload(User.wijken)))
    if source is not None and THROTTLE.blocked(source, now, policy.max_failures,
                                               policy.lock_minutes):
        # Refused before the password is checked, and not counted against the account.
        verify_password(None, password)
        THROTTLE.failed(source, now)
        _audit_failure(session, username, user, throttled=True)
        return None
    if user is None or user.credential is None or not user.active:
        verify_password(None, password)
        _audit_failure(session, username, user)
        _count_failure(source, now)
        return None
    if not check_user_password(session, user, password, policy, now):
        _count_failure(source, now)
        return None
    credential = user.credential
    credential.last_login_at = now
    if credential.password_hash and needs_rehash(credential.password_hash):
        credential.password_hash = hash_password(password)
    actor = actor_from_user(user)
    audit.record(session, actor, "login", "user", user.id)
    return actor


def check_user_password(session: Session, user: User, password: str,
                        policy: LockoutPolicy | None = None, now: datetime | None = None,
                        action: str = "login_mislukt") -> bool:
    """Verify a known user's password under the lockout policy; failures are counted and
    audited as `action`. A locked account fails even with the right password."""
    now = now or utcnow()
    credential = user.credential
    if credential is None:
        return False
    if credential.locked_until and credential.locked_until > now:
        verify_password(None, password)  # same timing as any other failure
        _audit_failure(session, user.username, user, locked=True, action=action)
        return False
    if not verify_password(credential.password_hash, password):
        _register_failure(credential, policy or lockout_policy(session), now)
        _audit_failure(session, user.username, user, action=action)
        return False
    credential.failed_logins = 0
    credential.locked_until = None
    return True


def login_email(engine: Engine, email: str, now: datetime | None = None) -> Actor:
    actor = run_write(engine, lambda session: attempt_email_login(session, email, now))
    if actor is None:
        raise LoginFailedError(SSO_FAILED)
    return actor


def attempt_email_login(session: Session, email: str, now: datetime | None = None
                        ) -> Actor | None:
    """Map an identity the OIDC provider vouched for to our user; the role stays ours."""
    now = now or utcnow()
    address = email.strip().lower()
    user = session.scalar(select(User).join(Credential)
                          .where(func.lower(Credential.email) == address)
                          .options(selectinload(User.credential), selectinload(User.wijken)))
    if user is None or not user.active or user.credential is None:
        _audit_failure(session, address, user, method="oidc")
        return None
    user.credential.last_login_at = now
    actor = actor_from_user(user)
    audit.record(session, actor, "login", "user", user.id, {"methode": "oidc"})
    return actor


def _count_failure(source: str | None, now: datetime) -> None:
    if source is not None:
        THROTTLE.failed(source, now)


def _register_failure(credential: Credential, policy: LockoutPolicy, now: datetime) -> None:
    credential.failed_logins += 1
    if credential.failed_logins >= policy.max_failures:
        credential.locked_until = now + timedelta(minutes=policy.lock_minutes)
        credential.failed_logins = 0


def _audit_failure(session: Session, username: str, user: User | None,
                   locked: bool = False, method: str | None = None,
                   action: str = "login_mislukt", throttled: bool = False) -> None:
    anonymous = Actor(user_id=user.id if user else None, username=username[:80],
                      role=Role(user.role) if user else Role.SLEUTELFIGUUR)
    details: dict[str, object] = {"geblokkeerd": locked}
    if throttled:
        details["afgeremd"] = True  # too many failures from this source
    if method:
        details["methode"] = method
    audit.record(session, anonymous, action, "user", user.id if user else None, details)


def load_actor(session: Session, user_id: int) -> Actor | None:
    """Re-read the user on every request: role, scope and active flag come from the DB."""
    state = load_login(session, user_id)
    return None if state is None else state.actor


def load_login(session: Session, user_id: int) -> LoginState | None:
    user = session.get(User, user_id,
                       options=[selectinload(User.wijken), selectinload(User.credential)])
    if user is None or not user.active:
        return None
    return LoginState(actor_from_user(user), credential_stamp(user.credential))


def credential_stamp(credential: Credential | None) -> str:
    changed = credential.password_changed_at if credential else None
    return changed.isoformat() if changed else ""


def idle_expired(last_seen: float, now: float, idle_minutes: int) -> bool:
    """True when more than `idle_minutes` passed between two requests (monotonic seconds)."""
    return now - last_seen > idle_minutes * 60


def actor_from_user(user: User) -> Actor:
    return Actor(user_id=user.id, username=user.username, role=Role(user.role),
                 wijk_ids=frozenset(w.id for w in user.wijken))
