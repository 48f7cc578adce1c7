"""The acting user every service takes, and the scope checks built on it.

Services never trust the Actor object they are given: `authorise` reloads role, wijken and
the enabled flag from the database in the use case's own transaction (one indexed query,
remembered for the rest of that session), so a stale or forged actor cannot act.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from signals.db.models import User, user_wijk
from signals.domain import Role
from signals.errors import PermissionDeniedError

NOT_ACTIVE = ("Uw account is niet (meer) actief of uw rechten zijn gewijzigd. Log opnieuw in "
              "of neem contact op met de beheerder.")
_CACHE_KEY = "authorised_actors"
# Built once: every use case runs it, and building a statement costs more than running it.
_RELOAD = (select(User.username, User.role, User.active, user_wijk.c.wijk_id)
           .outerjoin(user_wijk, user_wijk.c.user_id == User.id)
           .where(User.id == bindparam("user_id")))


@dataclass(frozen=True)
class Actor:
    """Who is acting. Built from the database on every request, never from client state."""

    user_id: int | None
    username: str
    role: Role
    wijk_ids: frozenset[int] = field(default_factory=frozenset)
    is_system: bool = False
    is_scope: bool = False  # a verified user's role and wijken, for shared cached reads

    @property
    def sees_all_wijken(self) -> bool:
        return self.is_system or self.role in (Role.BEHEERDER, Role.MANAGER)

    def require_role(self, *roles: Role) -> None:
        if not self.is_system and self.role not in roles:
            raise PermissionDeniedError("U heeft geen toegang tot deze functie.")

    def require_wijk(self, wijk_id: int) -> None:
        if not (self.sees_all_wijken or wijk_id in self.wijk_ids):
            raise PermissionDeniedError("U heeft geen toegang tot deze wijk.")


# The command line runs as the system: it is for administrators with shell access.
SYSTEM_ACTOR = Actor(user_id=None, username="systeem", role=Role.BEHEERDER, is_system=True)


def scope_actor(role: Role, wijk_ids: frozenset[int]) -> Actor:
    """An account-less actor for cached reads shared by users with the same scope; the
    page verified the user (load_login) before it asked for this scope."""
    return Actor(user_id=None, username="dashboard", role=role, wijk_ids=wijk_ids,
                 is_scope=True)


def authorise(session: Session, actor: Actor, *roles: Role) -> Actor:
    """The actor as the database knows it now, checked against `roles` (none: any role).

    Raises PermissionDeniedError for a disabled, deleted or forged account. The returned
    actor replaces the given one for the rest of the use case.
    """
    fresh = _reload(session, actor)
    if roles:
        fresh.require_role(*roles)
    return fresh


def forget_authorised(session: Session) -> None:
    """Make the next ``authorise`` in this session read the accounts again (a use case that
    found an account changed since its first check)."""
    session.info.pop(_CACHE_KEY, None)


def _reload(session: Session, actor: Actor) -> Actor:
    if actor.user_id is None:
        if actor is SYSTEM_ACTOR or (actor.is_scope and not actor.is_system):
            return actor
        raise PermissionDeniedError(NOT_ACTIVE)
    cache: dict[int, Actor] = session.info.setdefault(_CACHE_KEY, {})
    if actor.user_id in cache:
        return cache[actor.user_id]
    rows = session.execute(_RELOAD, {"user_id": actor.user_id}).all()
    if not rows or not rows[0].active:
        raise PermissionDeniedError(NOT_ACTIVE)
    fresh = Actor(user_id=actor.user_id, username=rows[0].username, role=Role(rows[0].role),
                  wijk_ids=frozenset(r.wijk_id for r in rows if r.wijk_id is not None))
    cache[actor.user_id] = fresh
    return fresh
