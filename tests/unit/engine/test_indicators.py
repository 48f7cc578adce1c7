"""weekly_indicators: hand-checked examples, and equality with a slow reference on random data."""

from __future__ import annotations

from unittest.mock import patch

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signals.domain import CATEGORIES, REACHES, RELIABILITIES, THEMES, Status
from signals.engine import grid
from signals.engine.indicators import INDICATOR_COLUMNS, weekly_indicators
from signals.engine.rules import DEFAULT_RULES, rules_from_mapping, rules_to_mapping

from .factories import OTHER_WIJK, WIJK, day, frame, signal
from .reference import reference_indicators


def _row(ind: pd.DataFrame, week: str, wijk: str = WIJK) -> pd.Series:
    match = ind[(ind["wijk_code"] == wijk) & (ind["week_start"] == day(week))]
    assert len(match) == 1, f"no single row for {wijk} {week}"
    return match.iloc[0]


def test_columns_and_rows_for_this_and_next_week() -> None:
    ind = weekly_indicators(frame([signal("2026-W10")]), DEFAULT_RULES)
    assert list(ind.columns) == list(INDICATOR_COLUMNS)
    assert ind["week_start"].tolist() == [day("2026-W10"), day("2026-W11")]
    assert ind["n_signals"].tolist() == [1, 0]
    assert ind["unrest_n_2w"].tolist() == [1, 1]  # the next week still sees it


def test_mixed_week_by_hand() -> None:
    ind = weekly_indicators(frame([
        signal(reporter=1, themes="azc_asiel;wonen"),
        signal(reporter=1, themes="azc_asiel"),
        signal(reporter=2, category="haat_discriminatie", themes="religie"),
        signal("2026-W11", reporter=3, category="spanning_groepen"),
        signal(reporter=4, category="geen_bijzonderheden"),
        signal(reporter=5, category="oproep_mobilisatie", online=True,
               action=day("2026-W12", 5)),
        signal(reporter=None, category="weerbaarheid"),
        signal(reporter=2, status="niet_bevestigd", category="ordeverstoring"),
    ]), DEFAULT_RULES)
    w10, w11 = _row(ind, "2026-W10"), _row(ind, "2026-W11")
    assert (w10["n_signals"], w10["n_nul"], w10["n_onvrede"]) == (5, 1, 2)
    assert w10["n_ordeverstoring"] == 0  # niet_bevestigd is ignored
    # onvrede 1 + 0.5 x 1 (repeat), haat 3, call 4, weerbaarheid -1
    assert w10["score"] == pytest.approx(7.5)
    assert w10["reporters"] == 4  # 1, 2, 4, 5 (the ignored signal's reporter 2 counts too)
    assert (w10["unrest_n_2w"], w10["unrest_reporters_2w"]) == (4, 3)
    assert (w11["unrest_n_2w"], w11["unrest_reporters_2w"]) == (5, 4)
    assert (w11["severe_n_2w"], w11["severe_reporters_2w"]) == (2, 2)
    assert (w10["call_n"], w10["call_reporters"], w10["call_offline_reporters"]) == (1, 1, 0)
    assert w11["call_n"] == 1  # observed last week, action date within this week's horizon
    assert w10["online_n"] == 1
    assert w10["on_time_n"] == 6
    assert w10["top_themes"] == "azc_asiel;religie;wonen"


def test_repeat_signals_of_one_reporter_are_discounted() -> None:
    rows = [signal(reporter=1, category="oproep_mobilisatie"), signal(reporter=1),
            signal(reporter=1), signal(reporter=2)]
    ind = weekly_indicators(frame(rows), DEFAULT_RULES)
    assert _row(ind, "2026-W10")["score"] == pytest.approx(4 + 0.5 * 2 + 1)


def test_ignore_niet_bevestigd_can_be_switched_off() -> None:
    mapping = rules_to_mapping(DEFAULT_RULES)
    mapping["signals"]["ignore_niet_bevestigd"] = False
    rules = rules_from_mapping(mapping)
    rows = [signal(category="ordeverstoring", status=Status.NIET_BEVESTIGD.value)]
    assert _row(weekly_indicators(frame(rows), rules), "2026-W10")["disorder_n"] == 1


@pytest.mark.parametrize(("action", "counted"), [
    (day("2026-W10", 0), True),  # this Monday
    (day("2026-W12", 6), True),  # Sunday + 14 days
    (day("2026-W13", 0), False),  # one day too late
    (day("2026-W09", 6), False),  # before this week
    (None, False),  # no action date
])
def test_call_horizon(action: pd.Timestamp | None, counted: bool) -> None:
    rows = [signal(category="oproep_mobilisatie", action=action)]
    assert _row(weekly_indicators(frame(rows), DEFAULT_RULES), "2026-W10")["call_n"] == counted


