"""Proposed phase per wijk per week: docs/phase-rules.md, rules 1-11.

The weekly indicators are laid out as (weeks x wijken) arrays over the requested weeks,
plus ``rules.warmup_weeks`` weeks before them; a missing wijk-week means no signals. The
rules work on whole arrays:

1. score = this week's score + ``recency_last_week`` x last week's, floored at 0;
2. EARS (``rules.ears_method``) on that score against the wijk's own history, with the
   ``min_sigma`` and dispersion floors, and the %-change of the number of signals against
   the previous weeks (shown, not used for the phase). The history (the baseline) is the
   same score without the weerbaarheid subtraction. Resilience lowers the week it is
   reported in, and never lowers the bar for later weeks. So adding a weerbaarheid signal
   can never raise a phase;
3-7. the raw phase is the highest level whose conditions hold (see :func:`raw_phases`);
8-9. then one loop over the weeks, vectorised across all wijken, applies the gradual
   de-escalation and the nafase (see :func:`apply_dynamics`);
10. the visibility flag, from the reporting rate;
11. Dutch reasons for every row, and the statistics behind them (signals.engine.reasons);
    a risk moment in the coming 14 days adds a line and, with ``risk_moment_weight`` > 0,
    counts as extra score points at the thresholds (signals.engine.risk).

Weeks before the first stored aggregate count as weeks without signals. Just after a
deployment, a busy wijk is therefore compared with a quiet baseline until it has about
ten weeks of history of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from signals.domain import PHASES
from signals.engine.detection import (
    CHANGE_BANDS,
    NO_BAND,
    EarsArrays,
    ears_array,
    pct_change_array,
)
from signals.engine.reasons import details, explain
from signals.engine.risk import append_line, risk_grid, risk_line
from signals.engine.rules import MAX_PHASE, Rules
from signals.engine.weeks import WEEK_DTYPE, day_numbers, week_label

PHASE_COLUMNS: tuple[str, ...] = (
    "wijk_code", "week_start", "week", "phase", "raw_phase", "phase_name", "nafase",
    "visibility", "score", "upperbound", "alarm", "pct_change", "change_band", "n_signals",
    "reporters", "expected", "reporting_rate", "timeliness", "online_share", "top_themes",
    "reasons", "details",
)
VISIBLE, NOT_VISIBLE = "ok", "onvoldoende"
# Indicator columns that the rules read; all are counts or flags, so missing means 0.
_PANEL_COLUMNS = (
    "score", "n_weerbaarheid", "n_signals", "n_nul", "reporters", "unrest_n_2w",
    "unrest_reporters_2w", "unrest_offline_reporters_2w", "severe_n_2w", "severe_reporters_2w",
    "severe_verified_2w",
    "theme_n_2w", "theme_reporters_2w", "call_n", "call_verified", "call_reporters",
    "call_offline_reporters", "disorder_n", "disorder_verified", "disorder_reporters",
    "online_n", "on_time_n",
)
THEME_MIN_SIGMA = 1.0  # a count of signals varies by at least one signal
_NEVER = np.iinfo(np.int32).max // 2  # "weeks since the last phase 4" before any phase 4


@dataclass(frozen=True)
class Panel:
    """Indicator columns as (weeks x wijken) arrays over the computed weeks."""

    wijken: pd.Index
    mondays: np.ndarray  # day number of each computed week's Monday
    values: dict[str, np.ndarray]
    top_themes: np.ndarray  # int64 (weeks x wijken) index into theme_names
    theme_names: list[str]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.values[name]


@dataclass(frozen=True)
class Routes:
    """Which condition of rules 4-7 holds per cell (weeks x wijken)."""

    phase1: np.ndarray
    alarm: np.ndarray  # rule 5, score route
    severe: np.ndarray  # rule 5, severe categories that stand out against the wijk's usual
    verified_severe: np.ndarray  # rule 5, one verified severe signal
    theme: np.ndarray  # rule 5, one theme that lasts and stands out against the wijk's usual
    call: np.ndarray  # rule 6
    disorder: np.ndarray  # rule 7


@dataclass(frozen=True)
class Dynamics:
    phase: np.ndarray
    previous: np.ndarray  # proposed phase of the week before (0 before the first week)
    nafase: np.ndarray
    since_phase4: np.ndarray  # weeks since the last phase-4 week (before this week)


def build_panel(indicators: pd.DataFrame, wijken: pd.Index, first_monday: int,
                n_weeks: int) -> Panel:
    days = day_numbers(indicators["week_start"])
    t = (days - first_monday) // 7
    inside = (t >= 0) & (t < n_weeks)
    cell = t[inside] * len(wijken) + wijken.get_indexer(indicators["wijk_code"][inside])
    values = {}
    for col in _PANEL_COLUMNS:
        grid = np.zeros((n_weeks, len(wijken)))
        grid.ravel()[cell] = indicators[col].to_numpy(dtype=np.float64)[inside]
        values[col] = grid
    codes, names = pd.factorize(indicators["top_themes"].fillna("")[inside])
    themes = np.full((n_weeks, len(wijken)), len(names), dtype=np.int64)  # last name: ""
    themes.ravel()[cell] = codes
    mondays = first_monday + 7 * np.arange(n_weeks)
    return Panel(wijken=wijken, mondays=mondays, values=values, top_themes=themes,
                 theme_names=[*map(str, names), ""])


def recency_score(own: np.ndarray, recency: float) -> np.ndarray:
    """Rule 1: this week's score plus a fraction of last week's, floored at 0."""
    last = np.zeros_like(own)
    last[1:] = own[:-1]
    return np.maximum(own + recency * last, 0.0)


def raw_phases(p: Panel, score: np.ndarray, alarm: np.ndarray, rules: Rules,
               excess: np.ndarray | None = None,
               severe_stands_out: np.ndarray | None = None,
               theme_stands_out: np.ndarray | None = None,
               lift: np.ndarray | float = 0.0) -> tuple[np.ndarray, Routes]:
    """Rules 3-7: the highest phase whose conditions hold, before rules 8 and 9.

    * 1: an unrest signal this or last week, and a score above ``phase1_min_score``;
    * 2: an EARS alarm on that score, at least ``phase2_min_excess`` above the wijk's usual
      score, with unrest signals from at least ``phase2_min_reporters`` reporters who saw
      it offline, or from ``phase2_score_min_reporters`` in all (key figures who only saw
      it online may all have seen the same post); or
      severe-category signals from ``phase2_min_reporters`` reporters whose number stands
      out against the wijk's own usual number (``severe_stands_out``); or one theme in both
      weeks, with at least ``phase2_theme_min_signals`` signals from ``phase2_min_reporters``
      reporters, standing out against the wijk's usual (``theme_stands_out``); or one
      verified severe signal of ``phase2_verified_min_severity`` (this and last week);
    * 3: a call to action within the horizon, verified, or from ``phase3_min_reporters``
      reporters of whom ``phase3_min_offline_reporters`` saw it offline;
    * 4: disorder of severity ``phase4_min_severity`` this week, verified or from
      ``phase4_min_reporters`` reporters.

    ``excess``, ``severe_stands_out`` and ``theme_stands_out`` default to "always enough" (a
    caller without a baseline). Corroboration (rule 3) is the distinct-reporter counts: no number of
    signals from one key figure satisfies it. Only a coordinator's verification can stand
    in for it.

    ``lift`` (score points, per cell) is added to the score where it meets the phase-1 and
    minimum-excess thresholds: the risk-moment weight. The caller lifts ``alarm`` likewise.
    """
    above = score + lift > rules.phase1_min_score
    enough = True if excess is None else excess + lift >= rules.phase2_min_excess
    stands_out = True if severe_stands_out is None else severe_stands_out
    theme_out = True if theme_stands_out is None else theme_stands_out
    routes = Routes(
        phase1=(p["unrest_n_2w"] >= 1) & above,
        alarm=alarm & above & enough & (
            (p["unrest_offline_reporters_2w"] >= rules.phase2_min_reporters)
            | (p["unrest_reporters_2w"] >= rules.phase2_score_min_reporters)),
        severe=(p["severe_reporters_2w"] >= rules.phase2_min_reporters) & stands_out,
        verified_severe=p["severe_verified_2w"] >= 1,
        theme=(p["theme_n_2w"] >= rules.phase2_theme_min_signals)
        & (p["theme_reporters_2w"] >= rules.phase2_min_reporters) & theme_out,
        call=(p["call_n"] >= 1) & (
            (p["call_verified"] > 0)
            | ((p["call_reporters"] >= rules.phase3_min_reporters)
               & (p["call_offline_reporters"] >= rules.phase3_min_offline_reporters))),
        disorder=(p["disorder_n"] >= 1) & (
            (p["disorder_verified"] > 0) | (p["disorder_reporters"] >= rules.phase4_min_reporters)),
    )
    phase2 = routes.alarm | routes.severe | routes.theme | routes.verified_severe
    raw = np.select([routes.disorder, routes.call, phase2, routes.phase1],
                    [4, 3, 2, 1], default=0)
    return raw.astype(np.int8), routes


def severe_baseline(p: Panel, rules: Rules) -> EarsArrays:
    """The wijk's usual number of severe-category signals (two-week counts), by EARS.

    The same reference weeks as the score; the sd is floored at ``phase2_severe_min_sigma``
    and at ``phase2_severe_dispersion_floor`` x sqrt(mean), so a few routine severe signals
    in a busy wijk do not stand out. One incident brings several reports, so these counts
    vary more than a Poisson count (whose sd is sqrt(mean)).
    """
    return ears_array(p["severe_n_2w"], rules.ears_method, rules.ears_baseline,
                      rules.phase2_severe_alpha, rules.phase2_severe_min_sigma,
                      dispersion_floor=rules.phase2_severe_dispersion_floor)


def theme_baseline(p: Panel, rules: Rules) -> EarsArrays:
    """The wijk's usual two-week count of its leading lasting theme, by EARS.

    The same reference weeks as the score; ``phase2_theme_alpha``, with the sd floored at
    one signal and at sqrt(mean) (a count). A wijk where some theme always runs needs more.
    """
    return ears_array(p["theme_n_2w"], rules.ears_method, rules.ears_baseline,
                      rules.phase2_theme_alpha, THEME_MIN_SIGMA, dispersion_floor=1.0)


def apply_dynamics(raw: np.ndarray, rules: Rules) -> Dynamics:
    """Rules 8 and 9, one step per week across all wijken at once."""
    phase = np.zeros_like(raw)
    previous = np.zeros_like(raw)
    nafase = np.zeros(raw.shape, dtype=bool)
    since = np.zeros(raw.shape, dtype=np.int32)
    last = np.zeros(raw.shape[1], dtype=raw.dtype)
    since4 = np.full(raw.shape[1], _NEVER, dtype=np.int32)
    for t in range(raw.shape[0]):
        nafase[t] = (since4 <= rules.nafase_weeks) & (raw[t] < MAX_PHASE)
        floor = np.where(nafase[t], rules.nafase_min_phase, 0)
        decayed = last.astype(np.int16) - rules.max_drop_per_week
        phase[t] = np.maximum(np.maximum(raw[t], decayed), floor)
        previous[t], since[t] = last, since4
        last = phase[t]
        since4 = np.where(raw[t] == MAX_PHASE, 1, since4 + 1)
    return Dynamics(phase=phase, previous=previous, nafase=nafase, since_phase4=since)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / den, np.nan)


def propose_phases(indicators: pd.DataFrame, expected: pd.Series, weeks: pd.DatetimeIndex,
                   rules: Rules, risk: pd.DataFrame | None = None) -> pd.DataFrame:
    """Proposed phase per wijk x requested week; see the module docstring and docs/phase-rules.md.

    ``indicators`` is the output of ``weekly_indicators`` for at least the requested weeks and
    ``rules.warmup_weeks`` before them; ``expected`` maps wijk_code to the number of active
    key figures assigned. ``risk`` (columns ``wijk_code``, ``week_start`` = Monday,
    ``moments`` = text naming them) lists the wijk-weeks, warm-up weeks included, with a risk
    moment in their coming 14 days (signals.engine.risk). Rows are sorted by wijk_code, then
    week.
    """
    days = day_numbers(pd.Series(weeks))
    mondays = np.unique(days - (days + 3) % 7)  # any day of a week stands for its Monday
    expected = pd.Series(expected.to_numpy(), index=expected.index.astype("str"))
    first = int(mondays[0]) - 7 * rules.warmup_weeks if len(mondays) else 0
    week_of = day_numbers(indicators["week_start"])
    in_range = (week_of >= first) & (week_of <= (mondays[-1] if len(mondays) else -1))
    wijken = pd.Index(expected.index).union(
        pd.Index(indicators["wijk_code"][in_range].unique()).astype("str")).sort_values()
    if not len(mondays) or not len(wijken):
        return empty_phases()
    n_weeks = (int(mondays[-1]) - first) // 7 + 1
    panel = build_panel(indicators, wijken, first, n_weeks)
    expected_n = expected.groupby(level=0).sum().reindex(wijken).fillna(0).to_numpy(
        dtype=np.float64)
    risk_days = None if risk is None or risk.empty else day_numbers(risk["week_start"])
    ahead = risk_grid(risk, wijken, panel.mondays, risk_days)
    table = _evaluate(panel, expected_n, (mondays - first) // 7, rules, ahead)
    return _with_risk_lines(table, risk, rules)


def _with_risk_lines(table: pd.DataFrame, risk: pd.DataFrame | None,
                     rules: Rules) -> pd.DataFrame:
    """The risk line on every row with a moment ahead; the weight's effect is named."""
    if risk is None or risk.empty or table.empty:
        return table.drop(columns="unlifted_raw")
    key = pd.MultiIndex.from_arrays([risk["wijk_code"].astype(str),
                                     day_numbers(risk["week_start"])])
    moments = pd.Series(risk["moments"].to_numpy(), index=key)
    moments = moments[~moments.index.duplicated()]
    rows = pd.MultiIndex.from_arrays([table["wijk_code"].astype(str),
                                      day_numbers(table["week_start"])])
    found = moments.reindex(rows).fillna("").to_numpy()
    lines = [append_line(r, risk_line(m, rules.risk_moment_weight, int(u), int(raw)))
             for r, m, u, raw in zip(table["reasons"], found, table["unlifted_raw"],
                                     table["raw_phase"], strict=True)]
    return table.drop(columns="unlifted_raw").assign(reasons=pd.array(lines, dtype="str"))


