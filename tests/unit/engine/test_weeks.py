"""ISO weeks in Europe/Amsterdam."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from signals.engine.weeks import (
    current_week_start,
    parse_week,
    week_label,
    week_range,
    week_start,
)


def test_week_start_is_the_monday() -> None:
    assert week_start(date(2026, 11, 22)) == pd.Timestamp("2026-11-16")  # a Sunday
    assert week_start("2026-11-16") == pd.Timestamp("2026-11-16")
    assert week_start(date(2021, 1, 3)) == pd.Timestamp("2020-12-28")  # ISO week 2020-W53


def test_aware_timestamps_count_in_amsterdam() -> None:
    late_sunday_utc = pd.Timestamp("2026-11-22 23:30", tz="UTC")  # Monday 00:30 in Amsterdam
    assert week_start(late_sunday_utc) == pd.Timestamp("2026-11-23")


def test_labels_round_trip() -> None:
    assert week_label(pd.Timestamp("2026-11-19")) == "2026-W47"
    assert week_label(date(2021, 1, 3)) == "2020-W53"
    assert parse_week("2026-W47") == pd.Timestamp("2026-11-16")
    assert parse_week("2026-w01") == pd.Timestamp("2025-12-29")
    assert parse_week("2026-W53") == pd.Timestamp("2026-12-28")  # 2026 has 53 weeks


@pytest.mark.parametrize("text", ["2026-53", "2026W47", "47", "", "2026-W00", "2026-W54"])
def test_bad_week_text(text: str) -> None:
    with pytest.raises(ValueError, match=r"Ongeldige week .*gebruik JJJJ-Www, bijvoorbeeld"):
        parse_week(text)


def test_week_53_in_a_year_without_one() -> None:
    with pytest.raises(ValueError, match="2025 heeft geen week 53"):
        parse_week("2025-W53")


def test_week_range_is_inclusive() -> None:
    weeks = week_range(pd.Timestamp("2026-11-19"), pd.Timestamp("2026-12-02"))
    assert [week_label(w) for w in weeks] == ["2026-W47", "2026-W48", "2026-W49"]
    assert weeks.dtype == "datetime64[us]"


def test_current_week_start() -> None:
    now = datetime(2026, 11, 22, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert current_week_start(now) == pd.Timestamp("2026-11-23")
    assert current_week_start().day_of_week == 0


