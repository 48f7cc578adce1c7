"""The persistent weekly indicators stay equal to a full recomputation after every change."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import func, select

from signals.db.models import Signal, WeeklyIndicator
from signals.db.uow import read_session, run_write
from signals.services.actor import SYSTEM_ACTOR
from signals.services.indicators import (
    freeze_before,
    rebuild_indicators,
)
from signals.services.rules_config import load_rules
from signals.services.signal_import import import_signals
from tests.conftest import DEMO_TODAY
from tests.integration.indicator_checks import recomputed_indicators, stored_indicators


def test_demo_load_fills_the_store_equal_to_a_full_recomputation(demo_engine) -> None:
    engine = demo_engine
    with read_session(engine) as session:
        stored, fresh = stored_indicators(session), recomputed_indicators(session)
    assert len(stored) > 1000
    pd.testing.assert_frame_equal(stored, fresh, check_dtype=False)


def test_a_status_change_alone_updates_the_store_on_commit(demo_engine) -> None:
    """No refresh call: the session hook settles the touched wijk-weeks before the commit."""
    engine = demo_engine

    def verify_a_call(session) -> None:
        signal = session.scalars(select(Signal).where(
            Signal.category == "oproep_mobilisatie", Signal.status != "geverifieerd")).first()
        signal.status = "geverifieerd"

    with read_session(engine) as session:
        before = stored_indicators(session)
    run_write(engine, verify_a_call)
    with read_session(engine) as session:
        incremental = stored_indicators(session)
    assert not incremental.equals(before)
    run_write(engine, lambda s: rebuild_indicators(s, load_rules(s)))
    with read_session(engine) as session:
        pd.testing.assert_frame_equal(incremental, stored_indicators(session), check_dtype=False)
        assert incremental["call_verified"].any()


def test_moving_a_signal_to_another_week_updates_both_weeks(demo_engine) -> None:
    engine = demo_engine

    def move(session) -> None:
        signal = session.scalars(select(Signal).where(Signal.category == "onvrede")).first()
        signal.observed_on = date(2026, 1, 7)  # the hook recomputes the old and the new week

    run_write(engine, move)
    with read_session(engine) as session:
        pd.testing.assert_frame_equal(stored_indicators(session), recomputed_indicators(session),
                                      check_dtype=False)
        assert session.scalar(select(func.count()).select_from(WeeklyIndicator)) > 0


def _csv(rows: list[dict[str, str]]) -> bytes:
    columns = ["external_id", "observed_on", "wijk_code", "reporter", "category", "themes"]
    lines = [";".join(columns)] + [";".join(r.get(c, "") for c in columns) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_an_import_that_moves_and_adds_signals_keeps_the_store_equal_to_a_rebuild(
        demo_engine) -> None:
    """The bulk writes report their places; the hook settles them before the commit."""
    engine = demo_engine
    with read_session(engine) as session:
        moved = session.scalars(select(Signal.external_id).where(
            Signal.category == "onvrede").order_by(Signal.id).limit(3)).all()
    rows = [{"external_id": external_id, "observed_on": "2026-02-11", "wijk_code": "WK990104",
             "reporter": "melder_horst", "category": "spanning_groepen",
             "themes": "wonen"} for external_id in moved]
    rows += [{"external_id": f"nieuw-{n}", "observed_on": f"2026-03-0{n + 2}",
              "wijk_code": "WK990107", "reporter": "melder_zeven", "category": "onvrede"}
             for n in range(3)]  # new reporters become key figures of their wijk
    summary = run_write(engine, lambda s: import_signals(s, SYSTEM_ACTOR, "mix.csv",
                                                         _csv(rows), today=DEMO_TODAY))
    assert (summary.created, summary.updated) == (3, 3)
    with read_session(engine) as session:
        pd.testing.assert_frame_equal(stored_indicators(session), recomputed_indicators(session),
                                      check_dtype=False)


def test_rows_of_frozen_weeks_stay_when_an_old_signal_changes(demo_engine) -> None:
    engine = demo_engine
    cutoff = date(2026, 6, 1)
    run_write(engine, lambda s: freeze_before(s, cutoff))
    with read_session(engine) as session:
        before = stored_indicators(session)

    def change_old_and_new(session) -> None:
        for old in (True, False):
            query = select(Signal).where(Signal.category == "onvrede",
                                         Signal.status != "niet_bevestigd")
            query = query.where(Signal.observed_on < date(2026, 5, 1) if old
                                else Signal.observed_on >= date(2026, 7, 1))
            session.scalars(query).first().status = "niet_bevestigd"

    run_write(engine, change_old_and_new)
    with read_session(engine) as session:
        after = stored_indicators(session)
    limit = pd.Timestamp(date(2026, 6, 8))  # the Monday after the cutoff's week
    pd.testing.assert_frame_equal(after[after["week_start"] < limit],
                                  before[before["week_start"] < limit])
    assert not after[after["week_start"] >= limit].equals(
        before[before["week_start"] >= limit])
