"""Score the phase rules on a simulated city: the real import and phase services, on a DB file.

The world is imported as a CSV file by ``import_signals`` (the path a coordinator's upload or
``python -m signals import`` takes, which also stores the weekly aggregates), and the proposed
phases come from ``compute_phases`` (what every page shows). Nothing of the engine is called
directly, so the backtest measures what a municipality would see.

Metrics and targets (the proposed phase, never a coordinator's decision):

* ``vroeg``: escalations shown at phase >= 2 at least 2 weeks before the disorder week;
* ``wanorde_fase4``: disorder weeks at phase 4;
* ``oproep_fase3``: weeks with a corroborated call at phase >= 3;
* ``uitdovend_gezien``: fizzling build-ups shown at phase >= 2 at some time;
* ``vals_fase3``: phase >= 3 episodes that start in a calm week, per wijk-year;
* ``vals_fase2``: phase >= 2 episodes that start in a calm week, per wijk-year;
* ``rustig_laag``: calm wijk-weeks shown at phase <= 1.

A week is calm unless it lies in an episode's window: from one week before its build-up to
8 weeks after the disorder (nafase and gradual de-escalation) or 4 weeks after a fizzle's
last build-up week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from benchmarks.backtest.world import Episode, World
from signals.db.engine import make_engine
from signals.db.models import Wijk
from signals.db.uow import read_session, run_write
from signals.engine.rules import Rules
from signals.services.actor import SYSTEM_ACTOR
from signals.services.phases import compute_phases
from signals.services.schema import upgrade_schema
from signals.services.signal_import import import_signals
from signals.services.wijken import import_wijken

CHUNK_ROWS = 25_000
IMPORT_LIMIT = 200 * 1024 * 1024
TARGETS: dict[str, tuple[str, float]] = {  # metric: (">=" or "<=", target)
    "vroeg": (">=", 0.90),
    "wanorde_fase4": (">=", 1.0),
    "oproep_fase3": (">=", 1.0),
    "uitdovend_gezien": (">=", 0.80),
    "vals_fase3": ("<=", 0.05),
    "vals_fase2": ("<=", 0.5),
    "rustig_laag": (">=", 0.97),
}
DESCRIPTIONS = {
    "vroeg": "escalaties op fase ≥ 2 minstens 2 weken vóór de wanordeweek",
    "wanorde_fase4": "wanordeweek op fase 4",
    "oproep_fase3": "week met bevestigde oproep op fase ≥ 3",
    "uitdovend_gezien": "uitdovende opbouw gezien op fase ≥ 2",
    "vals_fase3": "valse fase ≥ 3 per wijk-jaar",
    "vals_fase2": "valse fase-2-episodes per wijk-jaar",
    "rustig_laag": "rustige wijk-weken op fase ≤ 1",
}
AFTER_DISORDER_WEEKS = 8
AFTER_FIZZLE_WEEKS = 4


@dataclass(frozen=True)
class Score:
    metrics: dict[str, float]
    counts: dict[str, int]  # episodes and calm weeks behind the metrics

    def failures(self) -> list[str]:
        return [name for name, value in self.metrics.items() if not meets(name, value)]


def meets(name: str, value: float) -> bool:
    op, target = TARGETS[name]
    return value >= target - 1e-9 if op == ">=" else value <= target + 1e-9


def load_world(world: World, url: str) -> Engine:
    """A new database at ``url`` with the world's wijken and signals, through the services."""
    engine = make_engine(url)
    upgrade_schema(engine)
    run_write(engine, lambda s: import_wijken(s, SYSTEM_ACTOR, "wijken.csv", world.wijken_csv()))
    header, *rows = world.signals_csv().decode("utf-8").splitlines(keepends=True)
    today = world.last + timedelta(days=6)
    for start in range(0, len(rows), CHUNK_ROWS):
        data = (header + "".join(rows[start:start + CHUNK_ROWS])).encode("utf-8")
        run_write(engine, lambda s, data=data, start=start: import_signals(
            s, SYSTEM_ACTOR, f"simulatie-{start}.csv", data, today=today, limit=IMPORT_LIMIT,
            confirm_new_reporters=True))
    return engine


