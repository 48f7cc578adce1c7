"""A small backtest of the phase rules (benchmarks/backtest): the rules in data/rules.toml must
keep their sensitivity and specificity on a simulated city.

The city is imported by the real import service into a SQLite file and scored from the real
phase service. It is small (so the test stays fast) and has more episodes per wijk than the
full backtest, so every kind of episode occurs. The full-size figures over three seeds are in
benchmarks/RESULTS.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.backtest.scorer import TARGETS, run
from benchmarks.backtest.world import simulate


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    world = simulate(seed=7, wijken=16, years=1.5, escalation_rate=0.5, fizzle_rate=0.3)
    path: Path = tmp_path_factory.mktemp("backtest") / "backtest.db"
    return world, run(world, path)


def test_the_world_has_every_kind_of_episode(scored) -> None:  # type: ignore[no-untyped-def]
    _, score = scored
    assert score.counts["escalaties"] >= 4
    assert score.counts["met_oproep"] >= 2
    assert score.counts["uitdovend"] >= 2


@pytest.mark.parametrize("metric", list(TARGETS))
def test_metric_meets_its_target(scored, metric: str) -> None:  # type: ignore[no-untyped-def]
    _, score = scored
    op, target = TARGETS[metric]
    value = score.metrics[metric]
    assert (value >= target if op == ">=" else value <= target), (metric, value, target)
