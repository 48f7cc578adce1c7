"""The persistent weekly indicators stay equal to a full recomputation after every change."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import func, select, update

from signals.db.models import Signal, WeeklyIndicator
from signals.db.uow import read_session, run_write
from signals.engine.indicators import weekly_indicators
from signals.services.indicators import (
    load_indicator_frame,
    load_signal_frame,
    rebuild_indicators,
    refresh_indicators,
)
from signals.services.rules_config import load_rules


def _stored(session) -> pd.DataFrame:
    frame = load_indicator_frame(session, None, date(2000, 1, 3), date(2100, 1, 4))
    return frame.sort_values(["wijk_code", "week_start"]).reset_index(drop=True)


def _recomputed(session) -> pd.DataFrame:
    frame = weekly_indicators(load_signal_frame(session, None, None, None), load_rules(session))
    return frame.sort_values(["wijk_code", "week_start"]).reset_index(drop=True)


def test_demo_load_fills_the_store_equal_to_a_full_recomputation(demo_engine) -> None:
    engine = demo_engine
    with read_session(engine) as session:
        stored, fresh = _stored(session), _recomputed(session)
    assert len(stored) > 1000
    pd.testing.assert_frame_equal(stored, fresh, check_dtype=False)


def test_incremental_refresh_after_a_status_change_matches_a_rebuild(demo_engine) -> None:
    engine = demo_engine

    def verify_a_call(session) -> tuple[int, date]:
        signal = session.scalars(select(Signal).where(
            Signal.category == "oproep_mobilisatie", Signal.status != "geverifieerd")).first()
        signal.status = "geverifieerd"
        session.flush()
        refresh_indicators(session, [(signal.wijk_id, signal.observed_on)])
        return signal.wijk_id, signal.observed_on

    run_write(engine, verify_a_call)
    with read_session(engine) as session:
        incremental = _stored(session)
    run_write(engine, lambda s: rebuild_indicators(s))
    with read_session(engine) as session:
        pd.testing.assert_frame_equal(incremental, _stored(session), check_dtype=False)
        assert incremental["call_verified"].any()


def test_moving_a_signal_to_another_week_updates_both_weeks(demo_engine) -> None:
    engine = demo_engine

    def move(session) -> None:
        signal = session.scalars(select(Signal).where(Signal.category == "onvrede")).first()
        old = (signal.wijk_id, signal.observed_on)
        session.execute(update(Signal).where(Signal.id == signal.id)
                        .values(observed_on=date(2026, 1, 7)))
        refresh_indicators(session, [old, (signal.wijk_id, date(2026, 1, 7))])

    run_write(engine, move)
    with read_session(engine) as session:
        pd.testing.assert_frame_equal(_stored(session), _recomputed(session),
                                      check_dtype=False)
        assert session.scalar(select(func.count()).select_from(WeeklyIndicator)) > 0
