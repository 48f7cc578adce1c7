"""Local time: the one time zone of the product, today's date there, and the Monday of a date.

Weeks are ISO weeks (Monday to Sunday) in Europe/Amsterdam, also for Flemish municipalities
(Brussels keeps the same clock). Pure standard library, so every layer may use it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

TIMEZONE = "Europe/Amsterdam"
LOCAL_TZ = ZoneInfo(TIMEZONE)


def today_local() -> date:
    """Today's calendar date in Amsterdam."""
    return datetime.now(LOCAL_TZ).date()


def monday_of(day: date | None = None) -> date:
    """The Monday of the ISO week that contains `day` (default: today in Amsterdam)."""
    day = today_local() if day is None else day
    return day - timedelta(days=day.weekday())
