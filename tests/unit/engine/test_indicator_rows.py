"""The direct row computation of a save (indicator_rows.py) equals the vectorised engine."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signals.engine.indicator_rows import SignalFacts, indicator_rows
from signals.engine.indicators import INDICATOR_COLUMNS, weekly_indicators
from signals.engine.rules import DEFAULT_RULES

from .factories import frame
from .test_properties import signal_rows

WIJK_IDS = {"WK036301": 1, "WK036302": 2}
THEMES = ["", "azc_asiel", "wonen;voetbal", "voetbal;jeugdgroepen;wonen", "jeugdgroepen"]


def _facts(row: dict) -> SignalFacts:
    action = row["action_date"]
    return SignalFacts(
        wijk_id=WIJK_IDS[row["wijk_code"]], observed_on=row["observed_on"].date(),
        created_at=row["created_at"].to_pydatetime(), reporter_id=row["reporter_id"],
        category=row["category"], severity=row["severity"], reliability=row["reliability"],
        reach=row["reach"], online=row["online"], status=row["status"],
        action_date=None if action is None else action.date(),
        themes=frozenset(t for t in row["themes"].split(";") if t))


@st.composite
def varied_rows(draw: st.DrawFn) -> dict:
    row = draw(signal_rows())
    if row["action_date"] is not None:  # every offset around the windows' edges
        monday = row["observed_on"] - timedelta(days=row["observed_on"].weekday())
        row["action_date"] = monday + timedelta(days=draw(st.integers(-2, 30)))
    return {**row, "wijk_code": draw(st.sampled_from(sorted(WIJK_IDS))),
            "themes": draw(st.sampled_from(THEMES)),
            "created_at": row["created_at"] + timedelta(
                hours=draw(st.sampled_from([0, 11, 12, 24 * 3, 24 * 9])))}


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(varied_rows(), min_size=1, max_size=60), st.booleans())
def test_direct_rows_equal_the_engine(rows: list[dict], ignore_unconfirmed: bool) -> None:
    rules = replace(DEFAULT_RULES, ignore_niet_bevestigd=ignore_unconfirmed)
    engine = weekly_indicators(frame(rows), rules)
    engine = engine.assign(wijk_id=engine["wijk_code"].map(WIJK_IDS),
                           week_start=engine["week_start"].dt.date)
    keys = {(w, d) for w in WIJK_IDS.values() for d in engine["week_start"]}
    keys |= {(w, d + timedelta(weeks=5)) for w, d in keys}  # rows that do not exist
    direct = pd.DataFrame(indicator_rows([_facts(r) for r in rows], keys, rules))
    columns = ["wijk_id", "week_start", *INDICATOR_COLUMNS[2:]]
    expected = engine[columns].sort_values(["wijk_id", "week_start"]).reset_index(drop=True)
    direct = direct[columns].sort_values(["wijk_id", "week_start"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(direct, expected, check_dtype=False)
