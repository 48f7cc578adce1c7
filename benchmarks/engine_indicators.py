"""Benchmark the pure phase engine on synthetic signals (no database, no files).

    .venv/bin/python benchmarks/engine_indicators.py              # 1M signals, 500 wijken
    .venv/bin/python benchmarks/engine_indicators.py --size 10m   # 10M signals, 3,300 wijken
    .venv/bin/python benchmarks/engine_indicators.py --dtype category   # text as categoricals

The signals are generated in memory (numpy, seeded): five years, busy and quiet wijken,
5-30 key figures per wijk, mostly nul-meldingen, text columns as pandas ``str``.

Measures:
(a) raw signals -> ``weekly_indicators``, against DuckDB computing the same weekly per-wijk
    aggregates (counts per category, score, distinct reporters) from the same in-memory
    pandas frame in the same run. Target: at most 3x DuckDB.
(b) ``propose_phases`` over all wijken, for the last 12 weeks and for the whole history,
    from the indicators (as the service does, without the signals in memory).
(d) memory: the resident set of the whole process (ru_maxrss) at the start of each step
    and its peak during the step. Target: at most 2 GB at 10M. On Linux the peak is reset
    before each step, so each step is measured on its own.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from signals.domain import CATEGORIES, NUL_MELDING, REACHES, RELIABILITIES, WEERBAARHEID  # noqa: E402
from signals.engine.indicators import weekly_indicators  # noqa: E402
from signals.engine.phases import propose_phases  # noqa: E402
from signals.engine.rules import DEFAULT_RULES, Rules  # noqa: E402


@dataclass(frozen=True)
class Size:
    signals: int
    wijken: int
    weeks: int = 261  # five years


SIZES = {"1m": Size(1_000_000, 500), "10m": Size(10_000_000, 3_300)}
FIRST_MONDAY = np.datetime64("2021-11-29")
CATEGORY_P = {  # share of each category among the reports: mostly nul-meldingen
    "geen_bijzonderheden": 0.60, "onvrede": 0.10, "geruchten_desinformatie": 0.05,
    "anti_overheid": 0.04, "spanning_groepen": 0.04, "symbolen": 0.03,
    "haat_discriminatie": 0.02, "collectieve_actie": 0.02, "oproep_mobilisatie": 0.015,
    "bedreiging_intimidatie": 0.015, "ordeverstoring": 0.01, "aanleiding": 0.03,
    "weerbaarheid": 0.03,
}
STATUS_P = {"nieuw": 0.45, "in_duiding": 0.15, "geverifieerd": 0.2, "niet_bevestigd": 0.1,
            "gesloten": 0.1}
THEME_COMBOS = {  # share of each set of themes; most signals have none
    "": 0.5, "azc_asiel": 0.1, "azc_asiel;wonen": 0.05, "jeugdgroepen": 0.08, "voetbal": 0.05,
    "israel_gaza": 0.05, "boeren_stikstof": 0.04, "bestaanszekerheid;wonen": 0.04,
    "jaarwisseling": 0.03, "religie;israel_gaza": 0.03, "overig": 0.03,
}
_CHUNK = 1 << 20  # rows per chunk when building text columns, to keep generation lean


def _strings_from_codes(codes: np.ndarray, options: list[str], dtype: str) -> pd.Series:
    if dtype == "category":
        return pd.Series(pd.Categorical.from_codes(codes, categories=options))
    table = np.array(options, dtype=object)
    parts = [pd.Series(table[codes[i:i + _CHUNK]], dtype="str")
             for i in range(0, len(codes), _CHUNK)]
    return pd.concat(parts, ignore_index=True)


def _strings(rng: np.random.Generator, options: list[str], n: int, dtype: str,
             p: list[float] | None = None) -> pd.Series:
    return _strings_from_codes(rng.choice(len(options), size=n, p=p).astype(np.int8), options,
                               dtype)


def synthetic_signals(size: Size, dtype: str = "str", seed: int = 20261122) -> pd.DataFrame:
    """Seeded synthetic signals: busy and quiet wijken, 5-30 key figures each.

    Built column by column so that generating does not set the peak memory. ``dtype`` is the
    dtype of the text columns: "str" (pandas' default) or "category".
    """
    rng = np.random.default_rng(seed)
    n = size.signals
    activity = rng.lognormal(0.0, 1.0, size.wijken)
    wijk = rng.choice(size.wijken, size=n, p=activity / activity.sum()).astype(np.int32)
    per_wijk = rng.integers(5, 31, size.wijken)
    first_reporter = np.concatenate([[0], np.cumsum(per_wijk)[:-1]])
    reporter = first_reporter[wijk] + (rng.random(n) * per_wijk[wijk]).astype(np.int64) + 1
    wijk_codes = [f"WK{i:06d}" for i in range(size.wijken)]
    cols: dict[str, object] = {"wijk_code": _strings_from_codes(wijk, wijk_codes, dtype)}
    del wijk
    day = rng.integers(0, size.weeks * 7, n).astype("timedelta64[D]")
    cols["observed_on"] = (FIRST_MONDAY + day).astype("datetime64[us]")
    cols["created_at"] = pd.Series(
        cols["observed_on"] + rng.integers(0, 5 * 86400, n).astype("timedelta64[s]")
    ).dt.tz_localize("UTC")
    del day
    ids = pd.array(reporter, dtype="Int64")
    ids[rng.random(n) < 0.02] = pd.NA  # purged by retention
    cols["reporter_id"] = ids
    del reporter
    codes = list(CATEGORY_P)
    category = rng.choice(len(codes), size=n, p=list(CATEGORY_P.values())).astype(np.int8)
    cols["category"] = _strings_from_codes(category, codes, dtype)
    default = np.array([{c.code: c.default_severity for c in CATEGORIES}[c] for c in codes])
    severity = np.clip(default[category] + rng.integers(-1, 2, n), 0, 5)
    severity[category == codes.index(NUL_MELDING)] = 0
    cols["severity"] = severity.astype(np.int64)
    cols["reliability"] = _strings(rng, list(RELIABILITIES), n, dtype, [0.3, 0.3, 0.1, 0.3])
    cols["reach"] = _strings(rng, list(REACHES), n, dtype, [0.4, 0.3, 0.2, 0.1])
    cols["online"] = rng.random(n) < 0.3
    cols["status"] = _strings(rng, list(STATUS_P), n, dtype, list(STATUS_P.values()))
    is_call = category == codes.index("oproep_mobilisatie")
    action = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    action[is_call] = cols["observed_on"][is_call] + rng.integers(
        0, 21, int(is_call.sum())).astype("timedelta64[D]")
    cols["action_date"] = action
    cols["themes"] = _strings(rng, list(THEME_COMBOS), n, dtype, list(THEME_COMBOS.values()))
    return pd.DataFrame(cols, copy=False)




def duckdb_aggregates(signals: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """The same weekly per-wijk counts per category, score and distinct reporters in DuckDB."""
    def case(column: str, weights: dict[str, float]) -> str:
        whens = " ".join(f"WHEN '{k}' THEN {v}" for k, v in weights.items())
        return f"CASE {column} {whens} END"

    counted = f"category <> '{NUL_MELDING}' AND status <> 'niet_bevestigd'"
    per_category = ",\n".join(
        f"count(*) FILTER (WHERE category = '{c.code}' AND status <> 'niet_bevestigd') "
        f"AS n_{c.code}" for c in CATEGORIES if c.code != NUL_MELDING)
    sign = f"CASE WHEN category = '{WEERBAARHEID}' THEN -{rules.weerbaarheid_weight} ELSE 1 END"
    query = f"""
        SELECT wijk_code, date_trunc('week', observed_on) AS week_start,
               count(*) FILTER (WHERE {counted}) AS n_signals,
               {per_category},
               sum(severity * {case('reliability', dict(rules.reliability_weights))}
                   * {case('reach', dict(rules.reach_weights))} * {sign})
                   FILTER (WHERE {counted}) AS score,
               count(DISTINCT reporter_id) AS reporters
        FROM signals GROUP BY ALL"""
    con = duckdb.connect()
    con.register("signals", signals)
    return con.execute(query).df()


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Best wall time of ``repeat`` runs, the CPU time (all threads) of that run, the result.

    CPU time is the fairer number on a busy machine: other processes inflate wall time.
    """
    best, cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        result = None  # let the previous result go before the next run
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall = time.perf_counter() - start
        if wall < best:
            best, cpu = wall, time.process_time() - start_cpu
    return best, cpu, result


def peak_gb() -> float:
    """Peak resident memory since the last :func:`reset_peak` (ru_maxrss, in GB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def reset_peak() -> float:
    """Start a new peak measurement and return the RSS now (GB).

    Memory that was freed before goes back to the OS first: Python's and Arrow's allocators
    keep freed pages otherwise. On Linux, writing 5 to clear_refs resets ru_maxrss.
    """
    gc.collect()
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return peak_gb()


def measured(fn: Callable[[], Any], repeat: int) -> tuple[float, float, str, Any]:
    """Wall and CPU time, memory ("RSS at start -> peak", GB) during the runs, the result."""
    start = reset_peak()
    seconds, cpu, result = timed(fn, repeat)
    return seconds, cpu, f"{start:.2f} -> {peak_gb():.2f}", result


def aggregate(signals: pd.DataFrame, rules: Rules, repeat: int) -> tuple[tuple, tuple]:
    """(a): weekly_indicators, then DuckDB, on the same frame (ours first: DuckDB keeps
    memory after its query, which would inflate the engine's peak)."""
    ours = measured(lambda: weekly_indicators(signals, rules), repeat)
    return measured(lambda: duckdb_aggregates(signals, rules), repeat), ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="1m")
    parser.add_argument("--dtype", choices=["str", "category"], default="str",
                        help="dtype of the text columns of the signal frame")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    size, rules = SIZES[args.size], DEFAULT_RULES

    t0 = time.perf_counter()
    signals = synthetic_signals(size, args.dtype)
    frame_gb = signals.memory_usage(deep=True).sum() / 1024**3
    print(f"generated {len(signals):,} signals ({frame_gb:.2f} GB, text as {args.dtype}) in "
          f"{time.perf_counter() - t0:.1f} s")

    (t_duck, c_duck, m_duck, duck), (t_ind, c_ind, m_ind, indicators) = aggregate(
        signals, rules, args.repeat)
    del signals  # the phases run on stored aggregates, without the signals in memory
    weeks = pd.DatetimeIndex(np.sort(indicators["week_start"].unique()))
    expected = pd.Series(15, index=pd.Index(indicators["wijk_code"].unique()))
    recent = indicators[indicators["week_start"]
                        >= weeks[-12] - pd.Timedelta(weeks=rules.warmup_weeks)]
    t_12, c_12, m_12, last12 = measured(
        lambda: propose_phases(recent, expected, weeks[-12:], rules), args.repeat)
    t_all, c_all, m_all, history = measured(
        lambda: propose_phases(indicators, expected, weeks, rules), args.repeat)

    label = (f"{size.signals / 1e6:g}M signals, {size.wijken:,} wijken, {size.weeks} weeks, "
             f"text columns as {args.dtype} ({frame_gb:.2f} GB)")
    print(f"\n### Engine benchmark: {label}, best of {args.repeat}\n")
    print("| step | rows out | wall (s) | CPU (s) | RSS at start -> peak (GB) | note |")
    print("|---|---:|---:|---:|---:|---|")
    threads = duckdb.execute("SELECT current_setting('threads')").fetchone()[0]
    print(f"| (a) DuckDB weekly aggregates | {len(duck):,} | {t_duck:.2f} | {c_duck:.2f} | "
          f"{m_duck} | reference, {threads} threads |")
    print(f"| (a) `weekly_indicators` | {len(indicators):,} | {t_ind:.2f} | {c_ind:.2f} | "
          f"{m_ind} | {t_ind / t_duck:.2f}x DuckDB wall, {c_ind / c_duck:.2f}x CPU "
          "(target <= 3x) |")
    print(f"| (b) `propose_phases`, last 12 weeks | {len(last12):,} | {t_12:.2f} | {c_12:.2f} "
          f"| {m_12} | input: 12 + {rules.warmup_weeks} warm-up weeks |")
    print(f"| (b) `propose_phases`, whole history | {len(history):,} | {t_all:.2f} | "
          f"{c_all:.2f} | {m_all} | |")
    print("\n(d) RSS is that of the whole process (ru_maxrss), the signal frame included "
          "for (a); target <= 2 GB at 10M.")


if __name__ == "__main__":
    main()
