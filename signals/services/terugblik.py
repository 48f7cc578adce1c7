"""Terugblik: how the proposed phases held up against the real history.

From the stored history of a period (default the last 52 weeks):

* **Decisions**: for every wijk-week with a coordinator decision, the proposal compared with
  the decision: the same (agreement), higher (override up) or lower (override down); per
  proposed phase and per wijk. The proposal is the one the rules give now (under
  ``rules`` when a what-if passes other rules), so the figures say how well those rules
  match what coordinators decided.
* **Lead time**: for every week that started a phase-4 episode (effective phase: the
  coordinator's decision where there is one), how many weeks earlier the proposal had
  reached phase 2 or higher without interruption (0 if only in that week itself).
* **Load**: weeks at proposed phase >= 2 and >= 3 per wijk-year: how much attention the
  proposals ask.

Coordinators see their own wijken; beheerders see all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from signals.domain import PHASES, Role
from signals.engine.rules import Rules
from signals.engine.weeks import week_label
from signals.services.actor import Actor, authorise
from signals.services.phases import default_period, phase_table

DEFAULT_WEEKS = 52
WEEKS_PER_YEAR = 52


@dataclass(frozen=True)
class Terugblik:
    first: date
    last: date
    n_wijken: int
    decisions: int  # wijk-weeks with a decision
    agreement: float | None  # share of them where the decision equals the proposal
    overrides_up: int
    overrides_down: int
    per_phase: pd.DataFrame  # voorgestelde_fase, fase_naam, besluiten, gelijk, hoger, lager
    per_wijk: pd.DataFrame  # wijk_code, wijk_naam, besluiten, gelijk, hoger, lager,
    #                         weken_fase2, weken_fase3, per_jaar_fase2, per_jaar_fase3
    lead_times: pd.DataFrame  # wijk_code, wijk_naam, week, weken_vooraf
    per_year_phase2: float  # weeks at proposed phase >= 2 per wijk-year
    per_year_phase3: float

    @property
    def median_lead(self) -> float | None:
        return float(self.lead_times["weken_vooraf"].median()) if len(self.lead_times) else None


def terugblik(session: Session, actor: Actor, weeks: int = DEFAULT_WEEKS,
              today: date | None = None, wijk_codes: list[str] | None = None,
              rules: Rules | None = None) -> Terugblik:
    """Terugblik over the last ``weeks`` ISO weeks up to this week, within the actor's wijken."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    first, last = default_period(weeks, today)
    table = phase_table(session, actor, first, last, wijk_codes, rules)
    return summarise(table, first, last)


def summarise(table: pd.DataFrame, first: date, last: date) -> Terugblik:
    """The Terugblik figures of a phase table (services.phases.compute_phases)."""
    decided = table[table["decided_phase"].notna()].assign(
        proposed=lambda t: t["phase"].astype("int64"),
        decided=lambda t: t["decided_phase"].astype("int64"))
    decided = decided.assign(gelijk=decided["decided"] == decided["proposed"],
                             hoger=decided["decided"] > decided["proposed"],
                             lager=decided["decided"] < decided["proposed"])
    n_weeks = (last - first).days // 7 + 1
    names = table.drop_duplicates("wijk_code").set_index("wijk_code")["wijk_naam"]
    per_wijk = _per_wijk(table, decided, names, n_weeks)
    wijk_years = len(names) * n_weeks / WEEKS_PER_YEAR
    return Terugblik(
        first=first, last=last, n_wijken=len(names), decisions=len(decided),
        agreement=float(decided["gelijk"].mean()) if len(decided) else None,
        overrides_up=int(decided["hoger"].sum()), overrides_down=int(decided["lager"].sum()),
        per_phase=_per_phase(decided), per_wijk=per_wijk,
        lead_times=escalation_lead_times(table, names),
        per_year_phase2=float((table["phase"] >= 2).sum() / wijk_years) if wijk_years else 0.0,
        per_year_phase3=float((table["phase"] >= 3).sum() / wijk_years) if wijk_years else 0.0,
    )


def _counts(decided: pd.DataFrame, by: str) -> pd.DataFrame:
    return decided.groupby(by).agg(besluiten=("gelijk", "size"), gelijk=("gelijk", "sum"),
                                   hoger=("hoger", "sum"), lager=("lager", "sum"))


def _per_phase(decided: pd.DataFrame) -> pd.DataFrame:
    counts = _counts(decided, "proposed").reindex(range(len(PHASES)), fill_value=0)
    out = counts.astype("int64").reset_index(names="voorgestelde_fase")
    out.insert(1, "fase_naam", [PHASES[p].name for p in out["voorgestelde_fase"]])
    return out


def _per_wijk(table: pd.DataFrame, decided: pd.DataFrame, names: pd.Series,
              n_weeks: int) -> pd.DataFrame:
    counts = _counts(decided, "wijk_code").reindex(names.index, fill_value=0).astype("int64")
    by_wijk = table.groupby("wijk_code")["phase"]
    counts["weken_fase2"] = by_wijk.apply(lambda p: int((p >= 2).sum())).reindex(names.index)
    counts["weken_fase3"] = by_wijk.apply(lambda p: int((p >= 3).sum())).reindex(names.index)
    years = n_weeks / WEEKS_PER_YEAR
    counts["per_jaar_fase2"] = (counts["weken_fase2"] / years).round(1)
    counts["per_jaar_fase3"] = (counts["weken_fase3"] / years).round(1)
    counts.insert(0, "wijk_naam", names)
    return counts.reset_index(names="wijk_code")


def escalation_lead_times(table: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    """Per week that started a phase-4 episode, the weeks of phase >= 2 proposed before it."""
    rows = []
    for code, wijk in table.sort_values("week_start").groupby("wijk_code", sort=True):
        effective = wijk["effective_phase"].to_numpy()
        proposed = wijk["phase"].to_numpy()
        weeks = wijk["week"].to_numpy()
        for t in np.flatnonzero(effective == 4):
            if t > 0 and effective[t - 1] == 4:
                continue  # the same episode
            start = t
            while start > 0 and proposed[start - 1] >= 2:
                start -= 1
            rows.append((code, names[code], str(weeks[t]), int(t - start)))
    return pd.DataFrame(rows, columns=["wijk_code", "wijk_naam", "week", "weken_vooraf"]).astype(
        {"wijk_code": "str", "wijk_naam": "str", "week": "str", "weken_vooraf": "int64"})


def period_text(result: Terugblik) -> str:
    return f"{week_label(result.first)} t/m {week_label(result.last)}"


def what_if(session: Session, actor: Actor, proposed: Rules,
            weeks: int = DEFAULT_WEEKS, today: date | None = None) -> tuple[Terugblik, Terugblik]:
    """Terugblik under the rules in force and under ``proposed``, on the same history.

    Both read the stored weekly aggregates, which follow the rules in force: a proposed
    change of the score or signal settings shows its effect only after saving.
    """
    actor = authorise(session, actor, Role.BEHEERDER)
    return (terugblik(session, actor, weeks, today),
            terugblik(session, actor, weeks, today, rules=proposed))
