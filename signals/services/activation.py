"""One-time activation codes: a new key figure sets their own password with one.

A code is 16 random characters (about 80 bits) from an alphabet without look-alikes,
shown once to the coordinator who issued it, and stored only as its SHA-256 (the code is
random, so a slow hash adds nothing). It is valid for 7 days and for one use; issuing a new
one withdraws the old ones. No password is ever mailed or shown: the key figure chooses it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from signals.db.models import ActivationCode, User, utcnow
from signals.domain import Role
from signals.errors import FieldError, ValidationError
from signals.services import audit
from signals.services.auth import actor_from_user
from signals.services.plain_text import text_problem
from signals.services.user_sessions import revoke_user_sessions
from signals.services.users import password_problems, store_password

VALID_FOR = timedelta(days=7)
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed on a phone
LENGTH = 16
INVALID = ("Deze activatiecode is onbekend, al gebruikt of verlopen. Vraag uw coördinator om "
           "een nieuwe code.")


@dataclass(frozen=True)
class IssuedCode:
    username: str
    code: str  # shown once; never stored
    expires_at: datetime


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, LENGTH, 4))


def normalise_code(code: str) -> str:
    """What the person typed, as issued: case, spaces and dashes do not matter."""
    plain = "".join(c for c in code.upper() if c.isalnum())
    return "-".join(plain[i:i + 4] for i in range(0, len(plain), 4))


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode("ascii", "replace")).hexdigest()


def issue_code(session: Session, user: User, issuer_id: int | None,
               now: datetime | None = None) -> IssuedCode:
    """A fresh code for `user`; earlier unused codes stop working. Callers authorise first."""
    now = now or utcnow()
    withdraw_codes(session, user.id, now)
    code = new_code()
    session.add(ActivationCode(user_id=user.id, code_hash=code_hash(code), created_at=now,
                               expires_at=now + VALID_FOR, created_by_id=issuer_id))
    return IssuedCode(user.username, code, now + VALID_FOR)


def withdraw_codes(session: Session, user_id: int, now: datetime) -> None:
    session.execute(update(ActivationCode)
                    .where(ActivationCode.user_id == user_id, ActivationCode.used_at.is_(None))
                    .values(used_at=now).execution_options(synchronize_session=False))


def activate(session: Session, code: str, new_password: str, repeat: str,
             now: datetime | None = None) -> str:
    """Set the key figure's own password with a valid code; returns their username.

    No login is needed (that is the point); the code is the proof. Every failure gives the
    same message, so a guess learns nothing about which codes exist.
    """
    now = now or utcnow()
    if not code.strip() or text_problem(code):
        raise ValidationError([FieldError("code", INVALID)])
    row = session.scalar(select(ActivationCode).where(
        ActivationCode.code_hash == code_hash(code)).with_for_update())
    user = session.get(User, row.user_id, options=[selectinload(User.credential),
                                                    selectinload(User.wijken)]) if row else None
    if row is None or user is None or row.used_at is not None or row.expires_at <= now \
            or not user.active or user.role != Role.SLEUTELFIGUUR:
        raise ValidationError([FieldError("code", INVALID)])
    errors = [FieldError("new_password", p) for p in password_problems(new_password,
                                                                         user.username)]
    if new_password != repeat:
        errors.append(FieldError("repeat", "komt niet overeen"))
    if errors:
        raise ValidationError(errors)
    store_password(user, new_password)
    row.used_at = now
    withdraw_codes(session, user.id, now)
    revoke_user_sessions(session, user.id)
    audit.record(session, actor_from_user(user), "account_geactiveerd", "user", user.id,
                 {"gebruikersnaam": user.username})
    return user.username
