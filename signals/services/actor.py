"""The acting user every service takes, and the scope checks built on it."""

from __future__ import annotations

from dataclasses import dataclass, field

from signals.domain import Role
from signals.errors import PermissionDeniedError


@dataclass(frozen=True)
class Actor:
    """Who is acting. Built from the database on every request, never from client state."""

    user_id: int | None
    username: str
    role: Role
    wijk_ids: frozenset[int] = field(default_factory=frozenset)
    is_system: bool = False

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