def test_call_of_last_week_counts_against_this_weeks_horizon() -> None:
    rows = [signal("2026-W09", category="oproep_mobilisatie", action=day("2026-W11", 2))]
    ind = weekly_indicators(frame(rows), DEFAULT_RULES)
    assert _row(ind, "2026-W09")["call_n"] == 1
    assert _row(ind, "2026-W10")["call_n"] == 1


def test_timeliness_uses_the_date_in_amsterdam() -> None:
    # Logged 23:30 UTC on the deadline day is already the next day in Amsterdam (CEST).
    row = signal("2026-W27", weekday=0)
    row["created_at"] = (day("2026-W27", 3) + pd.Timedelta(hours=23, minutes=30)).tz_localize(
        "UTC")
    late = frame([row])
    row["created_at"] = row["created_at"] - pd.Timedelta(hours=2)
    on_time = frame([row])
    assert _row(weekly_indicators(late, DEFAULT_RULES), "2026-W27")["on_time_n"] == 0
    assert _row(weekly_indicators(on_time, DEFAULT_RULES), "2026-W27")["on_time_n"] == 1


def test_unknown_category_counts_as_a_signal_only() -> None:
    row = signal(category="onvrede")
    row["category"] = "nieuwe_categorie"
    out = _row(weekly_indicators(frame([row]), DEFAULT_RULES), "2026-W10")
    assert out["n_signals"] == 1
    assert out["unrest_n_2w"] == 0


def test_top_themes_ties_break_by_code() -> None:
    rows = [signal(themes="wonen"), signal(themes="voetbal"), signal(themes="azc_asiel;voetbal"),
            signal(themes="lhbti;wonen"), signal(themes="overig")]
    assert _row(weekly_indicators(frame(rows), DEFAULT_RULES), "2026-W10")["top_themes"] == (
        "voetbal;wonen;azc_asiel")


def test_empty_and_missing_columns() -> None:
    empty = weekly_indicators(frame([]), DEFAULT_RULES)
    assert empty.empty
    assert list(empty.columns) == list(INDICATOR_COLUMNS)
    with pytest.raises(ValueError, match="themes"):
        weekly_indicators(frame([signal()]).drop(columns="themes"), DEFAULT_RULES)


def test_plain_object_columns_give_the_same_result() -> None:
    typed = frame([signal(reporter=r, category=c) for r, c in
                   [(1, "onvrede"), (2, "symbolen"), (None, "weerbaarheid")]])
    loose = typed.astype({c: object for c in typed.columns if c not in (
        "observed_on", "created_at", "action_date")})
    pd.testing.assert_frame_equal(weekly_indicators(loose, DEFAULT_RULES),
                                  weekly_indicators(typed, DEFAULT_RULES))


# --- equality with the reference on random data --------------------------------------------

_STATUSES = [s.value for s in Status]
_signal_rows = st.fixed_dictionaries({
    "week": st.sampled_from([f"2026-W{w:02d}" for w in range(8, 14)]),
    "weekday": st.integers(0, 6),
    "wijk": st.sampled_from([WIJK, OTHER_WIJK]),
    "reporter": st.one_of(st.none(), st.integers(1, 4)),
    "category": st.sampled_from([c.code for c in CATEGORIES]),
    "severity": st.integers(0, 5),
    "reliability": st.sampled_from(list(RELIABILITIES)),
    "reach": st.sampled_from(list(REACHES)),
    "online": st.booleans(),
    "status": st.sampled_from(_STATUSES),
    "action_offset": st.one_of(st.none(), st.integers(-3, 25)),
    "themes": st.lists(st.sampled_from(sorted(THEMES)[:5]), max_size=3),
    "logged_days_later": st.integers(0, 6),
})


def _random_frame(rows: list[dict]) -> pd.DataFrame:
    built = []
    for r in rows:
        observed = day(r["week"], r["weekday"])
        action = None if r["action_offset"] is None else observed + pd.Timedelta(
            days=r["action_offset"])
        built.append(signal(
            r["week"], weekday=r["weekday"], wijk=r["wijk"], reporter=r["reporter"],
            category=r["category"], severity=r["severity"], reliability=r["reliability"],
            reach=r["reach"], online=r["online"], status=r["status"], action=action,
            themes=";".join(r["themes"]), logged_days_later=r["logged_days_later"]))
    return frame(built)


def _assert_same(signals: pd.DataFrame) -> None:
    got = weekly_indicators(signals, DEFAULT_RULES)
    want = reference_indicators(signals, DEFAULT_RULES)
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_exact=False, rtol=1e-9)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_signal_rows, min_size=1, max_size=40))
def test_equals_the_reference(rows: list[dict]) -> None:
    _assert_same(_random_frame(rows))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_signal_rows, min_size=1, max_size=40))
def test_blocks_of_wijken_give_the_same_rows(rows: list[dict]) -> None:
    signals = _random_frame(rows)
    whole = weekly_indicators(signals, DEFAULT_RULES)
    with patch.object(grid, "BLOCK_SIGNALS", 3):  # every wijk its own block
        pd.testing.assert_frame_equal(weekly_indicators(signals, DEFAULT_RULES), whole)