@dataclass(frozen=True)
class Evaluation:
    """Every rule's result as (weeks x wijken) arrays over the computed weeks."""

    score: np.ndarray
    ears: EarsArrays
    pct: np.ndarray
    band: np.ndarray
    severe: EarsArrays
    theme: EarsArrays
    raw: np.ndarray
    routes: Routes
    dyn: Dynamics
    reporting_rate: np.ndarray
    visible: np.ndarray
    unlifted_raw: np.ndarray  # the raw phase without the risk-moment weight


def evaluate(p: Panel, expected: np.ndarray, rules: Rules,
             risk_ahead: np.ndarray | None = None) -> Evaluation:
    """Rules 1-10 over the whole panel; ``risk_ahead`` flags wijk-weeks with a risk moment
    in their coming 14 days (they get ``risk_moment_weight`` extra points at the thresholds).
    """
    score = recency_score(p["score"], rules.recency_last_week)
    without_resilience = p["score"] + rules.weerbaarheid_weight * p["n_weerbaarheid"]
    ears = ears_array(score, rules.ears_method, rules.ears_baseline, rules.ears_alpha,
                      rules.ears_min_sigma,
                      reference=recency_score(without_resilience, rules.recency_last_week),
                      dispersion_floor=rules.ears_dispersion_floor)
    pct, band = pct_change_array(
        p["n_signals"], rules.change_window, rules.change_low_mean, rules.change_low_count,
        rules.change_large_increase, rules.change_moderate_increase, rules.change_large_decrease)
    severe = severe_baseline(p, rules)
    theme = theme_baseline(p, rules)
    # Before the wijk has EARS history, its usual level counts as 0 (the score is the excess).
    excess = score - np.nan_to_num(ears.baseline)
    raw, routes = raw_phases(p, score, ears.alarm, rules, excess=excess,
                             severe_stands_out=severe.alarm, theme_stands_out=theme.alarm)
    unlifted = raw
    if risk_ahead is not None and rules.risk_moment_weight > 0 and risk_ahead.any():
        lift = np.where(risk_ahead, rules.risk_moment_weight, 0.0)
        with np.errstate(invalid="ignore"):
            alarm = ears.alarm | (score + lift > ears.upperbound)
        raw, routes = raw_phases(p, score, alarm, rules, excess=excess,
                                 severe_stands_out=severe.alarm,
                                 theme_stands_out=theme.alarm, lift=lift)
    reporting_rate = _ratio(p["reporters"], expected[None, :])
    visible = (expected[None, :] > 0) & (reporting_rate >= rules.visibility_min_rate)
    return Evaluation(score, ears, pct, band, severe, theme, raw, routes,
                      apply_dynamics(raw, rules), reporting_rate, visible, unlifted)


