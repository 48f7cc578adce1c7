"""Retention purge: details and reporter links go, aggregates, phases and decisions stay."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import select

from signals.db.models import (
    AuditEvent,
    PhaseDecision,
    Signal,
    SignalHistory,
    WeeklyIndicator,
    utcnow,
)
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.errors import PermissionDeniedError
from signals.services import settings
from signals.services.actor import SYSTEM_ACTOR
from signals.services.indicators import rebuild_indicators
from signals.services.phases import phase_table
from signals.services.retention import cutoff_date, purge
from signals.services.rules_config import load_rules
from tests.security.factories import make_signal, make_user, make_wijken

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _table(engine, model, order) -> pd.DataFrame:
    with read_session(engine) as session:
        rows = session.execute(select(model.__table__).order_by(*order)).all()
        return pd.DataFrame(rows, columns=list(model.__table__.columns.keys()))


def _setup(engine):
    ids = make_wijken(engine, "WK000101", "WK000102")
    reporter = make_user(engine, "sf1", Role.SLEUTELFIGUUR, ("WK000101",))
    old = make_signal(engine, ids["WK000101"], reporter, date(2025, 10, 1),
                      description="Bewoner Jan zegt dat er rellen komen")
    edge = make_signal(engine, ids["WK000101"], reporter, date(2025, 11, 20))
    recent = make_signal(engine, ids["WK000102"], reporter, date(2026, 6, 1))
    run_write(engine, lambda s: rebuild_indicators(s, load_rules(s)))
    return ids, reporter, old, edge, recent


@pytest.mark.parametrize(("now", "months", "expected"), [
    (datetime(2026, 11, 20, 12, tzinfo=UTC), 12, date(2025, 11, 20)),
    (datetime(2026, 3, 31, 12, tzinfo=UTC), 1, date(2026, 2, 28)),
    (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), 12, date(2026, 1, 1)),  # Amsterdam: 1 jan
    (datetime(2026, 1, 15, tzinfo=UTC), 13, date(2024, 12, 15)),
])
def test_cutoff_is_calendar_months_in_amsterdam(now, months, expected) -> None:
    assert cutoff_date(months, now) == expected


def test_dry_run_counts_and_changes_nothing(engine) -> None:
    _setup(engine)
    before = _table(engine, Signal, [Signal.id])
    result = run_write(engine, lambda s: purge(s, SYSTEM_ACTOR, dry_run=True, now=NOW))
    assert (result.signals, result.descriptions, result.reporter_links,
            result.history_notes) == (1, 1, 1, 1)
    assert result.cutoff == date(2025, 11, 20) and result.dry_run
    pd.testing.assert_frame_equal(_table(engine, Signal, [Signal.id]), before)
    with read_session(engine) as session:
        assert session.scalar(select(AuditEvent).where(
            AuditEvent.action == "bewaartermijn_opgeschoond")) is None


def test_purge_removes_details_and_links_and_keeps_aggregates(engine) -> None:
    _ids, reporter, old, edge, recent = _setup(engine)
    indicators = _table(engine, WeeklyIndicator,
                        [WeeklyIndicator.wijk_id, WeeklyIndicator.week_start])
    result = run_write(engine, lambda s: purge(s, SYSTEM_ACTOR, now=NOW))
    assert (result.signals, result.descriptions, result.reporter_links) == (1, 1, 1)
    with read_session(engine) as session:
        purged = session.get(Signal, old)
        assert purged.description is None and purged.reporter_id is None
        assert purged.created_by_id is None and purged.purged_at == NOW
        assert purged.reporter_role == "bewoner" and purged.category == "onvrede"
        history = session.scalars(select(SignalHistory).where(SignalHistory.signal_id == old))
        assert [(h.note, h.user_id, h.action) for h in history] == [(None, None, "aangemaakt")]
        for kept in (edge, recent):
            signal = session.get(Signal, kept)
            assert signal.description and signal.reporter_id == reporter.user_id
            assert signal.purged_at is None
        event = session.scalar(select(AuditEvent).where(
            AuditEvent.action == "bewaartermijn_opgeschoond"))
        assert event.details["signals"] == 1 and event.details["cutoff"] == "2025-11-20"
        assert "rellen" not in str(event.details)
    pd.testing.assert_frame_equal(
        _table(engine, WeeklyIndicator, [WeeklyIndicator.wijk_id, WeeklyIndicator.week_start]),
        indicators)
    again = run_write(engine, lambda s: purge(s, SYSTEM_ACTOR, now=NOW))
    assert again.signals == 0  # idempotent


def test_configured_months_are_used(engine) -> None:
    _setup(engine)
    run_write(engine, lambda s: settings.update_retention(s, SYSTEM_ACTOR, 3))
    result = run_write(engine, lambda s: purge(s, SYSTEM_ACTOR, dry_run=True, now=NOW))
    assert (result.months, result.signals) == (3, 3)


def test_only_beheerders_purge(engine) -> None:
    make_wijken(engine, "WK000101")
    for role, wijken in ((Role.COORDINATOR, ("WK000101",)), (Role.MANAGER, ())):
        someone = make_user(engine, f"u-{role.value}", role, wijken)
        with pytest.raises(PermissionDeniedError):
            run_write(engine, lambda s, a=someone: purge(s, a, dry_run=True))


def test_demo_purge_keeps_every_phase_and_decision(demo_template, tmp_path) -> None:
    """The whole demo (104 weeks): purge the older half; phases are identical after."""
    import shutil

    from signals.db.engine import make_engine

    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with read_session(engine) as session:
            first = session.scalar(select(Signal.observed_on).order_by(Signal.observed_on))
            last = session.scalar(select(Signal.observed_on).order_by(Signal.observed_on.desc()))
        first -= timedelta(days=first.weekday())
        last -= timedelta(days=last.weekday())
        week = last - timedelta(weeks=60)

        def decide(session) -> None:
            session.add(PhaseDecision(wijk_id=1, week_start=week, proposed_phase=1,
                                      decided_phase=2, reason="Bevestigd in driehoeksoverleg",
                                      decided_by_id=None))

        run_write(engine, decide)
        phases_before = _phases(engine, first, last)
        decisions = _table(engine, PhaseDecision, [PhaseDecision.id])
        indicators = _table(engine, WeeklyIndicator,
                            [WeeklyIndicator.wijk_id, WeeklyIndicator.week_start])
        result = run_write(engine, lambda s: purge(s, SYSTEM_ACTOR, now=utcnow()))
        assert result.signals > 500 and result.descriptions > 0
        with read_session(engine) as session:
            left = session.scalar(select(Signal.id).where(
                Signal.observed_on < result.cutoff, Signal.description.is_not(None)))
            assert left is None
        pd.testing.assert_frame_equal(_phases(engine, first, last), phases_before)
        pd.testing.assert_frame_equal(_table(engine, PhaseDecision, [PhaseDecision.id]),
                                      decisions)
        pd.testing.assert_frame_equal(
            _table(engine, WeeklyIndicator,
                   [WeeklyIndicator.wijk_id, WeeklyIndicator.week_start]), indicators)
    finally:
        engine.dispose()


def _phases(engine, first: date, last: date) -> pd.DataFrame:
    with read_session(engine) as session:
        return phase_table(session, SYSTEM_ACTOR, first, last)
