"""Load the demo municipality: idempotent (keyed on external ids) and deterministic per seed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from signals.db.models import (
    Credential,
    Gemeente,
    Setting,
    Signal,
    SignalHistory,
    User,
    Wijk,
    signal_theme,
)
from signals.db.uow import run_write
from signals.errors import DomainError
from signals.localtime import monday_of
from signals.services.auth import actor_from_user
from signals.services.data_version import bump
from signals.services.demo.follow_up import record_follow_up
from signals.services.demo.municipality import (
    DEMO_GEMEENTE_CODE,
    DEMO_GEMEENTE_NAME,
    DEMO_WIJKEN,
    grid_geometries,
)
from signals.services.demo.people import DEMO_PASSWORDS, DemoUser, key_figures, staff_accounts
from signals.services.demo.scenarios import DemoSignal, generate
from signals.services.indicators import rebuild_indicators
from signals.services.passwords import hash_password
from signals.services.phases import record_decision
from signals.services.rules_config import load_rules

DEMO_SETTING = "demo"


@dataclass(frozen=True)
class DemoResult:
    wijken: int
    users_created: int
    signals_created: int
    signals_existing: int
    anchor_week: date


def load_demo(engine: Engine, seed: int = 2026, today: date | None = None) -> DemoResult:
    today = today or date.today()
    return run_write(engine, lambda session: _load(session, seed, today))


def _load(session: Session, seed: int, today: date) -> DemoResult:
    anchor = _anchor(session, seed, today)
    wijk_ids = _upsert_wijken(session, seed)
    users_created, users = _upsert_users(session, seed, wijk_ids)
    generated = generate(seed, anchor, today)
    existing = set(session.scalars(
        select(Signal.external_id).where(Signal.external_id.like(f"demo-{seed}-%"))))
    new = [s for s in generated if s.external_id not in existing]
    _insert_signals(session, new, wijk_ids, users)
    if new:
        rebuild_indicators(session, load_rules(session), wijk_ids=wijk_ids.values())
        bump(session, wijk_ids.values())
        decisions = _record_decisions(session, users["coordinator"], anchor, today)
        record_follow_up(session, users["coordinator"], anchor, today, decisions, generated)
    session.merge(Setting(key=DEMO_SETTING, value={"seed": seed, "anchor": anchor.isoformat()}))
    return DemoResult(len(wijk_ids), users_created, len(new), len(existing), anchor)


# (wijk, weeks before the anchor, decided phase, reason): the Molenwijk escalation, as decided.
DEMO_DECISIONS = (
    ("WK990103", 6, 2, "Beeld: dreigementen tegen wethouder bevestigd. Oordeel: oplopend. "
                       "Besluit: kernteam BOB-routine gestart."),
    ("WK990103", 5, 3, "Oproep tot demonstratie bij het azc geverifieerd met de wijkagent; "
                       "driehoek geïnformeerd."),
    ("WK990103", 4, 4, "Ongeregeldheden bij het azc; crisisoverleg gestart."),
    ("WK990103", 3, 3, "Rust teruggekeerd maar spanning blijft; extra aanwezigheid."),
)


def _record_decisions(session: Session, coordinator: User, anchor: date,
                      today: date) -> dict[tuple[str, int], int]:
    """Record DEMO_DECISIONS; their ids by (wijk, weeks before the anchor)."""
    actor = actor_from_user(coordinator)
    return {(code, offset): record_decision(
                session, actor, code, anchor - timedelta(weeks=offset), phase, reason,
                seen_decision_id=None, today=today).decision_id
            for code, offset, phase, reason in DEMO_DECISIONS}


def _anchor(session: Session, seed: int, today: date) -> date:
    stored = session.get(Setting, DEMO_SETTING)
    if stored is None:
        return monday_of(today)
    value = dict(stored.value)  # type: ignore[arg-type]
    if value["seed"] != seed:
        raise DomainError(
            f"De demo is al geladen met seed {value['seed']}; gebruik die seed of een lege "
            "database.")
    return date.fromisoformat(value["anchor"])


def _upsert_wijken(session: Session, seed: int) -> dict[str, int]:
    existing = {w.code: w for w in session.scalars(select(Wijk))}
    gemeente = session.scalar(select(Gemeente).where(Gemeente.code == DEMO_GEMEENTE_CODE))
    if gemeente is None:
        gemeente = Gemeente(code=DEMO_GEMEENTE_CODE, name=DEMO_GEMEENTE_NAME,
                            area_scheme="cbs_wijk")
        session.add(gemeente)
    for demo, geometry in zip(DEMO_WIJKEN, grid_geometries(seed), strict=True):
        if demo.code not in existing:
            existing[demo.code] = Wijk(code=demo.code, name=demo.name, geometry=geometry,
                                       gemeente=gemeente)
            session.add(existing[demo.code])
    session.flush()
    return {code: wijk.id for code, wijk in existing.items()}


def _upsert_users(session: Session, seed: int,
                  wijk_ids: dict[str, int]) -> tuple[int, dict[str, User]]:
    existing = {u.username: u for u in session.scalars(select(User))}
    created = 0
    for demo in [*key_figures(seed), *staff_accounts()]:
        if demo.username not in existing:
            existing[demo.username] = _new_user(session, demo)
            created += 1
    session.flush()
    return created, existing


def _new_user(session: Session, demo: DemoUser) -> User:
    wijken = list(session.scalars(select(Wijk).where(Wijk.code.in_(demo.wijk_codes))))
    password = DEMO_PASSWORDS.get(demo.username)
    user = User(username=demo.username, role=demo.role.value, reporter_role=demo.reporter_role,
                active=True, wijken=wijken)
    # Key figures other than the demo account get no password: they cannot log in.
    user.credential = Credential(password_hash=hash_password(password) if password else None)
    session.add(user)
    return user


def _insert_signals(session: Session, signals: list[DemoSignal], wijk_ids: dict[str, int],
                    users: dict[str, User]) -> None:
    if not signals:
        return
    rows = [_row(s, wijk_ids, users[s.reporter]) for s in signals]
    ids = session.execute(
        insert(Signal).returning(Signal.id, Signal.external_id, sort_by_parameter_order=True),
        rows,
    ).all()
    by_external = dict(zip((s.external_id for s in signals), signals, strict=True))
    theme_rows, history = [], []
    for signal_id, external_id in ids:
        signal = by_external[external_id]
        theme_rows += [{"signal_id": signal_id, "theme_code": t} for t in signal.themes]
        history.append({"signal_id": signal_id, "at": signal.created_at,
                        "user_id": users[signal.reporter].id, "action": "aangemaakt",
                        "field": None, "old_value": None, "new_value": signal.status,
                        "note": "demo"})
    if theme_rows:
        session.execute(insert(signal_theme), theme_rows)
    session.execute(insert(SignalHistory), history)


def _row(s: DemoSignal, wijk_ids: dict[str, int], reporter: User) -> dict:
    return {
        "external_id": s.external_id, "wijk_id": wijk_ids[s.wijk_code],
        "observed_on": s.observed_on, "reporter_id": reporter.id,
        "reporter_role": reporter.reporter_role,
        "category": s.category, "subtype": None, "severity": s.severity, "source": s.source,
        "online": s.online, "platform": s.platform, "reach": s.reach,
        "reliability": s.reliability, "polarisation": s.polarisation,
        "action_date": s.action_date, "action_place": s.action_place, "status": s.status,
        "description": s.description or None, "created_at": s.created_at,
        "updated_at": s.created_at, "created_by_id": reporter.id, "version": 1,
    }
