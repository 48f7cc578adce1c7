"""Benchmark the dashboard pages' server runs (Streamlit AppTest) on a large database.

    .venv/bin/python benchmarks/pages.py          # benchmarks/data/signals-1m-500.db
    .venv/bin/python benchmarks/pages.py --database-url postgresql+psycopg://.../wijk_1m
    .venv/bin/python benchmarks/pages.py --database-url sqlite:////tmp/demo.db   # any DB

An empty database is first filled by benchmarks/generate.py (1M signals, 500 wijken, five
years, through the import path; its accounts: beheerder, manager, coordinator with 20
wijken, coordinator_groot with 100). The run logs in and so writes login and audit rows:
point it at a copy when the database is shared. Each scenario logs in through the real
login form, opens the page, and times `AppTest.run()`:

* cold: the data caches cleared (st.cache_data), the process already warm (imports done,
  as in a running server);
* warm: the same run again (cache hits; the data-version token is still read).

Targets: cold <= 2 s and warm <= 0.5 s at 1M signals; <= 1 s on the demo.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = f"sqlite:///{ROOT / 'benchmarks' / 'data' / 'signals-1m-500.db'}"
PASSWORDS = {"coordinator": "demo-coordinator-2026", "coordinator_groot": "demo-coordinator-2026",
             "manager": "demo-manager-2026", "beheerder": "demo-beheerder-2026"}


@dataclass(frozen=True)
class Scenario:
    name: str
    username: str
    page: str
    query: dict[str, str]
    widgets: tuple[tuple[str, object], ...] = ()  # (button_group key, value) to set first


def scenarios(busiest: str) -> list[Scenario]:
    return [
        Scenario("overzicht beheerder (alle wijken)", "beheerder", "pages/overzicht.py", {}),
        Scenario("overzicht coordinator_groot", "coordinator_groot",
                 "pages/overzicht.py", {}),
        Scenario("overzicht coordinator", "coordinator", "pages/overzicht.py", {}),
        Scenario("wijkprofiel 12 weken", "beheerder", "pages/wijkprofiel.py",
                 {"wijk": busiest}),
        Scenario("wijkprofiel 52 weken", "beheerder", "pages/wijkprofiel.py",
                 {"wijk": busiest}, (("periode", "52 weken"),)),
        Scenario("weekbeeld manager 12 weken", "manager", "pages/weekbeeld.py", {}),
    ]


def _login(username: str):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.text_input[0].input(username)
    at.text_input[1].input(PASSWORDS[username])
    at.button[0].click()
    at.run()
    from signals.ui.session import TOKEN_KEY

    if TOKEN_KEY not in at.session_state:
        raise SystemExit(f"Login as {username} failed: does the account exist here?")
    return at


def _timed(at) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"page failed: {at.exception}")
    return elapsed


def run_scenario(scenario: Scenario, repeat: int) -> tuple[float, float]:
    import streamlit as st

    at = _login(scenario.username)
    at.query_params.update(scenario.query)
    at.switch_page(str(ROOT / scenario.page))
    at.run()  # open the page once, so that its widgets exist
    for key, value in scenario.widgets:
        at.button_group(key=key).set_value(value).run()
    colds, warms = [], []
    for _ in range(repeat):
        st.cache_data.clear()
        colds.append(_timed(at))
        warms.append(_timed(at))
    return statistics.median(colds), statistics.median(warms)


def busiest_wijk() -> str:
    from sqlalchemy import func, select

    from signals.db.engine import default_engine
    from signals.db.models import Signal, Wijk
    from signals.db.uow import read_session

    with read_session(default_engine()) as session:
        return session.scalar(select(Wijk.code).join(Signal, Signal.wijk_id == Wijk.id)
                              .group_by(Wijk.code).order_by(func.count().desc()).limit(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--signals", type=int, default=1_000_000,
                        help="generate.py size when the database is empty")
    parser.add_argument("--wijken", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    from signals.db.engine import make_engine
    from signals.services.schema import schema_is_current, upgrade_schema

    engine = make_engine(args.database_url)
    upgrade_schema(engine)
    with engine.connect() as connection:
        empty = not connection.exec_driver_sql("SELECT count(*) FROM wijken").scalar()
        n_signals = connection.exec_driver_sql("SELECT count(*) FROM signals").scalar()
    engine.dispose()
    if empty:
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"),
                        "--signals", str(args.signals), "--wijken", str(args.wijken),
                        "--database-url", args.database_url], check=True)
        n_signals = args.signals
    assert schema_is_current(make_engine(args.database_url))
    print(f"{n_signals:,} signals; median of {args.repeat} runs per scenario")
    warmup = Scenario("warm-up", "beheerder", "pages/overzicht.py", {})
    run_scenario(warmup, 1)  # imports (plotly, pandas paths) as in a running server
    print(f"{'scenario':38} {'cold (s)':>9} {'warm (s)':>9}")
    for scenario in scenarios(busiest_wijk()):
        try:
            cold, warm = run_scenario(scenario, args.repeat)
        except SystemExit as exc:
            print(f"{scenario.name:38} skipped: {exc}")
            continue
        print(f"{scenario.name:38} {cold:9.3f} {warm:9.3f}", flush=True)


if __name__ == "__main__":
    main()
