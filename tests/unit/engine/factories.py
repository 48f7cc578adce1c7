"""Builders for small hand-made signal frames and indicator frames in the engine tests."""

from __future__ import annotations

from typing import Any

import pandas as pd

from signals.domain import CATEGORY_BY_CODE
from signals.engine.indicators import SIGNAL_COLUMNS
from signals.engine.weeks import parse_week

WIJK = "WK036301"
OTHER_WIJK = "WK036302"


def day(week: str, weekday: int = 0) -> pd.Timestamp:
    """A date in an ISO week: weekday 0 is Monday."""
    return parse_week(week) + pd.Timedelta(days=weekday)


def signal(week: str = "2026-W10", *, weekday: int = 2, wijk: str = WIJK, reporter: int | None = 1,
           category: str = "onvrede", severity: int | None = None, reliability: str = "hoog",
           reach: str = "individu", online: bool = False, status: str = "nieuw",
           action: pd.Timestamp | None = None, themes: str = "",
           logged_days_later: int = 0) -> dict[str, Any]:
    """One signal row with sensible defaults (observed on Wednesday, logged the same day)."""
    observed = day(week, weekday)
    return {
        "wijk_code": wijk,
        "observed_on": observed,
        "created_at": (observed + pd.Timedelta(days=logged_days_later, hours=12)).tz_localize(
            "Europe/Amsterdam").tz_convert("UTC"),
        "reporter_id": reporter,
        "category": category,
        "severity": CATEGORY_BY_CODE[category].default_severity if severity is None else severity,
        "reliability": reliability,
        "reach": reach,
        "online": online,
        "status": status,
        "action_date": action,
        "themes": themes,
    }


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A signal frame with the dtypes the DB layer delivers."""
    df = pd.DataFrame(rows, columns=list(SIGNAL_COLUMNS))
    df["observed_on"] = pd.to_datetime(df["observed_on"]).astype("datetime64[us]")
    df["created_at"] = pd.to_datetime(df["created_at"], utc=True)
    df["action_date"] = pd.to_datetime(df["action_date"]).astype("datetime64[us]")
    df["reporter_id"] = df["reporter_id"].astype("Int64")
    df["severity"] = df["severity"].astype("int64")
    df["online"] = df["online"].astype(bool)
    for col in ("wijk_code", "category", "reliability", "reach", "status", "themes"):
        df[col] = df[col].astype("str")
    return df


def weeks(first: str, last: str) -> list[str]:
    """Week labels from first to last, inclusive."""
    mondays = pd.date_range(parse_week(first), parse_week(last), freq="7D")
    return [f"{m.isocalendar().year}-W{m.isocalendar().week:02d}" for m in mondays]


def nul_meldingen(first: str, last: str, reporters: tuple[int, ...] = (1, 2, 3, 4),
                  wijk: str = WIJK) -> list[dict[str, Any]]:
    """A nul-melding from each reporter every week: full visibility, nothing going on."""
    return [signal(w, reporter=r, wijk=wijk, category="geen_bijzonderheden", weekday=0)
            for w in weeks(first, last) for r in reporters]


def phases(rows: list[dict[str, Any]], first: str = "2026-W01", last: str = "2026-W30",
           expected: dict[str, int] | None = None, rules: Any = None,
           wijk: str = WIJK, risk: pd.DataFrame | None = None) -> pd.DataFrame:
    """Proposed phases of one wijk per week, indexed by week label."""
    from signals.engine.indicators import weekly_indicators
    from signals.engine.phases import propose_phases
    from signals.engine.rules import DEFAULT_RULES
    from signals.engine.weeks import week_range

    rules = rules or DEFAULT_RULES
    indicators = weekly_indicators(frame(rows), rules)
    out = propose_phases(indicators, pd.Series(expected or {WIJK: 4}),
                         week_range(parse_week(first), parse_week(last)), rules, risk)
    return out[out["wijk_code"] == wijk].set_index("week")


def calm_history(last: str = "2026-W12") -> list[dict[str, Any]]:
    """Twelve weeks of nul-meldingen from four key figures."""
    return nul_meldingen("2026-W01", last)
