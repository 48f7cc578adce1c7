"""Score other phase-rule settings quickly on the cities that ``run.py`` already imported.

    .venv/bin/python -m benchmarks.backtest.run --seeds 1 2 3      # imports, once
    .venv/bin/python -m benchmarks.backtest.sweep --seeds 1 2 3 \\
        --set phase2.theme_alpha=0.001 --set phase2.min_excess=5

``run.py`` imports each seed's city into ``benchmarks/data/backtest-<seed>.db`` with the real
import service. This script reads the signals back from that file once, and then computes
the weekly indicators and the proposed phases with the engine itself (what
``rebuild_indicators`` and ``compute_phases`` do) for the changed rules, and scores them
with the same scorer: well under a second per seed instead of a minute. With no ``--set`` it
reproduces ``run.py``'s figures for the rules in data/rules.toml.
"""

from __future__ import annotations

import argparse
import tomllib

import pandas as pd
from sqlalchemy import select

from benchmarks.backtest.run import DATA, table
from benchmarks.backtest.scorer import Score, score
from benchmarks.backtest.world import simulate
from signals.db.engine import make_engine
from signals.db.models import Wijk
from signals.db.uow import read_session
from signals.engine.indicators import weekly_indicators
from signals.engine.phases import propose_phases
from signals.engine.rules import DEFAULT_RULES, Rules, rules_from_mapping, rules_to_mapping
from signals.engine.weeks import week_range
from signals.services.indicators import load_signal_frame
from signals.services.phases import expected_reporters


def with_settings(rules: Rules, settings: list[str]) -> Rules:
    """``rules`` with ``section.key=value`` settings (values in TOML syntax) applied."""
    mapping = rules_to_mapping(rules)
    for setting in settings:
        path, _, value = setting.partition("=")
        *sections, key = path.strip().split(".")
        node = mapping
        for section in sections:
            node = node[section]
        node[key] = tomllib.loads(f"v = {value.strip()}")["v"]
    return rules_from_mapping(mapping)


def score_seed(seed: int, rules: Rules, wijken: int, years: float) -> Score:
    path = DATA / f"backtest-{seed}.db"
    if not path.exists():
        raise SystemExit(f"{path} is missing: run benchmarks.backtest.run --seeds {seed} first")
    world = simulate(seed, wijken=wijken, years=years)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with read_session(engine) as session:
            frame = load_signal_frame(session, None, None, None)
            expected = expected_reporters(session, list(session.scalars(select(Wijk))))
    finally:
        engine.dispose()
    weeks = week_range(pd.Timestamp(world.evaluated_from), pd.Timestamp(world.last))
    phases = propose_phases(weekly_indicators(frame, rules), expected, weeks, rules)
    return score(world, phases[["wijk_code", "week_start", "phase"]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--wijken", type=int, default=40)
    parser.add_argument("--years", type=float, default=3.0)
    parser.add_argument("--set", dest="settings", action="append", default=[],
                        metavar="SECTION.KEY=VALUE", help="change one setting (repeatable)")
    args = parser.parse_args()
    rules = with_settings(DEFAULT_RULES, args.settings)
    print(table({seed: score_seed(seed, rules, args.wijken, args.years)
                 for seed in args.seeds}))


if __name__ == "__main__":
    main()
