"""Coordinators manage the key-figure network of their own wijken; every change audited.

A coordinator adds a key figure for one or more of their wijken (the account gets no
password: the key figure sets one with a one-time activation code), deactivates one who
left, moves one to another of their wijken, issues a new code while the account is not yet
activated, and sets the desired mix of role types per wijk. A key figure who also belongs
to a wijk outside the coordinator's scope is managed by the beheerder: a coordinator cannot
change what another coordinator relies on. Only the username and the role type are kept:
no names, phone numbers or addresses (contact data stays outside the system).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from signals.db.models import NetworkMix, User, Wijk, utcnow
from signals.domain import REPORTER_ROLES, Role
from signals.errors import FieldError, NotFoundError, PermissionDeniedError, ValidationError
from signals.services import audit
from signals.services.activation import IssuedCode, issue_code, withdraw_codes
from signals.services.actor import Actor, authorise
from signals.services.user_sessions import revoke_user_sessions
from signals.services.username_policy import normalise_username
from signals.services.users import reporter_role_errors, username_errors

MANAGERS = (Role.COORDINATOR, Role.BEHEERDER)
MAX_DESIRED = 50
OUT_OF_SCOPE = "Deze sleutelfiguur bestaat niet of valt buiten uw wijken."
SHARED = ("Deze sleutelfiguur hoort ook bij een wijk buiten uw wijken; vraag de beheerder om "
          "de wijziging.")


def add_key_figure(session: Session, actor: Actor, username: str, reporter_role: str,
                   wijk_codes: Iterable[str]) -> IssuedCode:
    """A new key figure without a password, and the one-time code to set it (shown once)."""
    actor = authorise(session, actor, *MANAGERS)
    username = normalise_username(username)
    errors = username_errors(session, username)
    errors += reporter_role_errors(Role.SLEUTELFIGUUR, (reporter_role or "").strip() or None)
    wijken = _own_wijken(session, actor, wijk_codes, errors)
    if errors:
        raise ValidationError(errors)
    user = User(username=username, role=Role.SLEUTELFIGUUR.value, reporter_role=reporter_role,
                active=True, active_since=utcnow(), wijken=wijken)
    session.add(user)
    session.flush()
    issued = issue_code(session, user, actor.user_id)
    audit.record(session, actor, "sleutelfiguur_toegevoegd", "user", user.id, {
        "gebruikersnaam": username, "rol_type": reporter_role,
        "wijken": [w.code for w in wijken]})
    return issued


def new_activation_code(session: Session, actor: Actor, username: str) -> IssuedCode:
    """A fresh code for a key figure who has not set a password yet (the old one expired)."""
    actor = authorise(session, actor, *MANAGERS)
    user = _managed(session, actor, username)
    if not user.active:
        raise ValidationError([FieldError("gebruikersnaam", "is gedeactiveerd")])
    if user.credential is not None and user.credential.password_hash:
        raise ValidationError([FieldError(
            "gebruikersnaam", "heeft al een wachtwoord ingesteld; bij een vergeten wachtwoord "
                              "helpt de beheerder")])
    issued = issue_code(session, user, actor.user_id)
    audit.record(session, actor, "activatiecode_uitgegeven", "user", user.id,
                 {"gebruikersnaam": user.username})
    return issued


def deactivate_key_figure(session: Session, actor: Actor, username: str) -> None:
    """The key figure left: no login, no open codes, and no longer expected to report."""
    actor = authorise(session, actor, *MANAGERS)
    user = _managed(session, actor, username)
    if not user.active:
        return
    now = utcnow()
    user.active, user.deactivated_at = False, now
    withdraw_codes(session, user.id, now)
    revoke_user_sessions(session, user.id)
    audit.record(session, actor, "sleutelfiguur_gedeactiveerd", "user", user.id,
                 {"gebruikersnaam": user.username})


def move_key_figure(session: Session, actor: Actor, username: str, wijk_code: str) -> None:
    """Move a key figure to another of the actor's wijken (their old wijken must be too)."""
    actor = authorise(session, actor, *MANAGERS)
    user = _managed(session, actor, username)
    errors: list[FieldError] = []
    wijken = _own_wijken(session, actor, [wijk_code], errors)
    if errors:
        raise ValidationError(errors)
    old = [w.code for w in user.wijken]
    if old == [w.code for w in wijken]:
        return
    user.wijken = wijken
    audit.record(session, actor, "sleutelfiguur_verplaatst", "user", user.id, {
        "gebruikersnaam": user.username, "oud": old, "nieuw": [w.code for w in wijken]})