def _evaluate(p: Panel, expected: np.ndarray, cols: np.ndarray, rules: Rules,
              risk_ahead: np.ndarray | None = None) -> pd.DataFrame:
    ev = evaluate(p, expected, rules, risk_ahead)

    def pick(a: np.ndarray) -> np.ndarray:
        """Requested weeks only, flattened wijk-major (all weeks of a wijk together)."""
        return a[cols].T.ravel()

    labels = [week_label(pd.Timestamp(d, unit="D")) for d in p.mondays]
    out = _frame(p, ev, expected, cols, labels, pick)
    context = {name: pick(a) for name, a in p.values.items()}
    context.update({c: out[c].to_numpy() for c in (
        "phase", "raw_phase", "nafase", "score", "upperbound", "alarm", "pct_change",
        "expected", "reporting_rate")})
    r = ev.routes
    context.update(
        alarm_route=pick(r.alarm), severe_route=pick(r.severe),
        verified_severe_route=pick(r.verified_severe), call_route=pick(r.call),
        severe_upperbound=pick(ev.severe.upperbound), severe_usual=pick(ev.severe.baseline),
        theme_route=pick(r.theme), theme_upperbound=pick(ev.theme.upperbound),
        theme_usual=pick(ev.theme.baseline),
        disorder_route=pick(r.disorder), baseline=pick(ev.ears.baseline),
        previous=pick(ev.dyn.previous), since_phase4=pick(ev.dyn.since_phase4),
        last_phase4_week=pick(np.arange(len(labels))[:, None] - ev.dyn.since_phase4),
        week_labels=labels, theme_names=p.theme_names, top_themes=pick(p.top_themes),
        visible=pick(ev.visible), change_band=pick(ev.band))
    out["reasons"] = explain(context, rules).array
    out["details"] = details(context, rules).array
    out["unlifted_raw"] = pick(ev.unlifted_raw).astype(np.int64)
    return out


