"""A small world for the intake, review, import and export tests: wijken, people, actors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from signals.db.models import (
    AuditEvent,
    Credential,
    Signal,
    SignalHistory,
    SignalLink,
    User,
    WeeklyIndicator,
    Wijk,
    signal_theme,
)
from signals.db.uow import read_session, run_write
from signals.services.actor import Actor
from signals.services.auth import actor_from_user
from signals.services.signal_draft import SignalDraft

TODAY = date(2026, 3, 12)  # a Thursday in ISO week 11


@dataclass(frozen=True)
class World:
    wijk_a: int  # WK099001 Noord
    wijk_b: int  # WK099002 Zuid
    wijk_c: int  # WK099003 Oost (nobody's but the beheerder's)
    kf_a: Actor  # key figure of Noord
    kf_a2: Actor  # second key figure of Noord
    kf_b: Actor  # key figure of Zuid
    coord_a: Actor  # coordinator of Noord and Zuid
    coord_b: Actor  # coordinator of Zuid only
    manager: Actor
    beheerder: Actor


def make_world(engine: Engine) -> World:
    def build(session: Session) -> World:
        wijken = [Wijk(code=code, name=name) for code, name in
                  (("WK099001", "Noord"), ("WK099002", "Zuid"), ("WK099003", "Oost"))]
        session.add_all(wijken)
        session.flush()
        a, b, _c = wijken

        def user(name: str, role: str, reporter_role: str | None, ws: list[Wijk]) -> Actor:
            u = User(username=name, role=role, reporter_role=reporter_role, active=True,
                     wijken=ws)
            u.credential = Credential(password_hash=None)
            session.add(u)
            session.flush()
            return actor_from_user(u)

        return World(
            wijk_a=a.id, wijk_b=b.id, wijk_c=_c.id,
            kf_a=user("kf_noord", "sleutelfiguur", "jongerenwerker", [a]),
            kf_a2=user("kf_noord2", "sleutelfiguur", "wijkagent", [a]),
            kf_b=user("kf_zuid", "sleutelfiguur", "docent", [b]),
            coord_a=user("coord_noord", "coordinator", None, [a, b]),
            coord_b=user("coord_zuid", "coordinator", None, [b]),
            manager=user("manager1", "manager", None, []),
            beheerder=user("beheerder1", "beheerder", None, []),
        )

    return run_write(engine, build)


def draft(wijk_id: int, **values) -> SignalDraft:
    base = {"observed_on": TODAY, "category": "onvrede",
            "description": "Bewoners klagen over de nieuwe parkeerregels."}
    base.update(values)
    return SignalDraft(wijk_id=wijk_id, **base)


def count(engine: Engine, model) -> int:  # type: ignore[no-untyped-def]
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def counts(engine: Engine) -> dict[str, int]:
    """Row counts of everything a signal write touches (for "nothing stored" checks)."""
    return {"signals": count(engine, Signal), "themes": count(engine, signal_theme),
            "history": count(engine, SignalHistory), "links": count(engine, SignalLink),
            "users": count(engine, User), "indicators": count(engine, WeeklyIndicator),
            "audit": count(engine, AuditEvent)}
