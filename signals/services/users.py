"""User administration (beheerder) and changing one's own password; every change audited."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, selectinload

from signals.db.models import Credential, User, Wijk, utcnow
from signals.db.uow import run_write
from signals.domain import REPORTER_ROLES, ROLE_LABELS, Role
from signals.errors import FieldError, NotFoundError, PermissionDeniedError, ValidationError
from signals.services import audit
from signals.services.actor import Actor, authorise
from signals.services.auth import check_user_password
from signals.services.passwords import hash_password
from signals.services.plain_text import shown, text_problem
from signals.services.user_sessions import revoke_user_sessions
from signals.services.username_policy import (
    look_alike,
    look_alike_message,
    normalise_username,
    username_problems,
)

EMAIL_PATTERN = re.compile(r"^[^@\s<>()\[\]\\,;:\"]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$")
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
WIJK_ROLES = (Role.SLEUTELFIGUUR, Role.COORDINATOR)  # roles scoped to assigned wijken
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s", "!": "i"})
_EDGE_NOISE = re.compile(r"^[\W\d_]+|[\W\d_]+$")


# --- password policy -----------------------------------------------------------------------

@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines
                     if line.strip() and not line.startswith("#"))


def password_problems(password: str, username: str | None = None) -> list[str]:
    """Every reason this password is refused (Dutch); empty when it is acceptable."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"moet minstens {MIN_PASSWORD_LENGTH} tekens lang zijn")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"mag hoogstens {MAX_PASSWORD_LENGTH} tekens lang zijn")
    if _is_common(password):
        problems.append("is te voorspelbaar (komt voor in een lijst van veelgebruikte "
                        "wachtwoorden); kies bijvoorbeeld een zin van enkele woorden")
    elif len(set(password)) < 4:
        problems.append("bevat te weinig verschillende tekens")
    if username and len(username) >= 3 and username.lower() in password.lower():
        problems.append("mag de gebruikersnaam niet bevatten")
    return problems


def _is_common(password: str) -> bool:
    lowered = password.strip().lower()
    candidates = {lowered, lowered.translate(_LEET)}
    candidates |= {_EDGE_NOISE.sub("", c) for c in list(candidates)}
    candidates |= {_EDGE_NOISE.sub("", lowered).translate(_LEET)}
    listed = common_passwords()
    return any(c in listed for c in candidates if c) or _is_repeat_of_common(candidates)


def _is_repeat_of_common(candidates: set[str]) -> bool:
    """'welkomwelkomwelkom' or 'qwertyqwerty': a listed word repeated."""
    listed = common_passwords()
    return any(_repeated_unit(c) in listed or len(_repeated_unit(c)) <= 3
               for c in candidates if c and _repeated_unit(c) != c)


