"""Cost of `authorise`: every use case reloads its actor from the database.

A coordinator of 100 wijken on a fresh SQLite file; each measurement opens a session, does
the work and closes it, N times. Compared with an empty session and with `load_actor`,
which the UI already runs on every page run.

    .venv/bin/python benchmarks/authorise_cost.py [--n 2000]

Latest (2-core machine under a load of ~13 from parallel test runs): empty session
0.8 ms, load_actor 26.5 ms, authorise 6.4 ms per use case.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from signals.db.engine import make_engine  # noqa: E402
from signals.db.models import Wijk  # noqa: E402
from signals.db.uow import read_session, run_write  # noqa: E402
from signals.domain import Role  # noqa: E402
from signals.services.actor import SYSTEM_ACTOR, authorise  # noqa: E402
from signals.services.auth import load_actor  # noqa: E402
from signals.services.schema import upgrade_schema  # noqa: E402
from signals.services.users import add_user  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    engine = make_engine(f"sqlite:///{tempfile.mkdtemp(prefix='wijk-auth-')}/a.db")
    upgrade_schema(engine)
    codes = [f"WK99{i:04d}" for i in range(100)]
    run_write(engine, lambda s: s.add_all(Wijk(code=c, name=c) for c in codes))
    user_id = run_write(engine, lambda s: add_user(s, SYSTEM_ACTOR, "coord", Role.COORDINATOR,
                                                   None, codes))
    with read_session(engine) as session:
        actor = load_actor(session, user_id)
    cases = {"empty session": lambda s: None,
             "load_actor": lambda s: load_actor(s, user_id),
             "authorise": lambda s: authorise(s, actor, Role.COORDINATOR)}
    for label, work in cases.items():
        started = time.perf_counter()
        for _ in range(args.n):
            with read_session(engine) as session:
                work(session)
                session.connection()
        print(f"{label}: {(time.perf_counter() - started) / args.n * 1e3:.2f} ms per use case")
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
