"""Generate a national-scale synthetic dataset and load it through the user's import path.

    .venv/bin/python benchmarks/generate.py --signals 1000000 --wijken 500
    .venv/bin/python benchmarks/generate.py --signals 10000000 --wijken 3300
    .venv/bin/python benchmarks/generate.py --signals 1000000 --wijken 500 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/wijk_1m
    .venv/bin/python benchmarks/generate.py --signals 10000000 --wijken 3300 --indicators-only

Steps, each through the services a user or administrator calls:
1. the schema (Alembic), the wijken as a CSV file (``import_wijken``), staff accounts
   (``add_user``): beheerder, manager, coordinator (20 wijken), coordinator_groot (100),
   with the demo passwords (signals/services/demo/people.py; coordinator_groot has the
   coordinator's), set as the demo loader does, so benchmarks/pages.py runs on it too;
2. the signals (benchmarks/dataset.py) as CSV files of ``--chunk`` rows, oldest first, each
   imported in its own transaction by ``import_signals`` as SYSTEM_ACTOR (the CLI's path):
   parse, validate, personal-data check, new reporters, bulk insert, history, weekly
   indicators. The load rate counts only the import call, not making the CSV.

``--indicators-only`` skips the signals: it registers the key figures in bulk and stores the
weekly indicators that the engine computes from the same synthetic signals (in batches of
50 wijken, as ``rebuild_indicators`` does). That is all the phase table reads, so the 10M
phase table can be measured without a 10M import.

The default database is a SQLite file under benchmarks/data/ (git-ignored). An interrupted
run continues with ``--resume`` (each chunk is one transaction). A summary is written as
JSON next to a SQLite file, or to benchmarks/data/ for PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select  # noqa: E402

from benchmarks.dataset import Dataset  # noqa: E402
from signals.db.engine import is_sqlite, make_engine  # noqa: E402
from signals.db.models import Credential, Signal, User, Wijk, user_wijk, utcnow  # noqa: E402
from signals.db.uow import read_session, run_write  # noqa: E402
from signals.domain import Role  # noqa: E402
from signals.engine.indicators import weekly_indicators  # noqa: E402
from signals.services.actor import SYSTEM_ACTOR  # noqa: E402
from signals.services.demo.people import DEMO_PASSWORDS  # noqa: E402
from signals.services.indicators import REBUILD_BATCH_WIJKEN, _insert_rows  # noqa: E402
from signals.services.passwords import hash_password  # noqa: E402
from signals.services.rules_config import load_rules  # noqa: E402
from signals.services.schema import upgrade_schema  # noqa: E402
from signals.services.signal_import import import_signals  # noqa: E402
from signals.services.users import add_user  # noqa: E402
from signals.services.wijken import import_wijken  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
STAFF = (("beheerder", Role.BEHEERDER, 0), ("manager", Role.MANAGER, 0),
         ("coordinator", Role.COORDINATOR, 20), ("coordinator_groot", Role.COORDINATOR, 100))
IMPORT_LIMIT = 200 * 1024 * 1024  # a benchmark chunk may exceed the 50 MB upload limit


def label(n: int) -> str:
    return f"{n / 1e6:g}m" if n >= 1_000_000 else f"{n / 1e3:g}k"


def default_url(signals: int, wijken: int, indicators_only: bool) -> str:
    suffix = "-indicators" if indicators_only else ""
    return f"sqlite:///{DATA / f'signals-{label(signals)}-{wijken}{suffix}.db'}"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup(engine, dataset: Dataset) -> None:  # type: ignore[no-untyped-def]
    """Schema, wijken (CSV import) and staff accounts; skipped parts that already exist."""
    upgrade_schema(engine)
    run_write(engine, lambda s: import_wijken(s, SYSTEM_ACTOR, "wijken.csv",
                                              dataset.wijken_csv()))
    codes = list(dataset.wijk_codes)
    for username, role, n_wijken in STAFF:
        def add(session, username=username, role=role, n_wijken=n_wijken) -> None:  # type: ignore[no-untyped-def]
            if session.scalar(select(User.id).where(User.username == username)) is None:
                user_id = add_user(session, SYSTEM_ACTOR, username, role, None,
                                   codes[:n_wijken])
                session.get(Credential, user_id).password_hash = hash_password(
                    password_of(username))
        run_write(engine, add)


def password_of(username: str) -> str:
    return DEMO_PASSWORDS.get(username, DEMO_PASSWORDS["coordinator"])


def load_signals(engine, dataset: Dataset, resume: bool) -> dict:  # type: ignore[no-untyped-def]
    with read_session(engine) as session:
        stored = session.scalar(select(func.count()).select_from(Signal)) or 0
    if stored and not resume:
        raise SystemExit(f"The database already holds {stored:,} signals; use --resume or "
                         "an empty database.")
    start = stored // dataset.chunk_rows
    print(f"signals: {dataset.signals:,} in {dataset.chunks} chunks of "
          f"{dataset.chunk_rows:,}; starting at chunk {start}", flush=True)
    t0 = time.perf_counter()
    dataset.arrays()
    print(f"  generated the arrays in {time.perf_counter() - t0:.1f} s", flush=True)
    rows = seconds = cpu = 0.0
    per_chunk = []
    for number, data in dataset.signal_csv_chunks(start):
        started, cpu_started = time.perf_counter(), time.process_time()
        summary = run_write(engine, lambda s, data=data, number=number: import_signals(
            s, SYSTEM_ACTOR, f"meting-{number:04d}.csv", data, today=dataset.end,
            limit=IMPORT_LIMIT, confirm_new_reporters=True))
        elapsed, used = time.perf_counter() - started, time.process_time() - cpu_started
        rows += summary.rows
        seconds += elapsed
        cpu += used
        per_chunk.append(round(summary.rows / elapsed))
        print(f"  chunk {number + 1:4d}/{dataset.chunks}: {summary.rows:,} rows "
              f"({len(data) / 1e6:.1f} MB) in {elapsed:5.1f} s = {summary.rows / elapsed:7,.0f}"
              f" rows/s (CPU {used:5.1f} s); new reporters {len(summary.new_reporters)}; "
              f"peak RSS {peak_mb():,.0f} MB; load {os.getloadavg()[0]:.1f}", flush=True)
    rate = rows / seconds if seconds else 0.0
    print(f"imported {rows:,.0f} rows in {seconds:.1f} s: {rate:,.0f} rows/s overall "
          f"({rows / cpu if cpu else 0:,.0f} rows per CPU second of this process)")
    return {"rows_imported": int(rows), "import_seconds": round(seconds, 1),
            "import_cpu_seconds": round(cpu, 1), "rows_per_second": round(rate),
            "rows_per_cpu_second": round(rows / cpu) if cpu else None,
            "chunk_rates": per_chunk}


def load_indicators(engine, dataset: Dataset) -> dict:  # type: ignore[no-untyped-def]
    """Key figures in bulk, then the engine's weekly indicators of the synthetic signals."""
    t0 = time.perf_counter()

    def register(session) -> np.ndarray:  # type: ignore[no-untyped-def]
        wijk_ids = dict(session.execute(select(Wijk.code, Wijk.id)).all())
        names = dataset.reporter_names
        if session.scalar(select(func.count()).select_from(User)
                          .where(User.role == Role.SLEUTELFIGUUR.value)) == 0:
            now = utcnow()
            ids = session.execute(insert(User).returning(User.id, sort_by_parameter_order=True),
                                  [{"username": n, "role": Role.SLEUTELFIGUUR.value,
                                    "reporter_role": r, "active": True, "created_at": now}
                                   for n, r in zip(names, dataset.reporter_roles, strict=True)]
                                  ).scalars().all()
            session.execute(insert(Credential), [{"user_id": i, "failed_logins": 0}
                                                 for i in ids])
            wijk_of = np.repeat(np.arange(dataset.wijken), dataset.key_figures)
            session.execute(insert(user_wijk), [
                {"user_id": i, "wijk_id": wijk_ids[dataset.wijk_codes[w]]}
                for i, w in zip(ids, wijk_of, strict=True)])
        by_name = dict(session.execute(select(User.username, User.id)
                                       .where(User.role == Role.SLEUTELFIGUUR.value)).all())
        return np.array([by_name[n] for n in names], dtype=np.int64)

    reporter_ids = run_write(engine, register)
    dataset.arrays()
    print(f"  key figures and arrays in {time.perf_counter() - t0:.1f} s", flush=True)
    written = 0
    rules = None
    for wijken, rows in dataset.wijk_batches(REBUILD_BATCH_WIJKEN):
        def store(session, rows=rows) -> int:  # type: ignore[no-untyped-def]
            nonlocal rules
            rules = rules or load_rules(session)
            frame = dataset.signal_frame(rows, reporter_ids)
            return _insert_rows(session, weekly_indicators(frame, rules))
        written += run_write(engine, store)
        print(f"  wijken {wijken[0] + 1}-{wijken[-1] + 1}: {written:,} indicator rows; peak "
              f"RSS {peak_mb():,.0f} MB", flush=True)
    seconds = time.perf_counter() - t0
    print(f"stored {written:,} weekly indicator rows in {seconds:.1f} s")
    return {"indicator_rows": written, "indicator_seconds": round(seconds, 1)}


