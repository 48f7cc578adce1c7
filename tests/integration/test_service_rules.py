"""Rules the services enforce themselves, not only the pages (SQLite and PostgreSQL):
a nul-melding's severity never changes, and a wijk profile spans at most 260 weeks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from signals.db.models import Signal
from signals.db.uow import read_session, run_write
from signals.errors import ValidationError
from signals.services import dashboard
from signals.services.intake import record_nul_melding
from signals.services.review import Assessment, assess
from tests.integration.signal_world import TODAY, make_world

WEEK = timedelta(weeks=1)
MONDAY = date(2026, 3, 9)  # the Monday of TODAY's week


def _nul_melding(engine):  # type: ignore[no-untyped-def]
    world = make_world(engine)
    run_write(engine, lambda s: record_nul_melding(s, world.kf_a, world.wijk_a, today=TODAY))
    with read_session(engine) as session:
        signal = session.query(Signal).one()
        return world, signal.id, signal.version


def test_a_coordinator_cannot_give_a_nul_melding_a_severity(engine) -> None:
    world, signal_id, version = _nul_melding(engine)
    change = Assessment(severity=3, note="Toch wel iets aan de hand in de wijk.")
    with pytest.raises(ValidationError, match="nul-melding heeft altijd ernst 0") as caught:
        run_write(engine, lambda s: assess(s, world.coord_a, signal_id, version, change))
    assert [e.field for e in caught.value.errors] == ["severity"]
    with read_session(engine) as session:
        stored = session.get(Signal, signal_id)
        assert (stored.severity, stored.version) == (0, version)


def test_a_nul_melding_can_still_be_assessed_without_a_severity(engine) -> None:
    world, signal_id, version = _nul_melding(engine)
    change = Assessment(status="in_duiding", note="")
    run_write(engine, lambda s: assess(s, world.coord_a, signal_id, version, change))
    with read_session(engine) as session:
        stored = session.get(Signal, signal_id)
        assert (stored.severity, stored.status) == (0, "in_duiding")


def test_profile_period_keeps_the_latest_260_weeks() -> None:
    last = MONDAY + timedelta(days=3)
    period = dashboard.profile_period(MONDAY - 300 * WEEK, last)
    assert (period.first, period.last, period.shortened) == (MONDAY - 259 * WEEK, MONDAY, True)
    exact = dashboard.profile_period(MONDAY - 259 * WEEK, MONDAY)
    assert (exact.first, exact.shortened) == (MONDAY - 259 * WEEK, False)
    swapped = dashboard.profile_period(MONDAY, MONDAY - 2 * WEEK)
    assert (swapped.first, swapped.last) == (MONDAY - 2 * WEEK, MONDAY)


def test_the_profile_services_refuse_more_than_260_weeks(engine) -> None:
    world = make_world(engine)
    with read_session(engine) as session:
        for call in (dashboard.wijk_trend, dashboard.theme_counts):
            with pytest.raises(ValidationError, match="hoogstens 260 weken"):
                call(session, world.coord_a, "WK099001", MONDAY - 260 * WEEK, MONDAY)
            with pytest.raises(ValidationError, match="begindatum ligt na de einddatum"):
                call(session, world.coord_a, "WK099001", MONDAY, MONDAY - WEEK)
        trend = dashboard.wijk_trend(session, world.coord_a, "WK099001",
                                     MONDAY - 259 * WEEK, MONDAY)
        themes = dashboard.theme_counts(session, world.coord_a, "WK099001",
                                        MONDAY - 259 * WEEK, MONDAY)
    assert len(trend) == 260 and list(themes.columns) == ["week_start", "theme", "n"]
