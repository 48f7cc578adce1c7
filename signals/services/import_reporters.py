"""Who may be named as the reporter of an imported signal (the account rules).

A reporter is a key figure (sleutelfiguur) assigned to the row's wijk; staff accounts never
report. An unknown name becomes a new key figure, so it must pass the same username policy
as `user add` and may not look like an existing name. Many new reporters at once need an
explicit confirmation (setting `import.max_new_reporters`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from signals.db.models import User, user_wijk
from signals.domain import ROLE_LABELS, Role
from signals.errors import FieldError
from signals.services.username_policy import (
    look_alike_message,
    normalise_username,
    skeleton,
    username_problems,
)

CHUNK = 5000


class KnownUser(NamedTuple):
    id: int
    reporter_role: str | None
    role: str
    wijk_ids: frozenset[int]


def normalise(reporter: str | None) -> str | None:
    return None if reporter is None else normalise_username(reporter)


def load_users(session: Session, usernames: set[str]) -> dict[str, KnownUser]:
    """The named accounts with role and wijken: two indexed queries per chunk of names."""
    users: dict[str, KnownUser] = {}
    names = sorted(usernames)
    for start in range(0, len(names), CHUNK):
        chunk = names[start:start + CHUNK]
        rows = session.execute(select(User.username, User.id, User.reporter_role, User.role)
                               .where(User.username.in_(chunk))).all()
        wijken: dict[int, set[int]] = {row.id: set() for row in rows}
        for user_id, wijk_id in session.execute(
                select(user_wijk.c.user_id, user_wijk.c.wijk_id)
                .where(user_wijk.c.user_id.in_(sorted(wijken)))):
            wijken[user_id].add(wijk_id)
        for row in rows:
            users[row.username] = KnownUser(row.id, row.reporter_role, row.role,
                                            frozenset(wijken[row.id]))
    return users


class ReporterRules:
    """Checks one row's reporter; remembers the new names seen so far in the file."""

    def __init__(self, session: Session, users: dict[str, KnownUser],
                 wijk_codes: dict[int, str]) -> None:
        self.session = session
        self.users = users
        self.wijk_codes = wijk_codes
        self._skeletons: dict[str, str] | None = None
        self._checked: dict[str, list[str]] = {}

    def errors(self, merged: dict[str, Any], old: dict[str, Any] | None,
               row: int) -> list[FieldError]:
        name = merged["reporter"]
        if name is None:
            return []  # an update that keeps the stored reporter
        user = self.users.get(name)
        if user is None:
            return [FieldError("reporter", p, row) for p in self._new_name_problems(name)]
        if old is not None and (old["reporter_id"], old["wijk_id"]) == (user.id,
                                                                      merged["wijk_id"]):
            return []  # the stored attribution, unchanged
        if user.role != Role.SLEUTELFIGUUR.value:
            label = ROLE_LABELS[Role(user.role)].lower()
            return [FieldError("reporter", f"is een account van een {label}; alleen een "
                                           "sleutelfiguur kan melder zijn", row)]
        if merged["wijk_id"] not in user.wijk_ids:
            wijk = self.wijk_codes.get(merged["wijk_id"], "deze wijk")
            return [FieldError("reporter", f"is geen sleutelfiguur van wijk {wijk}; laat de "
                                           "beheerder de wijk toewijzen of kies de juiste "
                                           "melder", row)]
        return []

    def _new_name_problems(self, name: str) -> list[str]:
        if name not in self._checked:
            problems = username_problems(name)
            if not problems:
                other = self._look_alikes().setdefault(skeleton(name), name)
                if other != name:
                    problems = [look_alike_message(other)]
            self._checked[name] = problems
        return self._checked[name]

    def _look_alikes(self) -> dict[str, str]:
        """Skeleton -> name of every account, loaded once, when the first new name shows up."""
        if self._skeletons is None:
            self._skeletons = {}
            for name in sorted(self.session.scalars(select(User.username))):
                self._skeletons.setdefault(skeleton(name), name)
        return self._skeletons


def confirmation_error(new_reporters: int, limit: int) -> FieldError:
    return FieldError("reporter", f"dit bestand maakt {new_reporters} nieuwe melders aan, meer "
                                  f"dan {limit}; bekijk de lijst en bevestig dat ze als "
                                  "sleutelfiguur worden geregistreerd")