def analyse(engine) -> float:  # type: ignore[no-untyped-def]
    """Planner statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` would gather."""
    started = time.perf_counter()
    with engine.connect() as conn:
        if is_sqlite(engine):
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE")
        conn.commit()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--wijken", type=int, default=500)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--end", type=date.fromisoformat, default=date.today(),
                        help="last observed date (YYYY-MM-DD); default today")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--chunk", type=int, default=100_000, help="rows per import file")
    parser.add_argument("--database-url", help="default: a SQLite file under benchmarks/data/")
    parser.add_argument("--indicators-only", action="store_true")
    parser.add_argument("--resume", action="store_true")
    args = parser.parse_args()
    url = args.database_url or default_url(args.signals, args.wijken, args.indicators_only)
    dataset = Dataset(args.signals, args.wijken, args.end, args.years, args.seed, args.chunk)
    engine = make_engine(url)
    print(f"{url.split('@')[-1]}: {args.signals:,} signals, {args.wijken:,} wijken, "
          f"{int(dataset.key_figures.sum()):,} key figures, {dataset.weeks} weeks "
          f"{dataset.first_monday} .. {dataset.end}, seed {args.seed}; "
          f"{os.cpu_count()} cores", flush=True)
    started = time.perf_counter()
    setup(engine, dataset)
    result: dict = {"database": url.split("@")[-1], "signals": args.signals,
                    "wijken": args.wijken, "key_figures": int(dataset.key_figures.sum()),
                    "end": args.end.isoformat(), "seed": args.seed, "chunk": args.chunk,
                    "setup_seconds": round(time.perf_counter() - started, 1)}
    if args.indicators_only:
        result |= load_indicators(engine, dataset)
    else:
        result |= load_signals(engine, dataset, args.resume)
    result["analyse_seconds"] = round(analyse(engine), 1)
    result["peak_rss_mb"] = round(peak_mb())
    engine.dispose()
    DATA.mkdir(exist_ok=True)
    name = Path(url.split("/")[-1]).stem if url.startswith("sqlite") else url.split("/")[-1]
    (DATA / f"{name}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "chunk_rates"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