def _repeated_unit(text: str) -> str:
    """The shortest string that, repeated, gives `text` ('abab' -> 'ab')."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return text[:size]
    return text


def check_password(password: str, username: str | None,
                   field: str = "Nieuw wachtwoord") -> None:
    problems = password_problems(password, username)
    if problems:
        raise ValidationError([FieldError(field, p) for p in problems])


# --- queries -------------------------------------------------------------------------------

def list_users(session: Session, actor: Actor) -> pd.DataFrame:
    """All accounts for the beheerder; never password hashes."""
    actor = authorise(session, actor, Role.BEHEERDER)
    users = session.scalars(select(User).order_by(User.username).options(
        selectinload(User.wijken), selectinload(User.credential)))
    now = utcnow()
    rows = []
    for user in users:
        credential = user.credential
        locked = credential is not None and credential.locked_until is not None \
            and credential.locked_until > now
        rows.append({
            "gebruikersnaam": user.username,
            "rol": ROLE_LABELS[Role(user.role)],
            "rol_type": REPORTER_ROLES.get(user.reporter_role or "", user.reporter_role or ""),
            "wijken": ", ".join(w.code for w in user.wijken),
            "actief": user.active,
            "kan_inloggen": bool(credential and (credential.password_hash or credential.email)),
            "geblokkeerd": locked,
            "sso_email": (credential.email if credential else None) or "",
            "laatst_ingelogd": credential.last_login_at if credential else None,
        })
    columns = ["gebruikersnaam", "rol", "rol_type", "wijken", "actief", "kan_inloggen",
               "geblokkeerd", "sso_email", "laatst_ingelogd"]
    return pd.DataFrame(rows, columns=columns)


def usernames(session: Session, actor: Actor) -> list[str]:
    actor = authorise(session, actor, Role.BEHEERDER)
    return list(session.scalars(select(User.username).order_by(User.username)))


def user_wijk_codes(session: Session, actor: Actor, username: str) -> list[str]:
    actor = authorise(session, actor, Role.BEHEERDER)
    return [w.code for w in get_user(session, username).wijken]


# --- changes (beheerder) -------------------------------------------------------------------

def add_user(session: Session, actor: Actor, username: str, role: Role | str,
             password: str | None, wijk_codes: Iterable[str] = (),
             reporter_role: str | None = None, email: str | None = None) -> int:
    actor = authorise(session, actor, Role.BEHEERDER)
    username = normalise_username(username)
    errors = username_errors(session, username)
    role_value = _parse_role(role, errors)
    reporter_role = (reporter_role or "").strip() or None
    email = normalise_email(email, errors)
    wijken = _wijken_for(session, role_value, list(wijk_codes), errors)
    errors += reporter_role_errors(role_value, reporter_role)
    if password is not None:
        errors += [FieldError("Wachtwoord", p) for p in password_problems(password, username)]
    if email and session.scalar(select(Credential).where(func.lower(Credential.email) == email)):
        errors.append(FieldError("E-mail", "is al gekoppeld aan een ander account"))
    if errors:
        raise ValidationError(errors)
    user = User(username=username, role=role_value.value, reporter_role=reporter_role,
                active=True, wijken=wijken)
    user.credential = Credential(
        password_hash=hash_password(password) if password is not None else None,
        password_changed_at=utcnow() if password is not None else None, email=email)
    session.add(user)
    session.flush()
    audit.record(session, actor, "gebruiker_toegevoegd", "user", user.id, {
        "gebruikersnaam": username, "rol": role_value.value, "rol_type": reporter_role,
        "wijken": [w.code for w in wijken], "wachtwoord": password is not None,
        "sso": email is not None})
    return user.id


def disable_user(session: Session, actor: Actor, username: str) -> None:
    _set_active(session, actor, username, False)


def enable_user(session: Session, actor: Actor, username: str) -> None:
    _set_active(session, actor, username, True)


def _set_active(session: Session, actor: Actor, username: str, active: bool) -> None:
    actor = authorise(session, actor, Role.BEHEERDER)
    user = get_user(session, username)
    if not active and user.id == actor.user_id:
        raise PermissionDeniedError("U kunt uw eigen account niet uitschakelen.")
    if not active and user.role == Role.BEHEERDER and user.active \
            and _active_beheerders(session) <= 1:
        raise PermissionDeniedError("Dit is de laatste actieve beheerder; schakel eerst een "
                                    "andere beheerder in.")
    if user.active == active:
        return
    user.active = active
    # The network counts a key figure from when they were (re-)enabled until they left.
    user.deactivated_at = None if active else utcnow()
    if active:
        user.active_since = utcnow()
    else:
        revoke_user_sessions(session, user.id)
    audit.record(session, actor, "gebruiker_ingeschakeld" if active else
                 "gebruiker_uitgeschakeld", "user", user.id, {"gebruikersnaam": user.username})


def assign_wijken(session: Session, actor: Actor, username: str,
                  wijk_codes: Iterable[str]) -> None:
    actor = authorise(session, actor, Role.BEHEERDER)
    user = get_user(session, username)
    errors: list[FieldError] = []
    wijken = _wijken_for(session, Role(user.role), list(wijk_codes), errors)
    if errors:
        raise ValidationError(errors)
    old = [w.code for w in user.wijken]
    user.wijken = wijken
    audit.record(session, actor, "wijken_toegewezen", "user", user.id, {
        "gebruikersnaam": user.username, "oud": old, "nieuw": [w.code for w in wijken]})


def reset_password(session: Session, actor: Actor, username: str, new_password: str) -> None:
    """Set a new password for someone else; ends their sessions and lifts a lockout."""
    actor = authorise(session, actor, Role.BEHEERDER)
    user = get_user(session, username)
    check_password(new_password, user.username)
    store_password(user, new_password)
    revoke_user_sessions(session, user.id)
    audit.record(session, actor, "wachtwoord_gereset", "user", user.id,
                 {"gebruikersnaam": user.username})


def set_email(session: Session, actor: Actor, username: str, email: str | None) -> None:
    """Link (or unlink, with None) the e-mail address an OIDC login is mapped by."""
    actor = authorise(session, actor, Role.BEHEERDER)
    user = get_user(session, username)
    errors: list[FieldError] = []
    address = normalise_email(email, errors)
    if address and session.scalar(select(Credential).where(
            func.lower(Credential.email) == address, Credential.user_id != user.id)):
        errors.append(FieldError("E-mail", "is al gekoppeld aan een ander account"))
    if errors:
        raise ValidationError(errors)
    if user.credential is None:
        user.credential = Credential()
    user.credential.email = address
    audit.record(session, actor, "sso_gekoppeld" if address else "sso_ontkoppeld", "user",
                 user.id, {"gebruikersnaam": user.username})


def change_role(session: Session, actor: Actor, username: str, role: Role | str) -> None:
    """Give a user another role; their sessions end, so the new role applies from the next
    login. Wijken stay as they are (a manager or beheerder sees all anyway)."""
    actor = authorise(session, actor, Role.BEHEERDER)
    user = get_user(session, username)
    errors: list[FieldError] = []
    new_role = _parse_role(role, errors)
    if errors:
        raise ValidationError(errors)
    if new_role.value == user.role:
        return
    if user.role == Role.BEHEERDER and user.active and _active_beheerders(session) <= 1:
        raise PermissionDeniedError("Dit is de laatste actieve beheerder; maak eerst een "
                                    "andere gebruiker beheerder.")
    old, user.role = user.role, new_role.value
    revoke_user_sessions(session, user.id)
    audit.record(session, actor, "rol_gewijzigd", "user", user.id,
                 {"gebruikersnaam": user.username, "oud": old, "nieuw": new_role.value})


# --- own account ---------------------------------------------------------------------------

def change_own_password(engine: Engine, actor: Actor, current: str, new: str,
                        repeat: str) -> None:
    """Any logged-in user, with their current password.

    Takes the engine, not a session: a wrong current password counts as a failed login
    (lockout, audit) and that record must be committed, while the error is still raised.
    """
    if actor.user_id is None:
        raise PermissionDeniedError("Alleen een ingelogde gebruiker kan het eigen wachtwoord "
                                    "wijzigen.")
    errors = run_write(engine, lambda session: _change_own_password(session, actor, current,
                                                                    new, repeat))
    if errors:
        raise ValidationError(errors)


def _change_own_password(session: Session, actor: Actor, current: str, new: str,
                         repeat: str) -> list[FieldError]:
    user = session.get(User, actor.user_id, options=[selectinload(User.credential)])
    if user is None or not user.active:
        raise PermissionDeniedError("Uw account is niet (meer) actief.")
    if not check_user_password(session, user, current, action="wachtwoord_wijzigen_mislukt"):
        return [FieldError("Huidig wachtwoord", "is onjuist (of het account is tijdelijk "
                                                "geblokkeerd)")]
    errors = [FieldError("Nieuw wachtwoord", p) for p in password_problems(new, user.username)]
    if new != repeat:
        errors.append(FieldError("Herhaal nieuw wachtwoord", "komt niet overeen"))
    if new == current:
        errors.append(FieldError("Nieuw wachtwoord", "moet anders zijn dan het huidige"))
    if errors:
        raise ValidationError(errors)
    store_password(user, new)
    revoke_user_sessions(session, user.id)  # the page starts a fresh one for this browser
    audit.record(session, actor, "wachtwoord_gewijzigd", "user", user.id)
    return []


# --- helpers -------------------------------------------------------------------------------

def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip()).options(
        selectinload(User.wijken), selectinload(User.credential)))
    if user is None:
        raise NotFoundError("Deze gebruiker bestaat niet.")
    return user


def store_password(user: User, password: str) -> None:
    if user.credential is None:
        user.credential = Credential()
    user.credential.password_hash = hash_password(password)
    user.credential.password_changed_at = utcnow()
    user.credential.failed_logins = 0
    user.credential.locked_until = None


def _active_beheerders(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.BEHEERDER.value, User.active.is_(True))) or 0


def username_errors(session: Session, username: str) -> list[FieldError]:
    problems = username_problems(username)
    if problems:
        return [FieldError("Gebruikersnaam", p) for p in problems]
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        return [FieldError("Gebruikersnaam", "bestaat al")]
    other = look_alike(username, session.scalars(select(User.username)))
    if other is not None:
        return [FieldError("Gebruikersnaam", look_alike_message(other))]
    return []


def _parse_role(role: Role | str, errors: list[FieldError]) -> Role:
    try:
        return Role(role)
    except ValueError:
        errors.append(FieldError("Rol", f"moet een van {', '.join(r.value for r in Role)} zijn"))
        return Role.SLEUTELFIGUUR


def reporter_role_errors(role: Role, reporter_role: str | None) -> list[FieldError]:
    if role is Role.SLEUTELFIGUUR and reporter_role not in REPORTER_ROLES:
        return [FieldError("Functie", "kies een van " + ", ".join(REPORTER_ROLES))]
    if role is not Role.SLEUTELFIGUUR and reporter_role is not None:
        return [FieldError("Functie", "alleen voor sleutelfiguren")]
    return []


def _wijken_for(session: Session, role: Role, codes: list[str],
                errors: list[FieldError]) -> list[Wijk]:
    codes = sorted({c.strip().upper() for c in codes if c.strip()})
    if bad := [c for c in codes if text_problem(c)]:
        errors.append(FieldError("Wijken", "onbekende wijkcode(s): "
                                           + ", ".join(shown(c) for c in bad)))
        codes = [c for c in codes if c not in bad]
    if role not in WIJK_ROLES:
        if codes:
            errors.append(FieldError("Wijken", "managers en beheerders zien alle wijken; wijs "
                                               "geen wijken toe"))
        return []
    if not codes:
        errors.append(FieldError("Wijken", "kies minstens één wijk"))
        return []
    wijken = list(session.scalars(select(Wijk).where(Wijk.code.in_(codes)).order_by(Wijk.code)))
    unknown = sorted(set(codes) - {w.code for w in wijken})
    if unknown:
        errors.append(FieldError("Wijken", "onbekende wijkcode(s): " + ", ".join(unknown)))
    return wijken


def normalise_email(email: str | None, errors: list[FieldError]) -> str | None:
    address = (email or "").strip().lower()
    if not address:
        return None
    if not EMAIL_PATTERN.match(address) or len(address) > 254 or text_problem(address):
        errors.append(FieldError("E-mail", "is geen geldig e-mailadres"))
        return None  # never looked up: PostgreSQL refuses a NUL even in a query parameter
    return address