def _frame(p: Panel, ev: Evaluation, expected: np.ndarray, cols: np.ndarray,
           labels: list[str], pick: Callable[[np.ndarray], np.ndarray]) -> pd.DataFrame:
    """Every column but the reasons; text columns are built with ``take`` on small tables."""
    n_weeks, n_wijken = len(cols), len(p.wijken)
    phase = pick(ev.dyn.phase).astype(np.int64)
    band = pick(ev.band)
    return pd.DataFrame({
        "wijk_code": pd.Index(p.wijken, dtype="str").repeat(n_weeks),
        "week_start": np.tile(p.mondays[cols], n_wijken).astype("datetime64[D]").astype(
            WEEK_DTYPE),
        "week": pd.Index(labels, dtype="str").take(np.tile(cols, n_wijken)),
        "phase": phase,
        "raw_phase": pick(ev.raw).astype(np.int64),
        "phase_name": pd.Index([ph.name for ph in PHASES], dtype="str").take(phase),
        "nafase": pick(ev.dyn.nafase),
        "visibility": pd.Index([NOT_VISIBLE, VISIBLE], dtype="str").take(
            pick(ev.visible).astype(np.int64)),
        "score": pick(ev.score),
        "upperbound": pick(ev.ears.upperbound),
        "alarm": pick(ev.ears.alarm),
        "pct_change": pick(ev.pct),
        "change_band": pd.Index([*CHANGE_BANDS, None], dtype="str").take(
            np.where(band == NO_BAND, len(CHANGE_BANDS), band)),
        "n_signals": pick(p["n_signals"]).astype(np.int64),
        "reporters": pick(p["reporters"]).astype(np.int64),
        "expected": np.repeat(expected, n_weeks).astype(np.int64),
        "reporting_rate": pick(ev.reporting_rate),
        "timeliness": pick(_ratio(p["on_time_n"], p["n_signals"] + p["n_nul"])),
        "online_share": pick(_ratio(p["online_n"], p["n_signals"])),
        "top_themes": pd.Index(p.theme_names, dtype="str").take(pick(p.top_themes)),
    }, copy=False)


def empty_phases() -> pd.DataFrame:
    """A phase frame without rows, with the right columns and dtypes."""
    dtypes = {"week_start": WEEK_DTYPE, "phase": "int64", "raw_phase": "int64", "nafase": bool,
              "alarm": bool, "n_signals": "int64", "reporters": "int64", "expected": "int64"}
    floats = ("score", "upperbound", "pct_change", "reporting_rate", "timeliness",
              "online_share")
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "float64" if c in floats else "str"))
                         for c in PHASE_COLUMNS})
