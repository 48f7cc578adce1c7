"""One save at a time: the latency of saving a signal on the demo database, as a page does.

    .venv/bin/python benchmarks/single_save.py                          # SQLite (temp file)
    .venv/bin/python benchmarks/single_save.py --database-url postgresql+psycopg://...

Loads the demo municipality into a fresh database (the PostgreSQL one must be empty), then
the demo key figure saves ``--saves`` signals one after the other, observed on days spread
over the last eight weeks (so no week grows far beyond the demo's density), with
``run_write(engine, lambda s: create_signal(s, actor, draft))``: the whole transaction,
weekly indicators included. The first ``--warmup`` saves are not counted. Prints p50, p95
and p99 in milliseconds, and the median CPU time of a save in this process (the database
work included on SQLite), which other load on the machine disturbs less than the wall time.
Target (SQLite): p50 <= 5 ms. ``--alert-address`` gives the demo coordinator an alert
address, so the saves also run the alert triggers (the saves in the last two weeks evaluate
phase rises, calls and severe signals; the others only the one "anyone listening?" query).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select, update  # noqa: E402

from signals.db.engine import make_engine  # noqa: E402
from signals.db.models import User  # noqa: E402
from signals.db.uow import read_session, run_write  # noqa: E402
from signals.services.auth import load_actor  # noqa: E402
from signals.services.demo.loader import load_demo  # noqa: E402
from signals.services.intake import create_signal  # noqa: E402
from signals.services.schema import upgrade_schema  # noqa: E402
from signals.services.signal_draft import SignalDraft, today_local  # noqa: E402

CATEGORIES = ("onvrede", "geruchten_desinformatie", "spanning_groepen", "weerbaarheid")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--alert-address", action="store_true",
                        help="give the demo coordinator an alert address, so every save also "
                             "evaluates the alert triggers (alert_triggers.py)")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='wijk-save-')}/save.db"
    engine = make_engine(url)
    upgrade_schema(engine)
    load_demo(engine)
    if args.alert_address:
        run_write(engine, lambda s: s.execute(update(User).where(User.username == "coordinator")
                                              .values(alert_email="coordinator@bench.test")))
    with read_session(engine) as session:
        user_id = session.scalar(select(User.id).where(User.username == "sleutelfiguur"))
        actor = load_actor(session, user_id)
    assert actor is not None
    wijk_id = min(actor.wijk_ids)
    today = today_local()
    latencies, cpu = [], []
    for n in range(args.warmup + args.saves):
        draft = SignalDraft(wijk_id=wijk_id, observed_on=today - timedelta(days=n * 3 % 56),
                            category=CATEGORIES[n % len(CATEGORIES)],
                            description=f"Meting {n}: bewoners praten erover op het plein.")
        started, cpu_started = time.perf_counter(), time.process_time()
        run_write(engine, lambda s, d=draft: create_signal(s, actor, d))
        if n >= args.warmup:
            latencies.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
    p50, p95, p99 = np.percentile(latencies, [50, 95, 99])
    print(f"{engine.dialect.name}: {len(latencies)} saves on the demo: p50 {p50:.1f} ms, "
          f"p95 {p95:.1f} ms, p99 {p99:.1f} ms; this process's CPU per save p50 "
          f"{np.percentile(cpu, 50):.1f} ms (load average {os.getloadavg()[0]:.1f}, "
          f"{os.cpu_count()} cores)")
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
