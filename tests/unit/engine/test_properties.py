"""Hypothesis properties of the proposed phase (docs/phase-rules.md)."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signals.domain import CATEGORIES, REACHES, RELIABILITIES, Status
from signals.engine.indicators import weekly_indicators
from signals.engine.phases import propose_phases
from signals.engine.rules import DEFAULT_RULES
from signals.engine.weeks import parse_week, week_range

from .factories import WIJK, day, frame, signal, weeks

WEEKS = weeks("2026-W01", "2026-W20")
RANGE = week_range(parse_week(WEEKS[0]), parse_week(WEEKS[-1]))
EXPECTED = pd.Series({WIJK: 3})
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Heavier categories are likelier, so phases 2-4 occur often.
_CODES = [c.code for c in CATEGORIES] + ["ordeverstoring", "oproep_mobilisatie",
                                         "haat_discriminatie"] * 2


@st.composite
def signal_rows(draw: st.DrawFn, reporters: list[int] | None = None,
                statuses: list[str] | None = None) -> dict:
    week = draw(st.sampled_from(WEEKS))
    code = draw(st.sampled_from(_CODES))
    action = None
    if code == "oproep_mobilisatie" and draw(st.booleans()):
        action = day(week, 0) + pd.Timedelta(days=draw(st.integers(0, 20)))
    return signal(week, weekday=draw(st.integers(0, 6)),
                  reporter=draw(st.sampled_from(reporters or [1, 2, 3, 4, None])),
                  category=code, severity=draw(st.integers(0, 5)),
                  reliability=draw(st.sampled_from(list(RELIABILITIES))),
                  reach=draw(st.sampled_from(list(REACHES))), online=draw(st.booleans()),
                  status=draw(st.sampled_from(statuses or [s.value for s in Status])),
                  action=action)


def _phases(rows: list[dict]) -> pd.DataFrame:
    indicators = weekly_indicators(frame(rows), DEFAULT_RULES)
    return propose_phases(indicators, EXPECTED, RANGE, DEFAULT_RULES).set_index("week")


@SETTINGS
@given(st.lists(signal_rows(), max_size=60), signal_rows(), st.data())
def test_a_weerbaarheid_signal_never_raises_a_phase(rows: list[dict], extra: dict,
                                                    data: st.DataObject) -> None:
    extra = {**extra, "category": "weerbaarheid",
             "severity": data.draw(st.integers(0, 5))}
    before, after = _phases(rows), _phases([*rows, extra])
    assert (after["phase"] <= before["phase"]).all()
    assert (after["raw_phase"] <= before["raw_phase"]).all()


@SETTINGS
@given(st.lists(signal_rows(reporters=[7], statuses=["nieuw", "in_duiding", "gesloten"]),
                min_size=1, max_size=60))
def test_one_reporter_never_corroborates(rows: list[dict]) -> None:
    indicators = weekly_indicators(frame(rows), DEFAULT_RULES)
    for column in ("unrest_reporters_2w", "severe_reporters_2w", "call_reporters",
                   "disorder_reporters"):
        assert indicators[column].max() <= 1
    table = propose_phases(indicators, EXPECTED, RANGE, DEFAULT_RULES)
    assert table["raw_phase"].max() <= 1


@SETTINGS
@given(st.lists(signal_rows(), max_size=80))
def test_the_phase_drops_at_most_one_level_per_week(rows: list[dict]) -> None:
    phase = _phases(rows)["phase"].to_numpy()
    assert (phase[1:] >= phase[:-1] - DEFAULT_RULES.max_drop_per_week).all()


@SETTINGS
@given(st.lists(signal_rows(), max_size=80))
def test_nafase_follows_every_phase_4_week(rows: list[dict]) -> None:
    table = _phases(rows)
    phase, nafase = table["phase"].to_numpy(), table["nafase"].to_numpy()
    for t in range(len(phase)):
        recent = phase[max(0, t - DEFAULT_RULES.nafase_weeks):t]
        expected = (recent == 4).any() and phase[t] != 4
        assert nafase[t] == expected
        if nafase[t]:
            assert phase[t] >= DEFAULT_RULES.nafase_min_phase
