"""Benchmark the signal import service: a generated 100k-row CSV into a fresh database.

    .venv/bin/python benchmarks/import_signals.py                      # SQLite (temp file)
    .venv/bin/python benchmarks/import_signals.py --database-url postgresql+psycopg://...
    .venv/bin/python benchmarks/import_signals.py --rows 20000

The PostgreSQL database must be empty or migrated and free of earlier benchmark rows (use a
throwaway database). Measures the service end to end as the UI and CLI call it, in one
transaction: read and parse the file, validate every row, check personal data, compare with
stored signals, register 500 new reporters, bulk insert, history, weekly indicators. Then
the same file again (all rows unchanged: the idempotent path). Target: 100k rows in <= 10 s.

Latest run (2026-11-22, quiet 2-core machine; details in benchmarks/RESULTS.md):
  SQLite      first import 13.7 s (7,295 rows/s); re-import 7.5 s
  PostgreSQL  first import 33.3 s (3,007 rows/s); re-import 13.9 s
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from signals.db.engine import make_engine  # noqa: E402
from signals.db.models import Wijk  # noqa: E402
from signals.db.uow import run_write  # noqa: E402
from signals.services.actor import SYSTEM_ACTOR  # noqa: E402
from signals.services.schema import upgrade_schema  # noqa: E402
from signals.services.signal_import import import_signals  # noqa: E402
from signals.services.signal_rows import IMPORT_COLUMNS  # noqa: E402

WIJKEN = 50
REPORTERS = 500
TODAY = date(2026, 3, 12)
CATEGORIES = ["geen_bijzonderheden"] * 5 + ["onvrede"] * 4 + [
    "geruchten_desinformatie", "anti_overheid", "spanning_groepen", "symbolen",
    "haat_discriminatie", "collectieve_actie", "oproep_mobilisatie", "bedreiging_intimidatie",
    "ordeverstoring", "aanleiding", "weerbaarheid", "onvrede"]
THEMES = ["", "", "", "azc_asiel", "wonen;bestaanszekerheid", "jeugdgroepen", "voetbal",
          "israel_gaza", "boeren_stikstof"]
TEXTS = ["Bewoners klagen op de bewonersavond over de plannen; de toon wordt feller.",
         "Er gaat een gerucht rond in de wijk over de nieuwe opvang.",
         "Groep jongeren hangt 's avonds rond bij het winkelcentrum en roept leuzen.",
         "Stickers met leuzen op lantaarnpalen langs de hoofdstraat.",
         "Buurtfeest met veel bezoekers uit verschillende groepen; goede sfeer."]


def generate(rows: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(IMPORT_COLUMNS)
    # One value per column of IMPORT_COLUMNS, in its order (platform_name stays empty).
    for i in range(rows):
        category = rng.choice(CATEGORIES)
        observed = TODAY - timedelta(days=rng.randrange(730))
        nul = category == "geen_bijzonderheden"
        call = category == "oproep_mobilisatie"
        online = not nul and rng.random() < 0.3
        row = [
            f"bench-{i:07d}", observed.isoformat(), f"WK9{rng.randrange(WIJKEN):03d}01",
            f"bench_sf{rng.randrange(REPORTERS):04d}", rng.choice(["wijkagent", "docent", ""]),
            category, "", "" if nul else rng.choice(THEMES),
            "" if nul or rng.random() < 0.5 else str(rng.randint(1, 5)),
            "online" if online else "eigen_waarneming", "ja" if online else "nee",
            "sociale_media" if online else "", "", rng.choice(["individu", "klein", "middel"]),
            rng.choice(["hoog", "middel", "laag", "onbekend"]), "geen",
            (observed + timedelta(days=5)).isoformat() if call else "",
            "Marktplein" if call else "", rng.choice(["nieuw", "in_duiding", "geverifieerd"]),
            "" if nul else rng.choice(TEXTS),
        ]
        assert len(row) == len(IMPORT_COLUMNS), "the generator is out of step with the columns"
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def prepare(url: str | None) -> str:
    if url is None:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='wijk-bench-')}/bench.db"
    engine = make_engine(url)
    upgrade_schema(engine)

    def wijken(session) -> None:  # type: ignore[no-untyped-def]
        existing = {w for (w,) in session.query(Wijk.code)}
        session.add_all(Wijk(code=f"WK9{n:03d}01", name=f"Benchwijk {n}")
                        for n in range(WIJKEN) if f"WK9{n:03d}01" not in existing)

    run_write(engine, wijken)
    engine.dispose()
    return url


def timed_import(url: str, data: bytes, verbose: bool) -> tuple[float, float, object]:
    engine = make_engine(url)
    started = time.perf_counter()
    cpu_started = time.process_time()

    def progress(fraction: float, text: str) -> None:
        if verbose:
            print(f"    {time.perf_counter() - started:6.2f} s  {fraction:4.0%} {text}")

    summary = run_write(engine, lambda s: import_signals(s, SYSTEM_ACTOR, "bench.csv", data,
                                                         progress=progress, today=TODAY,
                                                         confirm_new_reporters=True))
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    engine.dispose()
    return elapsed, cpu, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    parser.add_argument("--verbose", action="store_true", help="print the time of each step")
    args = parser.parse_args()
    data = generate(args.rows)
    url = prepare(args.database_url)
    backend = url.split(":", 1)[0]
    print(f"{backend}: {args.rows:,} rows, {len(data) / 1_048_576:.1f} MB CSV")
    for label in ("first import", "re-import (unchanged)"):
        elapsed, cpu, summary = timed_import(url, data, args.verbose)
        print(f"  {label:24s} {elapsed:6.2f} s  {args.rows / elapsed:9,.0f} rows/s  "
              f"(this process's CPU time {cpu:5.2f} s; load average {os.getloadavg()[0]:.1f})  "
              f"new={summary.created} updated={summary.updated} "  # type: ignore[attr-defined]
              f"unchanged={summary.unchanged} "  # type: ignore[attr-defined]
              f"new reporters={len(summary.new_reporters)}")  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
