"""Changing the phase rules rebuilds the stored weekly aggregates in the same transaction."""

from __future__ import annotations

from datetime import date

import pandas as pd

from signals.db.uow import read_session, run_write
from signals.engine.indicators import weekly_indicators
from signals.services import rules_config
from signals.services.actor import SYSTEM_ACTOR
from signals.services.indicators import load_indicator_frame, load_signal_frame


def _stored_and_fresh(engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    with read_session(engine) as session:
        stored = load_indicator_frame(session, None, date(2000, 1, 3), date(2100, 1, 4))
        fresh = weekly_indicators(load_signal_frame(session, None, None, None),
                                  rules_config.load_rules(session))
    key = ["wijk_code", "week_start"]
    return (stored.sort_values(key).reset_index(drop=True),
            fresh.sort_values(key).reset_index(drop=True))


def test_saving_new_score_weights_recomputes_the_aggregates(demo_engine) -> None:
    engine = demo_engine
    before, _ = _stored_and_fresh(engine)
    text = rules_config.default_rules_text()
    changed = text.replace("hoog = 1.0", "hoog = 2.0", 1)
    assert changed != text, "the default rules file must contain 'hoog = 1.0'"
    result = run_write(engine, lambda s: rules_config.save_rules_text(s, SYSTEM_ACTOR, changed))
    assert result.aggregates_affected
    stored, fresh = _stored_and_fresh(engine)
    pd.testing.assert_frame_equal(stored, fresh, check_dtype=False)
    assert stored["score"].sum() > before["score"].sum()
    run_write(engine, lambda s: rules_config.reset_to_default(s, SYSTEM_ACTOR))
    restored, _ = _stored_and_fresh(engine)
    pd.testing.assert_frame_equal(restored, before, check_dtype=False)
