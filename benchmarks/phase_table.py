"""The phase table for all wijken (cold and warm), the weekly queries' plans, and DuckDB.

    .venv/bin/python benchmarks/phase_table.py                      # the 1M SQLite dataset
    .venv/bin/python benchmarks/phase_table.py --database-url postgresql+psycopg://.../wijk_bench_1m
    .venv/bin/python benchmarks/phase_table.py --database-url \\
        sqlite:///benchmarks/data/signals-10m-3300-indicators.db

Measures ``compute_phases`` (signals/services/phases.py) over every wijk for the last
``--weeks`` weeks, as the beheerder's phase table and the overview compute it:

* cold: each run in a fresh Python process with a new engine and empty caches (imports
  done first, then the timed call; the OS file cache is whatever the machine has);
* warm: ``--repeat`` calls in this process, best and median; with the time per step.

Peak memory is the cold process's ru_maxrss. Targets: <= 1 s at 1M and <= 3 s at 10M cold;
peak memory <= 2 GB at 10M.

``--explain`` runs the weekly queries as the services issue them (the phase table, the
duiding queue of a coordinator, the wijk counts, a wijk's theme counts, the data-version
token), captures every SELECT with its parameters, and prints its time and its plan
(EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL). ``--duckdb`` compares the
wijk counts (a GROUP BY over the last eight weeks of signals) with DuckDB computing the
same aggregate over the same rows in memory (loading them into DuckDB not timed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, func, select, text  # noqa: E402

from signals.db.engine import make_engine  # noqa: E402
from signals.db.models import Signal, User, WeeklyIndicator, Wijk  # noqa: E402
from signals.db.uow import read_session  # noqa: E402
from signals.services.phases import compute_phases, default_period  # noqa: E402

DEFAULT_URL = f"sqlite:///{Path(__file__).resolve().parent / 'data' / 'signals-1m-500.db'}"


def phase_table(engine, weeks: int):  # type: ignore[no-untyped-def]
    first, last = default_period(weeks)
    with read_session(engine) as session:
        wijken = list(session.scalars(select(Wijk).order_by(Wijk.code)))
        return compute_phases(session, wijken, first, last)


def child(url: str, weeks: int) -> None:
    """One cold measurement: a fresh process and engine; prints JSON."""
    engine = make_engine(url)
    started, cpu = time.perf_counter(), time.process_time()
    table = phase_table(engine, weeks)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": len(table),
                      "wijken": int(table["wijk_code"].nunique()),
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def cold_runs(url: str, weeks: int, runs: int) -> list[dict]:
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, __file__, "--child", "--database-url", url,
                              "--weeks", str(weeks)], capture_output=True, text=True,
                             timeout=600, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times), result


def cpu_timed(fn: Callable[[], Any], repeat: int) -> float:
    """Least CPU time of this process over `repeat` runs (SQLite runs in-process, so on a
    busy machine this is close to what the call takes on an idle core)."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return min(times)


