"""After a purge, later activity must not rewrite the weekly aggregates of purged weeks.

Purge removes reporter links, so recomputing a purged week from its signals would count
fewer reporters and could lower its phase. The indicator store therefore freezes the rows
whose inputs reach into purged weeks (signals.services.indicators.freeze_before).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import select

from signals.db.models import Signal, WeeklyIndicator
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.services import review
from signals.services.actor import SYSTEM_ACTOR
from signals.services.indicators import rebuild_indicators
from signals.services.retention import purge
from signals.services.rules_config import load_rules
from tests.security.factories import make_signal, make_user, make_wijken


def _indicators(engine) -> pd.DataFrame:
    with read_session(engine) as session:
        return pd.DataFrame(session.execute(select(WeeklyIndicator.__table__).order_by(
            WeeklyIndicator.wijk_id, WeeklyIndicator.week_start)).all())


@pytest.fixture
def purged_world(sqlite_engine):
    ids = make_wijken(sqlite_engine, "WK000101")
    people = [make_user(sqlite_engine, name, Role.SLEUTELFIGUUR, ("WK000101",), password=None)
              for name in ("sfa", "sfb")]
    signals = [make_signal(sqlite_engine, ids["WK000101"], person, date(2024, 3, 4 + i),
                           category="haat_discriminatie") for i, person in enumerate(people)]
    run_write(sqlite_engine, lambda s: rebuild_indicators(s, load_rules(s)))
    before = _indicators(sqlite_engine)
    assert before["reporters"].iloc[0] == 2
    run_write(sqlite_engine, lambda s: purge(s, SYSTEM_ACTOR))
    pd.testing.assert_frame_equal(_indicators(sqlite_engine), before)
    return sqlite_engine, signals, before


def test_assessing_a_purged_signal_keeps_its_week(purged_world) -> None:
    engine, signals, before = purged_world
    with read_session(engine) as session:
        version = session.get(Signal, signals[0]).version
    new_version = run_write(engine, lambda s: review.assess(
        s, SYSTEM_ACTOR, signals[0], version, review.Assessment(status="in_duiding")))
    with read_session(engine) as session:
        assessed = session.get(Signal, signals[0])
        assert (assessed.status, assessed.version) == ("in_duiding", new_version)
    pd.testing.assert_frame_equal(_indicators(engine), before)


def test_a_full_rebuild_keeps_purged_weeks(purged_world) -> None:
    engine, _signals, before = purged_world
    run_write(engine, lambda s: rebuild_indicators(s, load_rules(s)))
    pd.testing.assert_frame_equal(_indicators(engine), before)


def test_weeks_after_the_purge_still_refresh(purged_world) -> None:
    engine, _signals, before = purged_world
    reporter = make_user(engine, "sfc", Role.SLEUTELFIGUUR, ("WK000101",), password=None)
    make_signal(engine, int(before["wijk_id"].iloc[0]), reporter, date.today(),
                category="onvrede")
    run_write(engine, lambda s: rebuild_indicators(s, load_rules(s)))
    after = _indicators(engine)
    assert len(after) > len(before)
    pd.testing.assert_frame_equal(after.iloc[:len(before)].reset_index(drop=True), before)
