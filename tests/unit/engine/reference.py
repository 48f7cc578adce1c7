"""A slow, obviously-correct reference for weekly_indicators, written straight from the spec.

It works on plain Python records, one wijk-week at a time, so it only suits small test
frames. The vectorised engine must give exactly the same rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

import pandas as pd

from signals.domain import CATEGORIES, CATEGORY_BY_CODE, NUL_MELDING, SEVERE_CATEGORIES
from signals.engine.indicators import INDICATOR_COLUMNS
from signals.engine.rules import Rules

WEEK = timedelta(days=7)
Record = dict[str, Any]


def _records(signals: pd.DataFrame) -> list[Record]:
    records = []
    for row in signals.to_dict("records"):
        observed = row["observed_on"].date()
        row["monday"] = observed - timedelta(days=observed.weekday())
        row["logged"] = row["created_at"].tz_convert("Europe/Amsterdam").date()
        row["reporter"] = None if pd.isna(row["reporter_id"]) else int(row["reporter_id"])
        row["action"] = None if pd.isna(row["action_date"]) else row["action_date"].date()
        records.append(row)
    return records


def _weight(r: Record, rules: Rules) -> float:
    rel = rules.reliability_weights.get(r["reliability"], rules.reliability_weights["onbekend"])
    reach = rules.reach_weights.get(r["reach"], rules.reach_weights["individu"])
    return min(max(int(r["severity"]), 0), 5) * rel * reach


def _score(week: list[Record], rules: Rules) -> float:
    """Largest signal per reporter fully, repeats at repeat_weight, minus resilience."""
    per_reporter: dict[Any, list[float]] = defaultdict(list)
    total = 0.0
    for r in week:
        if r["category"] == "weerbaarheid":
            total -= rules.weerbaarheid_weight
        elif r["category"] != NUL_MELDING:
            if r["reporter"] is None:  # unknown reporters are independent of each other
                total += _weight(r, rules)
            else:
                per_reporter[r["reporter"]].append(_weight(r, rules))
    for weights in per_reporter.values():
        total += max(weights) + rules.repeat_weight * (sum(weights) - max(weights))
    return total


def _reporters(records: list[Record]) -> int:
    return len({r["reporter"] for r in records if r["reporter"] is not None})


def _top_themes(week: list[Record]) -> str:
    counts = Counter(t for r in week for t in set(str(r["themes"]).split(";")) if t)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ";".join(t for t, _ in ranked[:3])


def _themes_of(r: Record) -> set[str]:
    return {t for t in str(r["themes"]).split(";") if t}


def _sustained_theme(this: list[Record], last: list[Record]) -> tuple[int, int]:
    """The most signals (then reporters) of one unrest theme present in both weeks."""
    def unrest(records: list[Record]) -> list[Record]:
        return [r for r in records if (c := CATEGORY_BY_CODE.get(r["category"])) and c.unrest]

    this, last = unrest(this), unrest(last)
    shared = {t for r in this for t in _themes_of(r)} & {t for r in last for t in _themes_of(r)}
    return max(((len(about := [r for r in this + last if t in _themes_of(r)]),
                 _reporters(about)) for t in shared), default=(0, 0))


def _row(wijk: str, monday: date, this: list[Record], last: list[Record],
         everything_this: list[Record], rules: Rules) -> Record:
    two = this + last
    signals = [r for r in this if r["category"] != NUL_MELDING]
    unrest = [r for r in two if (c := CATEGORY_BY_CODE.get(r["category"])) and c.unrest]
    severe = [r for r in two if r["category"] in SEVERE_CATEGORIES]
    end = monday + timedelta(days=6 + rules.call_horizon_days)
    calls = [r for r in two if r["category"] == "oproep_mobilisatie"
             and r["action"] is not None and monday <= r["action"] <= end]
    disorder = [r for r in this if r["category"] == "ordeverstoring"
                and r["severity"] >= rules.phase4_min_severity]
    row: Record = {"wijk_code": wijk, "week_start": pd.Timestamp(monday),
                   "n_signals": len(signals),
                   "n_nul": sum(r["category"] == NUL_MELDING for r in this)}
    for cat in CATEGORIES:
        if cat.code != NUL_MELDING:
            row[f"n_{cat.code}"] = sum(r["category"] == cat.code for r in this)
    row.update(
        score=_score(this, rules), reporters=_reporters(everything_this),
        unrest_n_2w=len(unrest), unrest_reporters_2w=_reporters(unrest),
        unrest_offline_reporters_2w=_reporters([r for r in unrest if not r["online"]]),
        severe_n_2w=len(severe), severe_reporters_2w=_reporters(severe),
        severe_verified_2w=sum(r["status"] == "geverifieerd"
                               and r["severity"] >= rules.phase2_verified_min_severity
                               for r in severe),
        theme_n_2w=_sustained_theme(this, last)[0],
        theme_reporters_2w=_sustained_theme(this, last)[1],
        call_n=len(calls), call_verified=any(r["status"] == "geverifieerd" for r in calls),
        call_reporters=_reporters(calls),
        call_offline_reporters=_reporters([r for r in calls if not r["online"]]),
        disorder_n=len(disorder),
        disorder_verified=any(r["status"] == "geverifieerd" for r in disorder),
        disorder_reporters=_reporters(disorder),
        online_n=sum(bool(r["online"]) for r in signals),
        on_time_n=sum(r["logged"] <= r["observed_on"].date()
                      + timedelta(days=rules.timeliness_days) for r in this),
        top_themes=_top_themes(signals),
    )
    return row


def reference_indicators(signals: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    everything: dict[tuple[str, date], list[Record]] = defaultdict(list)
    kept: dict[tuple[str, date], list[Record]] = defaultdict(list)
    for r in _records(signals):
        everything[(r["wijk_code"], r["monday"])].append(r)
        if not (rules.ignore_niet_bevestigd and r["status"] == "niet_bevestigd"):
            kept[(r["wijk_code"], r["monday"])].append(r)
    weeks = set(everything) | {(w, m + WEEK) for w, m in everything}
    rows = [_row(w, m, kept[(w, m)], kept[(w, m - WEEK)], everything[(w, m)], rules)
            for w, m in sorted(weeks)]
    out = pd.DataFrame(rows, columns=list(INDICATOR_COLUMNS))
    out["week_start"] = out["week_start"].astype("datetime64[us]")
    return out
