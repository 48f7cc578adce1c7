"""The write-path benchmarks, this checkout against an earlier commit, in pairs, in one run.

    .venv/bin/python benchmarks/compare.py --before 5395274            # all, one round
    .venv/bin/python benchmarks/compare.py --before main~3 --rounds 2 --only save writers

The earlier commit is exported with ``git archive`` into a temporary folder and run with the
same interpreter. Each benchmark runs before, after, before, after (``--rounds``), so a
change of load during the run touches both sides alike. Prints one Markdown table: each
figure next to its target, the load average when it was taken, and after / before.
PostgreSQL runs need the server of WIJKSIGNALEN_TEST_PG (default: postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get("WIJKSIGNALEN_TEST_PG",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    target: str
    args: tuple[str, ...]
    pattern: str  # named groups: the figures to report
    postgres_db: bool = False  # the benchmark needs an empty database of its own


MEASURES = (
    Measure("save", "one save on the demo, SQLite: p50 (CPU per save)", "p50 ≤ 5 ms",
            ("benchmarks/single_save.py", "--saves", "300"),
            r"p50 (?P<p50>[\d.]+) ms.*?CPU per save p50 (?P<cpu>[\d.]+) ms"),
    Measure("writers", "20 writer processes, SQLite: saves/s (p95)", "≥ 200/s, p95 ≤ 150 ms",
            ("benchmarks/concurrent_writers.py", "--backend", "sqlite", "--writers", "20",
             "--signals", "50", "--updaters", "0"),
            r"= (?P<rate>[\d,]+)/s; latency p50 [\d.]+ ms, p95 (?P<p95>[\d.]+) ms"),
    Measure("pg-writers", "20 writer processes, PostgreSQL: saves/s (p95)", "≥ 300/s",
            ("benchmarks/concurrent_writers.py", "--backend", "postgresql", "--writers", "20",
             "--signals", "50", "--updaters", "0"),
            r"= (?P<rate>[\d,]+)/s; latency p50 [\d.]+ ms, p95 (?P<p95>[\d.]+) ms"),
    Measure("import", "import of 100k rows, SQLite, first import: rows/s (CPU s)",
            "≥ 10,000 rows/s", ("benchmarks/import_signals.py",),
            r"first import\s+[\d.]+ s\s+(?P<rate>[\d,]+) rows/s\s+\(this process's CPU time\s+"
            r"(?P<cpu>[\d.]+) s"),
    Measure("pg-import", "import of 100k rows, PostgreSQL (COPY), first import: rows/s "
            "(client CPU s)", "≥ 10,000 rows/s", ("benchmarks/import_signals.py",),
            r"first import\s+[\d.]+ s\s+(?P<rate>[\d,]+) rows/s\s+\(this process's CPU time\s+"
            r"(?P<cpu>[\d.]+) s", postgres_db=True),
)


def export(ref: str) -> Path:
    """A copy of the repository at ``ref`` (git archive), in a temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="wijk-before-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def run(measure: Measure, checkout: Path) -> tuple[dict[str, str], float]:
    """The figures of one run and the load average when it ended."""
    args = list(measure.args)
    database = None
    if measure.postgres_db:
        database = f"wijk_compare_{uuid.uuid4().hex[:8]}"
        _psql(f'CREATE DATABASE "{database}"')
        args += ["--database-url", PG_ADMIN.rsplit("/", 1)[0] + f"/{database}"]
    try:
        done = subprocess.run([sys.executable, *args], cwd=checkout, capture_output=True,
                              text=True, timeout=1800)
    finally:
        if database:
            _psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    load = os.getloadavg()[0]
    found = re.search(measure.pattern, done.stdout, re.S)
    if done.returncode != 0 or found is None or ("RESULT:" in done.stdout
                                                 and "RESULT: PASS" not in done.stdout):
        tail = (done.stdout + done.stderr)[-600:]
        raise SystemExit(f"{measure.key} failed in {checkout}:\n{tail}")
    return found.groupdict(), load


def _psql(sql: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def shown(figures: dict[str, str], load: float) -> str:
    values = list(figures.values())
    extra = f" ({', '.join(values[1:])})" if len(values) > 1 else ""
    return f"{values[0]}{extra} [load {load:.1f}]"


def ratio(before: dict[str, str], after: dict[str, str]) -> str:
    first = next(iter(before))
    old, new = float(before[first].replace(",", "")), float(after[first].replace(",", ""))
    return f"{new / old:.2f}" if old else "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the earlier commit (any git ref)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--only", nargs="*", choices=[m.key for m in MEASURES])
    args = parser.parse_args()
    before = export(args.before)
    chosen = [m for m in MEASURES if not args.only or m.key in args.only]
    print(f"{os.cpu_count()} cores; before = {args.before}, after = this checkout\n")
    print("| Measure | Target | Before | After | After / before |")
    print("|---|---|---|---|---|")
    for measure in chosen:
        for _ in range(args.rounds):
            old, old_load = run(measure, before)
            new, new_load = run(measure, ROOT)
            print(f"| {measure.label} | {measure.target} | {shown(old, old_load)} | "
                  f"{shown(new, new_load)} | {ratio(old, new)} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
