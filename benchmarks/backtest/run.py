"""Backtest the phase rules on simulated cities, one per seed, and print the metrics.

    .venv/bin/python -m benchmarks.backtest.run --seeds 1 2 3
    .venv/bin/python -m benchmarks.backtest.run --seeds 1 --rules oude_regels.toml

Each seed's city (benchmarks/backtest/world.py) is imported into a SQLite file under
benchmarks/data/ by the real import service, and scored from the real phase service
(benchmarks/backtest/scorer.py). ``--rules`` scores another rules file on the same data.
The output is a Markdown table, as in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks.backtest.scorer import DESCRIPTIONS, TARGETS, Score, meets, run
from benchmarks.backtest.world import simulate
from signals.engine.rules import parse_rules

DATA = Path(__file__).resolve().parents[1] / "data"


def fmt(name: str, value: float) -> str:
    text = f"{value:.2f}" if name.startswith("vals") else f"{value:.0%}"
    return text if meets(name, value) else f"**{text}** ✗"


def table(scores: dict[int, Score]) -> str:
    seeds = list(scores)
    lines = ["| Metric | Target | " + " | ".join(f"seed {s}" for s in seeds) + " |",
             "|---|---|" + "---|" * len(seeds)]
    for name, (op, target) in TARGETS.items():
        goal = f"{op} {target:.0%}" if not name.startswith("vals") else f"{op} {target:g}"
        cells = " | ".join(fmt(name, scores[s].metrics[name]) for s in seeds)
        lines.append(f"| {DESCRIPTIONS[name]} | {goal} | {cells} |")
    for key in scores[seeds[0]].counts:
        lines.append(f"| _{key}_ | | " + " | ".join(str(scores[s].counts[key]) for s in seeds)
                     + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--wijken", type=int, default=40)
    parser.add_argument("--years", type=float, default=3.0)
    parser.add_argument("--rules", type=Path, help="a rules TOML file (default: data/rules.toml)")
    args = parser.parse_args()
    rules = parse_rules(args.rules.read_text(encoding="utf-8")) if args.rules else None
    DATA.mkdir(exist_ok=True)
    scores = {}
    for seed in args.seeds:
        started = time.perf_counter()
        world = simulate(seed, wijken=args.wijken, years=args.years)
        scores[seed] = run(world, DATA / f"backtest-{seed}.db", rules)
        print(f"seed {seed}: {len(world.signals):,} signals, {len(world.episodes)} episodes, "
              f"{time.perf_counter() - started:.0f} s", flush=True)
    print()
    print(table(scores))
    failed = sorted({f for s in scores.values() for f in s.failures()})
    print("\nAll targets met." if not failed else f"\nTargets missed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
