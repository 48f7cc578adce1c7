"""Migration 0013: the new weekly indicators of existing rows are recounted from the signals
and equal what the engine computes, on both backends."""

from __future__ import annotations

from datetime import date

from benchmarks.backtest.scorer import load_world
from benchmarks.backtest.world import simulate
from signals.db.uow import read_session
from signals.engine.indicators import weekly_indicators
from signals.engine.rules import DEFAULT_RULES
from signals.services.indicators import load_indicator_frame, load_signal_frame
from signals.services.schema import downgrade_schema, upgrade_schema
from tests.conftest import create_pg_database, drop_pg_database, require_postgres

NEW_COLUMNS = ("unrest_offline_reporters_2w", "theme_n_2w", "theme_reporters_2w")


def _recount_check(url: str) -> None:
    # A small simulated city with build-ups (lasting themes) and online-only calls.
    world = simulate(5, wijken=4, years=0.6, warmup_weeks=4, escalation_rate=1.5,
                     fizzle_rate=1.5)
    engine = load_world(world, url)
    try:
        downgrade_schema(engine, "0007")  # the rows lose the new columns ...
        upgrade_schema(engine)  # ... and the migration recounts them
        with read_session(engine) as session:
            stored = load_indicator_frame(session, None, date(2000, 1, 3), date(2100, 1, 4))
            fresh = weekly_indicators(load_signal_frame(session, None, None, None),
                                      DEFAULT_RULES)
    finally:
        engine.dispose()
    both = stored.merge(fresh, on=["wijk_code", "week_start"], suffixes=("_stored", "_engine"))
    assert len(both) == len(stored) == len(fresh)
    for column in NEW_COLUMNS:
        assert both[f"{column}_engine"].max() >= 2, column  # the city exercises the column
        assert (both[f"{column}_stored"] == both[f"{column}_engine"]).all(), column


def test_recount_on_sqlite(tmp_path) -> None:
    _recount_check(f"sqlite:///{tmp_path / 'old.db'}")


def test_recount_on_postgresql() -> None:
    require_postgres()
    url = create_pg_database()
    try:
        _recount_check(url)
    finally:
        drop_pg_database(url)
