"""Alerts: latency from a save to the mail, and the outbox worker's throughput.

    .venv/bin/python benchmarks/alerts.py                                 # SQLite (temp files)
    .venv/bin/python benchmarks/alerts.py --database-url postgresql+psycopg://...  (empty db)

(a) Latency. A few wijken, each with two key figures and one coordinator with an alert
address; `python -m signals notify --loop --interval 15` runs as a separate process, and a
local SMTP server (aiosmtpd) receives. Per wijk, one key figure logs an online call to action;
the clock starts before the second key figure's offline call is saved (the save that lifts
the wijk to phase 3) and stops when the SMTP server accepts the "fase 3" mail. Target <= 60 s.

(b) Throughput at 3,300 wijken and 10,000 subscribers (coordinators with three wijken each
and an alert address): the cost of finding the recipients of one wijk's alert, of queueing
one alert per subscriber, and of `run_once` sending them all to the local SMTP server.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from signals.db.engine import make_engine  # noqa: E402
from signals.db.models import Credential, User, Wijk, user_wijk  # noqa: E402
from signals.db.uow import read_session, run_write  # noqa: E402
from signals.localtime import today_local  # noqa: E402
from signals.services.alert_content import payload  # noqa: E402
from signals.services.alert_outbox import Queued, queue  # noqa: E402
from signals.services.alert_subscriptions import recipients  # noqa: E402
from signals.services.alert_worker import run_once  # noqa: E402
from signals.services.auth import actor_from_user  # noqa: E402
from signals.services.intake import create_signal  # noqa: E402
from signals.services.schema import upgrade_schema  # noqa: E402
from signals.services.signal_draft import SignalDraft  # noqa: E402


class Inbox:
    def __init__(self) -> None:
        self.subjects: list[tuple[float, str]] = []
        self.changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        subject = next((line[9:] for line in envelope.content.decode().splitlines()
                        if line.startswith("Subject: ")), "")
        with self.changed:
            self.subjects.append((time.monotonic(), subject))
            self.changed.notify_all()
        return "250 OK"

    def wait_for(self, text: str, timeout: float) -> float | None:
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                hit = next((t for t, s in self.subjects if text in s), None)
                if hit is not None or time.monotonic() > deadline:
                    return hit
                self.changed.wait(1)


def smtp_server() -> tuple[Inbox, Controller, dict[str, str]]:
    inbox = Inbox()
    port = random.randint(20000, 40000)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = {"WIJKSIGNALEN_SMTP_HOST": "127.0.0.1", "WIJKSIGNALEN_SMTP_PORT": str(port),
           "WIJKSIGNALEN_SMTP_STARTTLS": "false", "WIJKSIGNALEN_SMTP_FROM": "bench@test"}
    os.environ.update(env)
    return inbox, controller, env


def fresh_engine(url: str | None, name: str):
    url = url or f"sqlite:///{tempfile.mkdtemp(prefix='wijk-alerts-')}/{name}.db"
    engine = make_engine(url)
    upgrade_schema(engine)
    return engine, url


def latency(url: str | None, inbox: Inbox, env: dict[str, str], wijken: int,
            interval: float) -> list[float]:
    engine, url = fresh_engine(url, "latency")
    today = today_local()

    def build(session):
        areas = [Wijk(code=f"WK80{i:04d}", name=f"Wijk {i}") for i in range(wijken)]
        session.add_all(areas)
        session.flush()
        people = []
        for i, area in enumerate(areas):
            pair = [User(username=f"kf{i}_{n}", role="sleutelfiguur", reporter_role="bewoner",
                         wijken=[area]) for n in (1, 2)]
            session.add_all(pair)
            people.append((area.id, pair))
        session.add(User(username="coordinator", role="coordinator", wijken=areas,
                         alert_email="coordinator@bench.test", credential=Credential()))
        session.flush()
        return [(w, [actor_from_user(u) for u in pair]) for w, pair in people]

    people = run_write(engine, build)
    worker = subprocess.Popen(
        [sys.executable, "-m", "signals", "notify", "--loop", "--interval", str(interval)],
        cwd=ROOT, env={**os.environ, **env, "DATABASE_URL": url},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = []
    try:
        time.sleep(3)  # the worker's start-up (imports) is not part of a save's latency
        for i, (wijk_id, (first, second)) in enumerate(people):
            def call(actor, online, wijk_id=wijk_id):
                draft = SignalDraft(wijk_id=wijk_id, observed_on=today,
                                    category="oproep_mobilisatie", online=online,
                                    platform="besloten_groep" if online else None,
                                    description="Oproep om te verzamelen.",
                                    action_date=today + timedelta(days=3))
                run_write(engine, lambda s: create_signal(s, actor, draft))
            call(first, True)
            time.sleep(random.uniform(0, interval))  # saves arrive at any point of a round
            start = time.monotonic()
            call(second, False)
            arrived = inbox.wait_for(f"Wijk {i} stijgt naar fase 3", 120)
            seconds.append(float("inf") if arrived is None else arrived - start)
    finally:
        worker.terminate()
        worker.wait(30)
    return seconds


def throughput(url: str | None, n_wijken: int, n_users: int, n_alerts: int) -> dict:
    engine, _url = fresh_engine(url, "throughput")
    rng = random.Random(7)

    def build(session):
        session.execute(insert(Wijk), [{"code": f"WK7{i:05d}", "name": f"Wijk {i}",
                                         "data_version": 0} for i in range(n_wijken)])
        session.execute(insert(User), [{"username": f"coord{i:05d}", "role": "coordinator",
                                        "active": True, "alert_email": f"c{i}@bench.test"}
                                       for i in range(n_users)])
        wijk_ids = list(session.scalars(select(Wijk.id)))
        user_ids = list(session.scalars(select(User.id)))
        session.execute(insert(user_wijk), [{"user_id": u, "wijk_id": w} for u in user_ids
                                            for w in rng.sample(wijk_ids, 3)])
        return wijk_ids, user_ids

    wijk_ids, user_ids = run_write(engine, build)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:  # fresh statistics, as autovacuum would give
            connection.execute(text("ANALYZE"))
            connection.commit()
    with read_session(engine) as session:
        costs, found = [], []
        for wijk_id in rng.sample(wijk_ids, 100):
            start = time.perf_counter()
            found.append(len(recipients(session, "fase", wijk_id)))
            costs.append(time.perf_counter() - start)
    items = [Queued("fase", wijk_ids[i % len(wijk_ids)], user_ids[i % len(user_ids)], "email",
                    f"bench:{i}", payload(f"Wijk {i} stijgt naar fase 3", "WK7", "Wijk", [
                        "Redenen: oproep tot actie"], "wijkprofiel", {"wijk": "WK7"}, 3))
             for i in range(n_alerts)]
    start = time.perf_counter()
    run_write(engine, lambda s: queue(s, items))
    queued = time.perf_counter() - start
    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = run_once(engine, batch=200, scan=False)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {"recipients_ms_median": statistics.median(costs) * 1000,
            "recipients_ms_max": max(costs) * 1000,
            "recipients_per_wijk": statistics.mean(found),
            "queue_s": queued, "sent": result.sent, "failed": result.failed,
            "send_wall_s": wall, "send_cpu_s": cpu, "mails_per_s": result.sent / wall}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty database; default: SQLite temp files "
                        "(with PostgreSQL, run (a) and (b) in separate empty databases)")
    parser.add_argument("--part", choices=["a", "b", "both"], default="both")
    parser.add_argument("--wijken", type=int, default=5, help="latency trials")
    parser.add_argument("--interval", type=float, default=15.0)
    parser.add_argument("--alerts", type=int, default=10_000)
    args = parser.parse_args()
    inbox, controller, env = smtp_server()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()}")
    try:
        if args.part in ("a", "both"):
            seconds = latency(args.database_url, inbox, env, args.wijken, args.interval)
            print(f"(a) save -> mail accepted (s), worker --loop --interval "
                  f"{args.interval:g}: " + ", ".join(f"{s:.1f}" for s in seconds)
                  + f"; max {max(seconds):.1f}, median {statistics.median(seconds):.1f}")
        if args.part in ("b", "both"):
            figures = throughput(args.database_url if args.part == "b" else None, 3300, 10_000,
                                 args.alerts)
            print("(b) " + ", ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}"
                                     for k, v in figures.items()))
    finally:
        controller.stop()
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, "
          f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