def proposed_phases(engine: Engine, world: World, rules: Rules | None = None) -> pd.DataFrame:
    """Proposed phase per wijk-week over the scored weeks, from the phase service."""
    with read_session(engine) as session:
        wijken = list(session.scalars(select(Wijk).order_by(Wijk.code)))
        table = compute_phases(session, wijken, world.evaluated_from, world.last, rules)
    return table[["wijk_code", "week_start", "phase"]]


def score(world: World, phases: pd.DataFrame) -> Score:
    grid = phases.pivot(index="week_start", columns="wijk_code", values="phase")
    grid.index = [d.date() for d in pd.to_datetime(grid.index)]

    def phase(wijk: str, monday: date) -> int:
        return int(grid.at[monday, wijk]) if monday in grid.index else 0

    def weeks(first: date, last: date) -> list[date]:
        return [first + timedelta(weeks=k) for k in range((last - first).days // 7 + 1)]

    escalations = [e for e in world.episodes if e.kind != "uitdovend"]
    fizzles = [e for e in world.episodes if e.kind == "uitdovend"]
    calls = [e for e in escalations if e.call_week is not None]
    early = [any(phase(e.wijk_code, w) >= 2 for w in weeks(e.start, e.peak - timedelta(weeks=2)))
             for e in escalations]
    noticed = [any(phase(e.wijk_code, w) >= 2 for w in weeks(e.start, e.peak + timedelta(weeks=1)))
               for e in fizzles]
    calm = _calm_mask(grid, world.episodes)
    values = grid.to_numpy()
    metrics = {
        "vroeg": _share(early),
        "wanorde_fase4": _share([phase(e.wijk_code, e.peak) == 4 for e in escalations]),
        "oproep_fase3": _share([phase(e.wijk_code, e.call_week) >= 3 for e in calls]),
        "uitdovend_gezien": _share(noticed),
        "vals_fase3": _false_starts(values >= 3, calm) / world.wijk_years,
        "vals_fase2": _false_starts(values >= 2, calm) / world.wijk_years,
        "rustig_laag": float((values[calm] <= 1).mean()),
    }
    counts = {"escalaties": len(escalations), "met_oproep": len(calls),
              "uitdovend": len(fizzles), "rustige_wijkweken": int(calm.sum()),
              "wijkjaren": round(world.wijk_years)}
    return Score(metrics, counts)


def _share(hits: list[bool]) -> float:
    return float(np.mean(hits)) if hits else 1.0


def _calm_mask(grid: pd.DataFrame, episodes: list[Episode]) -> np.ndarray:
    calm = np.ones(grid.shape, dtype=bool)
    mondays = np.array(grid.index, dtype="datetime64[D]")
    columns = {code: i for i, code in enumerate(grid.columns)}
    for e in episodes:
        after = AFTER_FIZZLE_WEEKS if e.kind == "uitdovend" else AFTER_DISORDER_WEEKS
        first = np.datetime64(e.start - timedelta(weeks=1))
        last = np.datetime64(e.peak + timedelta(weeks=after))
        calm[(mondays >= first) & (mondays <= last), columns[e.wijk_code]] = False
    return calm


def _false_starts(high: np.ndarray, calm: np.ndarray) -> int:
    """Runs of high weeks (per wijk) whose first week is calm."""
    before = np.vstack([np.zeros((1, high.shape[1]), dtype=bool), high[:-1]])
    return int((high & ~before & calm).sum())


def run(world: World, path: Path, rules: Rules | None = None) -> Score:
    """Import the world into a new SQLite file at ``path`` and score the proposed phases."""
    path.unlink(missing_ok=True)
    engine = load_world(world, f"sqlite:///{path}")
    try:
        return score(world, proposed_phases(engine, world, rules))
    finally:
        engine.dispose()
