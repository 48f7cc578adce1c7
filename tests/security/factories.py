"""Small builders for security and integration tests: wijken, users and signals in a real DB."""

from __future__ import annotations

from datetime import date
from itertools import count

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from signals.db.models import Signal, SignalHistory, Wijk
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.services.actor import SYSTEM_ACTOR, Actor
from signals.services.auth import load_actor
from signals.services.users import add_user

PASSWORD = "lang-genoeg-wachtwoord-42"
_external = count(1)


def make_wijken(engine: Engine, *codes: str) -> dict[str, int]:
    def work(session: Session) -> dict[str, int]:
        wijken = [Wijk(code=c, name=f"Wijk {c[-2:]}") for c in codes]
        session.add_all(wijken)
        session.flush()
        return {w.code: w.id for w in wijken}

    return run_write(engine, work)


def make_user(engine: Engine, username: str, role: Role, wijken: tuple[str, ...] = (),
              password: str | None = PASSWORD, reporter_role: str | None = None) -> Actor:
    if role is Role.SLEUTELFIGUUR and reporter_role is None:
        reporter_role = "bewoner"
    user_id = run_write(engine, lambda s: add_user(s, SYSTEM_ACTOR, username, role, password,
                                                   wijken, reporter_role))
    return actor(engine, user_id)


def actor(engine: Engine, user_id: int) -> Actor:
    with read_session(engine) as session:
        found = load_actor(session, user_id)
    assert found is not None
    return found


def make_signal(engine: Engine, wijk_id: int, reporter: Actor, observed_on: date,
                description: str | None = "Onrust bij het buurthuis", category: str = "onvrede",
                note: str | None = "eerste indruk van de melder") -> int:
    def work(session: Session) -> int:
        signal = Signal(external_id=f"t-{next(_external)}", wijk_id=wijk_id,
                        observed_on=observed_on, reporter_id=reporter.user_id,
                        reporter_role="bewoner", category=category, severity=1,
                        source="eigen_waarneming", online=False, reach="individu",
                        reliability="onbekend", polarisation="geen", status="nieuw",
                        description=description, created_by_id=reporter.user_id)
        session.add(signal)
        session.flush()
        session.add(SignalHistory(signal_id=signal.id, user_id=reporter.user_id,
                                  action="aangemaakt", new_value="nieuw", note=note))
        return signal.id

    return run_write(engine, work)
