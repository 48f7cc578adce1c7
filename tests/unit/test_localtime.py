"""The product's one time zone and the Monday of a date."""

from __future__ import annotations

from datetime import date

from signals.localtime import LOCAL_TZ, TIMEZONE, monday_of, today_local


def test_monday_of_a_date_in_the_same_iso_week() -> None:
    assert monday_of(date(2026, 11, 22)) == date(2026, 11, 16)  # Sunday
    assert monday_of(date(2026, 11, 16)) == date(2026, 11, 16)  # Monday itself
    assert monday_of(date(2027, 1, 1)) == date(2026, 12, 28)  # across the year end


def test_monday_of_defaults_to_this_week_in_amsterdam() -> None:
    assert monday_of() == monday_of(today_local())
    assert str(LOCAL_TZ) == TIMEZONE == "Europe/Amsterdam"
