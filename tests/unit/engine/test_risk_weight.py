"""The risk-moment weight: context at the score thresholds, off by default."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from signals.engine.rules import DEFAULT_RULES
from signals.engine.weeks import parse_week
from tests.unit.engine.factories import WIJK, calm_history, phases, signal

WEEK = "2026-W13"
MOMENT = "raadsbesluit op 26-03 (Azc en asiel)"
WEIGHTED = replace(DEFAULT_RULES, risk_moment_weight=0.5)


def _risk(week: str = WEEK) -> pd.DataFrame:
    return pd.DataFrame({"wijk_code": [WIJK], "week_start": [parse_week(week)],
                         "moments": [MOMENT]})


def _week(rules, risk=None) -> pd.Series:  # type: ignore[no-untyped-def]
    # One unrest signal of 0.8 points: just under the phase-1 threshold (> 1.0).
    rows = [*calm_history(), signal(WEEK, reliability="middel", severity=1)]
    return phases(rows, last="2026-W14", rules=rules, risk=risk).loc[WEEK]


def test_a_moment_ahead_lifts_a_week_just_under_the_threshold_one_phase() -> None:
    without = _week(WEIGHTED)
    assert without["score"] < DEFAULT_RULES.phase1_min_score and without["phase"] == 0
    lifted = _week(WEIGHTED, _risk())
    assert lifted["phase"] == 1
    assert lifted["score"] == without["score"]  # the shown score stays the real one
    assert f"Risicomoment binnen 14 dagen: {MOMENT}." in lifted["reasons"]
    assert "geeft de doorslag voor fase 1 (anders 0)" in lifted["reasons"]


def test_with_the_default_weight_a_moment_is_only_named() -> None:
    week = _week(DEFAULT_RULES, _risk())
    assert week["phase"] == _week(DEFAULT_RULES)["phase"] == 0
    assert MOMENT in week["reasons"] and "doorslag" not in week["reasons"]


def test_a_moment_alone_raises_nothing() -> None:
    """Without an unrest signal no weight makes a phase: the moment is context."""
    table = phases(calm_history(), last="2026-W14",
                   rules=replace(DEFAULT_RULES, risk_moment_weight=2.0), risk=_risk())
    assert (table["phase"] == 0).all()
    assert MOMENT in table.loc[WEEK, "reasons"]
    assert MOMENT not in table.loc["2026-W12", "reasons"]