def steps(engine, weeks: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Warm time of each step of compute_phases (one run each, after the warm runs)."""
    import pandas as pd

    from signals.engine.phases import propose_phases
    from signals.engine.weeks import week_range
    from signals.services.indicators import load_indicator_frame
    from signals.services.phases import expected_reporters, latest_decisions
    from signals.services.rules_config import load_rules

    first, last = default_period(weeks)
    out: dict[str, float] = {}
    with read_session(engine) as session:
        def step(name: str, fn: Callable[[], Any]) -> Any:
            started = time.perf_counter()
            result = fn()
            out[name] = time.perf_counter() - started
            return result
        wijken = step("wijken", lambda: list(session.scalars(select(Wijk).order_by(Wijk.code))))
        rules = step("rules", lambda: load_rules(session))
        ids = [w.id for w in wijken]
        frame = step("load_indicator_frame", lambda: load_indicator_frame(
            session, ids, first - timedelta(weeks=rules.warmup_weeks), last))
        expected = step("expected_reporters", lambda: expected_reporters(session, wijken))
        step("propose_phases (engine)", lambda: propose_phases(
            frame, expected, week_range(pd.Timestamp(first), pd.Timestamp(last)), rules))
        step("latest_decisions", lambda: latest_decisions(session, ids, first, last))
        out["indicator rows read"] = len(frame)
    return out


# --- query plans -------------------------------------------------------------------------

def capture(engine, fn: Callable[[], Any]) -> list[tuple[str, Any, float]]:  # type: ignore[no-untyped-def]
    """Every SELECT `fn` executes, with its parameters and the time to run and fetch it
    again on its own (SQLite computes rows while they are fetched, so the cursor's
    execute time alone says little)."""
    captured: list[tuple[str, Any]] = []

    def after(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            captured.append((statement, parameters))

    event.listen(engine, "after_cursor_execute", after)
    try:
        fn()
    finally:
        event.remove(engine, "after_cursor_execute", after)
    timed_statements = []
    with engine.connect() as conn:
        for statement, parameters in captured:
            started = time.perf_counter()
            conn.exec_driver_sql(statement, parameters).fetchall()
            timed_statements.append((statement, parameters, time.perf_counter() - started))
    return timed_statements


def plan(engine, statement: str, parameters: Any) -> list[str]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            return [f"{'  ' * _depth(rows, r)}{r[-1]}" for r in rows]
        rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement,
                                    parameters).all()
        return [r[0] for r in rows]


def _depth(rows: list, row: Any) -> int:
    parents = {r[0]: r[1] for r in rows}
    depth, parent = 0, row[1]
    while parent in parents:
        depth, parent = depth + 1, parents[parent]
    return depth


def scenarios(engine, weeks: int) -> dict[str, Callable[[], Any]]:  # type: ignore[no-untyped-def]
    from signals.services import dashboard
    from signals.services.actor import SYSTEM_ACTOR
    from signals.services.auth import load_actor
    from signals.services.dashboard import weekly_theme_counts
    from signals.services.data_version import data_version
    from signals.services.review import review_queue
    from signals.services.signal_filter import SignalFilter
    from signals.services.wijken import wijk_signal_counts

    with read_session(engine) as session:
        user_id = session.scalar(select(User.id).where(User.username == "coordinator"))
        coordinator = load_actor(session, user_id) if user_id else SYSTEM_ACTOR
        busiest_id, busiest = session.execute(
            select(Wijk.id, Wijk.code).join(Signal, Signal.wijk_id == Wijk.id)
            .group_by(Wijk.id, Wijk.code).order_by(func.count().desc()).limit(1)).one()
    first, last = default_period(weeks)

    def run(fn: Callable[[Any], Any]) -> Callable[[], Any]:
        def go() -> Any:
            with read_session(engine) as session:
                return fn(session)
        return go

    return {
        "phase table, all wijken": lambda: phase_table(engine, weeks),
        "overview (beheerder, all wijken)": run(lambda s: dashboard.overview(
            s, SYSTEM_ACTOR)),
        "wijk profile trend + themes + week signals (busiest wijk)": run(lambda s: (
            dashboard.wijk_trend(s, SYSTEM_ACTOR, busiest, first, last),
            dashboard.theme_counts(s, SYSTEM_ACTOR, busiest, first, last),
            dashboard.week_signals(s, SYSTEM_ACTOR, busiest, last))),
        "duiding queue (coordinator, open signals, page 1)": run(lambda s: review_queue(
            s, coordinator, SignalFilter(statuses=("nieuw", "in_duiding")))),
        "wijk counts, 8 weeks, all wijken": run(lambda s: wijk_signal_counts(
            s, SYSTEM_ACTOR, 8)),
        "theme counts, one wijk, 12 weeks": run(lambda s: weekly_theme_counts(
            s, [busiest_id], first, last)),
        "data-version token": run(data_version),
    }


def explain(engine, weeks: int, threshold_ms: float) -> None:  # type: ignore[no-untyped-def]
    for name, fn in scenarios(engine, weeks).items():
        fn()  # warm
        captured = capture(engine, fn)
        total = sum(s for _, _, s in captured)
        print(f"\n### {name}: {len(captured)} SELECTs, {total * 1000:.0f} ms to run and fetch")
        for statement, parameters, seconds in captured:
            short = " ".join(statement.split())[:160]
            print(f"\n- {seconds * 1000:.1f} ms: `{short}`")
            if seconds * 1000 >= threshold_ms:
                for line in plan(engine, statement, parameters):
                    print(f"      {line}")


# --- DuckDB reference ----------------------------------------------------------------------

def duckdb_reference(engine, repeat: int) -> None:  # type: ignore[no-untyped-def]
    """The wijk counts' GROUP BY in the database vs DuckDB over the same rows in memory."""
    import duckdb
    import pandas as pd

    from signals.services.actor import SYSTEM_ACTOR
    from signals.services.wijken import wijk_signal_counts

    first = default_period(8)[0]
    query = ("SELECT wijk_id, observed_on, count(*) AS n FROM signals WHERE observed_on >= "
             "'{first}' AND category <> 'geen_bijzonderheden' GROUP BY wijk_id, observed_on")
    with read_session(engine) as session:
        sql_best, sql_median, _ = timed(
            lambda: session.execute(text(query.format(first=first.isoformat()))).all(), repeat)
        service_best, _, _ = timed(lambda: wijk_signal_counts(session, SYSTEM_ACTOR, 8), repeat)
        frame = pd.read_sql(
            "SELECT wijk_id, observed_on, category FROM signals", session.connection())
    frame["observed_on"] = pd.to_datetime(frame["observed_on"])
    con = duckdb.connect()
    con.register("signals", frame)
    con.execute("CREATE TABLE s AS SELECT * FROM signals")
    duck_best, duck_median, _ = timed(lambda: con.execute(query.replace(
        "FROM signals", "FROM s").format(first=first.isoformat())).fetchall(), repeat)
    duck_all, _, _ = timed(lambda: con.execute(
        "SELECT wijk_id, date_trunc('week', observed_on) AS w, count(*) FROM s WHERE "
        "category <> 'geen_bijzonderheden' GROUP BY ALL").fetchall(), repeat)
    print(f"\n### Aggregation reference ({len(frame):,} signals)\n")
    print("| what | best (ms) | median (ms) |")
    print("|---|---:|---:|")
    print(f"| {engine.dialect.name}: signals per wijk per day, last 8 weeks (SQL GROUP BY) | "
          f"{sql_best * 1000:.0f} | {sql_median * 1000:.0f} |")
    print(f"| `wijk_signal_counts` service (same query + pandas pivot) | "
          f"{service_best * 1000:.0f} | |")
    print(f"| DuckDB in memory, same query | {duck_best * 1000:.0f} | "
          f"{duck_median * 1000:.0f} |")
    print(f"| DuckDB in memory, all weeks of all wijken | {duck_all * 1000:.0f} | |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--cold", type=int, default=3, help="fresh processes")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--plan-threshold-ms", type=float, default=5.0)
    parser.add_argument("--duckdb", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.database_url, args.weeks)
        return 0
    engine = make_engine(args.database_url)
    with read_session(engine) as session:
        n_signals = session.scalar(select(func.count()).select_from(Signal))
        n_wijken = session.scalar(select(func.count()).select_from(Wijk))
        n_rows = session.scalar(select(func.count()).select_from(WeeklyIndicator))
    print(f"{args.database_url.split('@')[-1]}: {n_signals:,} signals, {n_wijken:,} wijken, "
          f"{n_rows:,} weekly indicator rows; {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.1f} (1 min average)")
    cold = cold_runs(args.database_url, args.weeks, args.cold)
    best, median, table = timed(lambda: phase_table(engine, args.weeks), args.repeat)
    print(f"\n### Phase table, all {n_wijken:,} wijken x {args.weeks} weeks "
          f"({len(table):,} rows)\n")
    cpu = cpu_timed(lambda: phase_table(engine, args.weeks), args.repeat)
    print("| run | time (s) | CPU of this process (s) | peak RSS (MB) |")
    print("|---|---:|---:|---:|")
    for i, run in enumerate(cold, 1):
        print(f"| cold {i} (fresh process and engine) | "
              f"{run['seconds']:.2f} | {run['cpu']:.2f} | {run['peak_mb']:.0f} |")
    print(f"| warm, best of {args.repeat} | {best:.2f} | {cpu:.2f} (least) | |")
    print(f"| warm, median of {args.repeat} | {median:.2f} | | |")
    print("\n| step (warm) | time (s) |\n|---|---:|")
    for name, value in steps(engine, args.weeks).items():
        print(f"| {name} | {value:,.3f} |" if isinstance(value, float) else
              f"| {name} | {value:,} |")
    if args.explain:
        explain(engine, args.weeks, args.plan_threshold_ms)
    if args.duckdb:
        duckdb_reference(engine, args.repeat)
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
