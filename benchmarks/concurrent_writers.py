"""Concurrent writers: separate processes saving signals through the intake service at once.

    .venv/bin/python benchmarks/concurrent_writers.py                    # SQLite and PostgreSQL
    .venv/bin/python benchmarks/concurrent_writers.py --backend sqlite --writers 20 --signals 200

Each run uses a fresh database (a SQLite file in WAL mode under benchmarks/data/, or a new
PostgreSQL database on the server of WIJKSIGNALEN_TEST_PG / --pg-admin-url, dropped
afterwards) with 20 wijken, one key figure per writer (all in four wijken, so writers hit
the same wijk-weeks at the same time) and five coordinators.

1. Writers: ``--writers`` processes start together; each saves ``--signals`` signals as its
   own key figure with ``run_write(engine, lambda s: create_signal(s, actor, draft))``, as
   the page does, and records the latency of every save. Checked afterwards: every
   (writer, sequence) marker is stored exactly once with exactly one "aangemaakt" history
   row, no DatabaseBusyError or OperationalError reached a caller, and the stored weekly
   indicators equal a full recomputation (no lost aggregate update).
2. Status changes: ``--updaters`` processes each make ``--rounds`` attempts to change the
   status of the same signal with the version they read (``assess``). Checked: successes +
   conflicts = attempts, every success is one history row, the history is one unbroken
   chain (each old value is the previous new value), and the final version is 1 + successes.
3. Phase decisions: ``--updaters`` processes decide on the same wijk-week at the same moment,
   each having seen no decision. Checked: exactly one is stored, the others get
   ConflictError (none silently replaces another).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sys
import time
import traceback
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402

from signals.db.engine import make_engine  # noqa: E402
from signals.db.models import (  # noqa: E402
    PhaseDecision,
    Signal,
    SignalHistory,
    User,
    WeeklyIndicator,
    Wijk,
)
from signals.db.uow import read_session, run_write  # noqa: E402
from signals.domain import STATUS_TRANSITIONS, Role, Status  # noqa: E402
from signals.engine.indicators import weekly_indicators  # noqa: E402
from signals.errors import ConflictError, DatabaseBusyError  # noqa: E402
from signals.services.actor import SYSTEM_ACTOR, Actor  # noqa: E402
from signals.services.auth import load_actor  # noqa: E402
from signals.services.indicators import STORED_COLUMNS, load_signal_frame  # noqa: E402
from signals.services.intake import create_signal  # noqa: E402
from signals.services.phases import record_decision  # noqa: E402
from signals.services.review import Assessment, assess  # noqa: E402
from signals.services.rules_config import load_rules  # noqa: E402
from signals.services.schema import upgrade_schema  # noqa: E402
from signals.services.signal_draft import SignalDraft, today_local  # noqa: E402
from signals.services.users import add_user  # noqa: E402
from signals.services.wijken import import_wijken  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
PG_ADMIN_URL = os.environ.get("WIJKSIGNALEN_TEST_PG",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
WIJKEN = 20
SHARED_WIJKEN = 4  # the writers' key figures share these: same wijk-weeks, at the same time
COORDINATORS = 5
MARKER = "Meting"
CATEGORIES = ("onvrede", "geruchten_desinformatie", "spanning_groepen", "symbolen",
              "collectieve_actie", "aanleiding", "weerbaarheid")
JOIN_TIMEOUT = 600  # seconds: nothing runs forever


# --- databases -----------------------------------------------------------------------------

def create_pg_database(admin_url: str = PG_ADMIN_URL) -> str:
    name = f"wijk_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str, admin_url: str = PG_ADMIN_URL) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def prepare(url: str, writers: int) -> None:
    """Schema, wijken (CSV import), a key figure per writer, coordinators of every wijk."""
    engine = make_engine(url)
    upgrade_schema(engine)
    codes = [f"WK95{n:02d}01" for n in range(WIJKEN)]
    wijken_csv = "wijk_code,wijk_naam\n" + "".join(f"{c},Schrijfwijk {c[-4:]}\n" for c in codes)
    run_write(engine, lambda s: import_wijken(s, SYSTEM_ACTOR, "wijken.csv",
                                              wijken_csv.encode()))

    def accounts(session) -> None:  # type: ignore[no-untyped-def]
        for w in range(writers):
            add_user(session, SYSTEM_ACTOR, f"schrijver{w:02d}", Role.SLEUTELFIGUUR, None,
                     [codes[w % SHARED_WIJKEN]], reporter_role="bewoner")
        for c in range(COORDINATORS):
            add_user(session, SYSTEM_ACTOR, f"duider{c:02d}", Role.COORDINATOR, None, codes)
    run_write(engine, accounts)
    engine.dispose()


def actor_named(engine, username: str) -> Actor:  # type: ignore[no-untyped-def]
    with read_session(engine) as session:
        user_id = session.scalar(select(User.id).where(User.username == username))
        actor = load_actor(session, user_id)
    assert actor is not None
    return actor


# --- 1. writers ----------------------------------------------------------------------------

@dataclass
class WorkerResult:
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)


def marker(writer: int, seq: int) -> str:
    return f"{MARKER} w{writer:02d}-s{seq:04d}"


def writer(url: str, number: int, count: int, start, queue) -> None:  # type: ignore[no-untyped-def]
    """One process: `count` saves through the intake service, as key figure `number`."""
    result = WorkerResult()
    try:
        engine = make_engine(url)
        actor = actor_named(engine, f"schrijver{number:02d}")
        (wijk_id,) = actor.wijk_ids
        rng = random.Random(number)
        today = today_local()
        start.wait()
        for seq in range(count):
            draft = SignalDraft(
                wijk_id=wijk_id, observed_on=today - timedelta(days=rng.randrange(21)),
                category=rng.choice(CATEGORIES), themes=("wonen",) if seq % 3 == 0 else (),
                description=f"{marker(number, seq)}: bewoners praten over de plannen.")
            began = time.perf_counter()
            try:
                run_write(engine, lambda s, draft=draft: create_signal(s, actor, draft))
            except (DatabaseBusyError, OperationalError, ConflictError) as exc:
                result.errors[type(exc).__name__] += 1
                result.samples.append(str(exc).splitlines()[0][:200])
                continue
            result.latencies.append(time.perf_counter() - began)
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - reported to the parent, never swallowed
        result.errors[type(exc).__name__] += 1
        result.samples.append(traceback.format_exc(limit=3)[-400:])
    queue.put((number, result))


def run_processes(target, args_for, n: int) -> dict[int, WorkerResult]:  # type: ignore[no-untyped-def]
    """Start `n` processes that wait on one event, release them together, collect results."""
    ctx = mp.get_context("fork")
    start, queue = ctx.Event(), ctx.Queue()
    processes = [ctx.Process(target=target, args=(*args_for(i), start, queue))
                 for i in range(n)]
    for p in processes:
        p.start()
    time.sleep(0.5)  # let every process connect and read before the start signal
    start.set()
    results: dict[int, WorkerResult] = {}
    deadline = time.monotonic() + JOIN_TIMEOUT
    while len(results) < n and time.monotonic() < deadline:
        try:
            number, result = queue.get(timeout=max(0.1, deadline - time.monotonic()))
        except Exception:  # noqa: BLE001 - queue.Empty at the deadline
            break
        results[number] = result
    for p in processes:
        p.join(timeout=5)
        if p.is_alive():
            p.kill()
    if len(results) < n:
        raise RuntimeError(f"only {len(results)} of {n} processes finished in time")
    return results


def check_writes(url: str, writers: int, count: int) -> dict:
    """Exactly once per marker, one creation history row each, indicators consistent."""
    engine = make_engine(url)
    with read_session(engine) as session:
        texts = session.scalars(select(Signal.description)
                                .where(Signal.description.like(f"{MARKER} %"))).all()
        markers = Counter(t.split(":")[0] for t in texts)
        expected = {marker(w, s) for w in range(writers) for s in range(count)}
        created = session.scalar(
            select(func.count()).select_from(SignalHistory)
            .join(Signal, Signal.id == SignalHistory.signal_id)
            .where(SignalHistory.action == "aangemaakt",
                   Signal.description.like(f"{MARKER} %")))
        stored = indicator_table(session)
        recomputed = recomputed_table(session)
    engine.dispose()
    return {
        "stored": len(texts), "expected": len(expected),
        "duplicates": sum(1 for n in markers.values() if n > 1),
        "missing": len(expected - set(markers)), "unexpected": len(set(markers) - expected),
        "creation_history_rows": created,
        "indicators_equal": stored.equals(recomputed),
        "indicator_rows": len(stored),
    }


def indicator_table(session) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    columns = [WeeklyIndicator.wijk_id, WeeklyIndicator.week_start,
               *(WeeklyIndicator.__table__.c[c] for c in STORED_COLUMNS)]
    rows = session.execute(select(*columns).order_by(WeeklyIndicator.wijk_id,
                                                     WeeklyIndicator.week_start)).all()
    frame = pd.DataFrame(rows, columns=[c.key for c in columns])
    frame["score"] = frame["score"].round(9)
    return frame.reset_index(drop=True)


def recomputed_table(session) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """What a full rebuild would store."""
    ids = dict(session.execute(select(Wijk.code, Wijk.id)).all())
    indicators = weekly_indicators(load_signal_frame(session, None, None, None),
                                   load_rules(session))
    frame = indicators.assign(wijk_id=indicators["wijk_code"].map(ids),
                              week_start=indicators["week_start"].dt.date)
    frame = frame[["wijk_id", "week_start", *STORED_COLUMNS]]
    frame = frame.sort_values(["wijk_id", "week_start"]).reset_index(drop=True)
    for column, dtype in indicator_table(session).dtypes.items():
        if column in frame and column != "week_start":
            frame[column] = frame[column].astype(dtype)
    frame["score"] = frame["score"].round(9)
    return frame


# --- 2. simultaneous status changes ------------------------------------------------------

def seed_signal(url: str) -> int:
    engine = make_engine(url)
    actor = actor_named(engine, "schrijver00")
    (wijk_id,) = actor.wijk_ids
    saved = run_write(engine, lambda s: create_signal(s, actor, SignalDraft(
        wijk_id=wijk_id, observed_on=today_local(), category="spanning_groepen",
        description="Twee groepen jongeren botsen bij het winkelcentrum.")))
    engine.dispose()
    return saved.id


def updater(url: str, number: int, signal_id: int, rounds: int, start, queue) -> None:  # type: ignore[no-untyped-def]
    """One coordinator process: read the version, then try to change the status with it."""
    result = WorkerResult()
    try:
        engine = make_engine(url)
        actor = actor_named(engine, f"duider{number % COORDINATORS:02d}")
        rng = random.Random(1000 + number)
        start.wait()
        for _ in range(rounds):
            with read_session(engine) as session:
                signal = session.get(Signal, signal_id)
                seen, status = signal.version, Status(signal.status)
            target = rng.choice(sorted(STATUS_TRANSITIONS[status]))
            time.sleep(rng.random() * 0.01)  # others commit in between: stale versions
            began = time.perf_counter()
            try:
                run_write(engine, lambda s, seen=seen, target=target: assess(
                    s, actor, signal_id, seen, Assessment(status=target.value,
                                                          note=f"ronde van duider {number}")))
                result.latencies.append(time.perf_counter() - began)
            except ConflictError:
                result.errors["ConflictError"] += 1
            except (DatabaseBusyError, OperationalError) as exc:
                result.errors[type(exc).__name__] += 1
                result.samples.append(str(exc).splitlines()[0][:200])
        engine.dispose()
    except Exception as exc:  # noqa: BLE001
        result.errors[type(exc).__name__] += 1
        result.samples.append(traceback.format_exc(limit=3)[-400:])
    queue.put((number, result))


def decider(url: str, number: int, wijk_code: str, start, queue) -> None:  # type: ignore[no-untyped-def]
    """One coordinator process deciding on this week of `wijk_code`, having seen no decision."""
    result = WorkerResult()
    try:
        engine = make_engine(url)
        actor = actor_named(engine, f"duider{number % COORDINATORS:02d}")
        start.wait()
        began = time.perf_counter()
        try:
            run_write(engine, lambda s: record_decision(
                s, actor, wijk_code, today_local(), number % 5,
                f"Besluit van duider {number} na overleg met de wijkagent.", None))
            result.latencies.append(time.perf_counter() - began)
        except ConflictError:
            result.errors["ConflictError"] += 1
        engine.dispose()
    except Exception as exc:  # noqa: BLE001
        result.errors[type(exc).__name__] += 1
        result.samples.append(traceback.format_exc(limit=3)[-400:])
    queue.put((number, result))


def stored_decisions(url: str, wijk_code: str) -> int:
    engine = make_engine(url)
    with read_session(engine) as session:
        count = session.scalar(select(func.count()).select_from(PhaseDecision)
                               .join(Wijk, Wijk.id == PhaseDecision.wijk_id)
                               .where(Wijk.code == wijk_code))
    engine.dispose()
    return count or 0


def check_updates(url: str, signal_id: int, successes: int) -> dict:
    engine = make_engine(url)
    with read_session(engine) as session:
        version = session.scalar(select(Signal.version).where(Signal.id == signal_id))
        status = session.scalar(select(Signal.status).where(Signal.id == signal_id))
        chain = session.execute(
            select(SignalHistory.old_value, SignalHistory.new_value)
            .where(SignalHistory.signal_id == signal_id, SignalHistory.field == "status",
                   SignalHistory.action == "beoordeeld")
            .order_by(SignalHistory.id)).all()
    engine.dispose()
    unbroken = all(chain[i].old_value == chain[i - 1].new_value for i in range(1, len(chain)))
    return {"final_version": version, "history_rows": len(chain),
            "chain_unbroken": unbroken and (not chain or chain[0].old_value == "nieuw"),
            "final_status_matches": not chain or chain[-1].new_value == status,
            "version_ok": version == 1 + successes, "history_ok": len(chain) == successes}


# --- running and reporting ---------------------------------------------------------------

def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan"),
                "max": float("nan")}
    a = np.array(values) * 1000
    return {"p50": float(np.percentile(a, 50)), "p95": float(np.percentile(a, 95)),
            "p99": float(np.percentile(a, 99)), "max": float(a.max())}


def run_backend(url: str, writers: int, count: int, updaters: int, rounds: int) -> dict:
    prepare(url, writers)
    began = time.perf_counter()
    results = run_processes(writer, lambda i: (url, i, count), writers)
    seconds = time.perf_counter() - began
    latencies = [x for r in results.values() for x in r.latencies]
    errors = sum((r.errors for r in results.values()), Counter())
    samples = [s for r in results.values() for s in r.samples][:5]
    writes = check_writes(url, writers, count)
    signal_id = seed_signal(url)
    updates = run_processes(updater, lambda i: (url, i, signal_id, rounds), updaters)
    successes = sum(len(r.latencies) for r in updates.values())
    update_errors = sum((r.errors for r in updates.values()), Counter())
    wijk_code = "WK950101"
    decisions = run_processes(decider, lambda i: (url, i, wijk_code), updaters)
    return {"writers": writers, "per_writer": count, "saves": len(latencies),
            "seconds": seconds, "throughput": len(latencies) / seconds,
            "latency_ms": percentiles(latencies), "errors": dict(errors), "samples": samples,
            "writes": writes, "updaters": updaters, "rounds": rounds,
            "update_successes": successes, "update_errors": dict(update_errors),
            "update_latency_ms": percentiles([x for r in updates.values()
                                              for x in r.latencies]),
            "updates": check_updates(url, signal_id, successes),
            "decisions_saved": sum(len(r.latencies) for r in decisions.values()),
            "decision_errors": dict(sum((r.errors for r in decisions.values()), Counter())),
            "decisions_stored": stored_decisions(url, wijk_code)}


def passed(result: dict) -> bool:
    w, u = result["writes"], result["updates"]
    conflicts = result["update_errors"].get("ConflictError", 0)
    writes_ok = (not result["errors"]
                 and w["stored"] == w["expected"] == w["creation_history_rows"]
                 and w["duplicates"] == w["missing"] == w["unexpected"] == 0
                 and w["indicators_equal"])
    if result["updaters"] == 0:  # --updaters 0: only the writers ran
        return writes_ok
    return (writes_ok
            and set(result["update_errors"]) <= {"ConflictError"}
            and result["update_successes"] + conflicts == result["updaters"] * result["rounds"]
            and all(u[k] for k in ("chain_unbroken", "final_status_matches", "version_ok",
                                   "history_ok"))
            and result["decisions_saved"] == result["decisions_stored"] == 1
            and result["decision_errors"] == {"ConflictError": result["updaters"] - 1})


def report(backend: str, r: dict) -> None:
    lat, w, u = r["latency_ms"], r["writes"], r["updates"]
    print(f"\n## {backend}: {r['writers']} writer processes x {r['per_writer']} signals "
          f"({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")
    print(f"saves {r['saves']:,} in {r['seconds']:.1f} s = {r['throughput']:.0f}/s; latency "
          f"p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms, p99 {lat['p99']:.0f} ms, max "
          f"{lat['max']:.0f} ms; errors reaching a caller: {r['errors'] or 'none'}")
    for sample in r["samples"]:
        print(f"  e.g. {sample}")
    print(f"stored {w['stored']:,} of {w['expected']:,} (duplicates {w['duplicates']}, missing "
          f"{w['missing']}), creation history rows {w['creation_history_rows']:,}, weekly "
          f"indicators equal to a full rebuild: {w['indicators_equal']} "
          f"({w['indicator_rows']} rows)")
    conflicts = r["update_errors"].get("ConflictError", 0)
    ulat = r["update_latency_ms"]
    print(f"status changes: {r['updaters']} processes x {r['rounds']} attempts on one signal: "
          f"{r['update_successes']} saved, {conflicts} ConflictError, other errors "
          f"{ {k: v for k, v in r['update_errors'].items() if k != 'ConflictError'} or 'none'};"
          f" final version {u['final_version']} (= 1 + saved: {u['version_ok']}), history rows "
          f"{u['history_rows']} (= saved: {u['history_ok']}), unbroken chain: "
          f"{u['chain_unbroken']}; save p50 {ulat['p50']:.0f} ms, p95 {ulat['p95']:.0f} ms")
    print(f"phase decisions: {r['updaters']} processes decide on one wijk-week at once: "
          f"{r['decisions_saved']} saved, {r['decisions_stored']} stored, refused: "
          f"{r['decision_errors'] or 'none'}")
    print("RESULT:", "PASS" if passed(r) else "FAIL")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--signals", type=int, default=200, help="signals per writer")
    parser.add_argument("--updaters", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10, help="status changes per updater")
    parser.add_argument("--pg-admin-url", default=PG_ADMIN_URL)
    args = parser.parse_args()
    ok = True
    for backend in (["sqlite", "postgresql"] if args.backend == "both" else [args.backend]):
        if backend == "sqlite":
            DATA.mkdir(exist_ok=True)
            path = DATA / f"concurrency-{uuid.uuid4().hex[:8]}.db"
            url = f"sqlite:///{path}"
        else:
            url = create_pg_database(args.pg_admin_url)
        try:
            result = run_backend(url, args.writers, args.signals, args.updaters, args.rounds)
        finally:
            if backend == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
            else:
                drop_pg_database(url, args.pg_admin_url)
        report(backend, result)
        ok &= passed(result)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
