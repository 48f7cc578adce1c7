"""ISO weeks (Monday to Sunday, Europe/Amsterdam) as used by every weekly aggregate.

A week is represented by the naive ``pd.Timestamp`` of its Monday at midnight, at the pandas 3
default resolution (microseconds), and labelled ``JJJJ-Www`` (``2026-W47``) for people.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from signals.localtime import TIMEZONE

WEEK_DTYPE = "datetime64[us]"
_WEEK_PATTERN = re.compile(r"^\s*(\d{4})-[Ww](\d{1,2})\s*$")
_EXAMPLE = "gebruik JJJJ-Www, bijvoorbeeld 2026-W47"

DateLike = date | datetime | pd.Timestamp | np.datetime64 | str


def _local_naive(ts: pd.Timestamp) -> pd.Timestamp:
    """Wall-clock time in Amsterdam; naive timestamps are taken to be local already."""
    if ts.tzinfo is not None:
        ts = ts.tz_convert(TIMEZONE).tz_localize(None)
    return ts


def week_start(d: DateLike) -> pd.Timestamp:
    """Monday (00:00) of the ISO week that contains ``d``."""
    ts = _local_naive(pd.Timestamp(d)).normalize()
    return (ts - pd.Timedelta(days=ts.day_of_week)).as_unit("us")


def week_label(ts: DateLike) -> str:
    """ISO week label of a date, for example ``2026-W47``."""
    iso = _local_naive(pd.Timestamp(ts)).isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def parse_week(s: str) -> pd.Timestamp:
    """Monday of an ISO week given as ``JJJJ-Www``; raises ``ValueError`` with a Dutch message."""
    match = _WEEK_PATTERN.match(s) if isinstance(s, str) else None
    if match is None:
        raise ValueError(f"Ongeldige week '{s}': {_EXAMPLE}")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        detail = f"{year} heeft geen week {week}; " if week == 53 else ""
        raise ValueError(f"Ongeldige week '{s}': {detail}{_EXAMPLE}") from None
    return pd.Timestamp(monday).as_unit("us")


def week_range(first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    """Mondays from the week of ``first`` up to and including the week of ``last``."""
    return pd.date_range(week_start(first), week_start(last), freq="7D", unit="us")


def current_week_start(now: datetime | None = None) -> pd.Timestamp:
    """Monday of the current week in Amsterdam; a naive ``now`` is taken as Amsterdam time."""
    if now is None:
        now = datetime.now(ZoneInfo(TIMEZONE))
    return week_start(pd.Timestamp(now))


def day_numbers(values: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 (local date in Amsterdam for tz-aware values) as int64.

    NaT becomes the minimum int64, which compares below every real day.
    """
    if not pd.api.types.is_datetime64_any_dtype(values.dtype):
        values = pd.to_datetime(values)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    return values.to_numpy().astype("datetime64[D]").astype(np.int64)


def week_numbers(days: np.ndarray) -> np.ndarray:
    """ISO week number since the epoch for day numbers: 1970-01-01 was a Thursday."""
    return (days + 3) // 7


def monday_of_week_number(weeks: np.ndarray) -> np.ndarray:
    """Day number of the Monday of a week number from :func:`week_numbers`."""
    return weeks * 7 - 3