def desired_mix(session: Session, actor: Actor, wijk_code: str) -> dict[str, int]:
    """Role type -> desired number of key figures in one wijk of the actor."""
    actor = authorise(session, actor, *MANAGERS)
    wijk = _scoped_wijk(session, actor, wijk_code)
    return dict(session.execute(select(NetworkMix.reporter_role, NetworkMix.desired)
                                .where(NetworkMix.wijk_id == wijk.id)).all())


def set_desired_mix(session: Session, actor: Actor, wijk_code: str,
                    mix: Mapping[str, int]) -> None:
    """Replace the desired mix of one wijk; zero means "not needed" and is not stored."""
    actor = authorise(session, actor, *MANAGERS)
    wijk = _scoped_wijk(session, actor, wijk_code)
    errors = [FieldError("reporter_role", f"onbekend roltype '{role}'")
              for role in mix if role not in REPORTER_ROLES]
    errors += [FieldError(role, f"moet een geheel getal van 0 tot en met {MAX_DESIRED} zijn")
               for role, n in mix.items() if role in REPORTER_ROLES and (
                   not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= MAX_DESIRED)]
    if errors:
        raise ValidationError(errors)
    old = dict(session.execute(select(NetworkMix.reporter_role, NetworkMix.desired)
                               .where(NetworkMix.wijk_id == wijk.id)).all())
    new = {role: int(n) for role, n in sorted(mix.items()) if n}
    if old == new:
        return
    session.execute(delete(NetworkMix).where(NetworkMix.wijk_id == wijk.id))
    session.add_all([NetworkMix(wijk_id=wijk.id, reporter_role=role, desired=n,
                                updated_by_id=actor.user_id) for role, n in new.items()])
    audit.record(session, actor, "netwerkmix_gewijzigd", "wijk", wijk.code,
                 {"oud": old, "nieuw": new})


def _managed(session: Session, actor: Actor, username: str) -> User:
    """A key figure whose every wijk is in the actor's scope; others are "not found"."""
    user = session.scalar(select(User).where(User.username == normalise_username(username))
                          .options(selectinload(User.wijken), selectinload(User.credential)))
    if user is None or user.role != Role.SLEUTELFIGUUR:
        raise NotFoundError(OUT_OF_SCOPE)
    ids = {w.id for w in user.wijken}
    if actor.sees_all_wijken:
        return user
    if not ids & actor.wijk_ids:
        raise NotFoundError(OUT_OF_SCOPE)  # its existence is not revealed
    if not ids <= actor.wijk_ids:
        raise PermissionDeniedError(SHARED)
    return user


def _own_wijken(session: Session, actor: Actor, codes: Iterable[str],
                errors: list[FieldError]) -> list[Wijk]:
    wanted = sorted({c.strip().upper() for c in codes if c and c.strip()})
    if not wanted:
        errors.append(FieldError("wijk_code", "kies minstens één wijk"))
        return []
    wijken = list(session.scalars(select(Wijk).where(func.upper(Wijk.code).in_(wanted),
                                                     Wijk.retired_at.is_(None))
                                  .order_by(Wijk.code)))
    found = [w for w in wijken if actor.sees_all_wijken or w.id in actor.wijk_ids]
    if len(found) != len(wanted):
        errors.append(FieldError("wijk_code", "kies alleen actieve wijken waarvoor u "
                                              "coördinator bent"))
    return found


def _scoped_wijk(session: Session, actor: Actor, wijk_code: str) -> Wijk:
    wijk = session.scalar(select(Wijk).where(Wijk.code == wijk_code.strip().upper()))
    if wijk is None or not (actor.sees_all_wijken or wijk.id in actor.wijk_ids):
        raise NotFoundError("Deze wijk bestaat niet of valt buiten uw wijken.")
    return wijk
