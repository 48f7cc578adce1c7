"""Risk moments as context for the phase proposal, handed to the engine as plain data.

A wijk-week whose coming 14 days (from that week's Monday) hold a moment on the
risicokalender, for the wijk itself or for its whole gemeente, gets one extra line in its
reasons, e.g. "Risicomoment binnen 14 dagen: raadsbesluit op 24-11 (Azc en asiel)." With
the rules' ``context.risk_moment_weight`` above 0 the engine also counts it as a few score
points at the thresholds (signals/engine/risk.py, docs/phase-rules.md).
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from signals.db.models import RiskMoment, Theme, Wijk
from signals.domain import RISK_KINDS
from signals.engine.risk import RISK_COLUMNS

HORIZON = timedelta(days=14)
MAX_LISTED = 3


def risk_weeks(session: Session, wijken: list[Wijk], first: date, last: date) -> pd.DataFrame:
    """The wijk-weeks (Mondays first..last) with a risk moment in their coming 14 days.

    Columns ``wijk_code``, ``week_start`` (the Monday) and ``moments`` (the text naming
    them), as signals.engine.phases.propose_phases takes them.
    """
    moments = _moments(session, wijken, first, last + HORIZON) if wijken else []
    rows = []
    for wijk in wijken:
        mine = [m for m in moments if m[1] == wijk.id
                or (m[1] is None and m[2] == wijk.gemeente_id)]
        monday = first
        while mine and monday <= last:
            near = [text for day, _, _, text in mine if monday <= day <= monday + HORIZON]
            if near:
                rows.append((wijk.code, monday, _listed(near)))
            monday += timedelta(weeks=1)
    return pd.DataFrame(rows, columns=list(RISK_COLUMNS))


def _listed(near: list[str]) -> str:
    return "; ".join(near[:MAX_LISTED]) + (" en meer" if len(near) > MAX_LISTED else "")


def _moments(session: Session, wijken: list[Wijk], first: date,
             last: date) -> list[tuple[date, int | None, int | None, str]]:
    gemeenten = sorted({w.gemeente_id for w in wijken if w.gemeente_id is not None})
    rows = session.execute(
        select(RiskMoment.moment_date, RiskMoment.wijk_id, RiskMoment.gemeente_id,
               RiskMoment.kind, Theme.label)
        .outerjoin(Theme, Theme.code == RiskMoment.theme)
        .where(RiskMoment.moment_date >= first, RiskMoment.moment_date <= last,
               or_(RiskMoment.wijk_id.in_([w.id for w in wijken]),
                   RiskMoment.wijk_id.is_(None) & RiskMoment.gemeente_id.in_(gemeenten)))
        .order_by(RiskMoment.moment_date, RiskMoment.id)).all()
    return [(day, wijk_id, gemeente_id,
             f"{RISK_KINDS.get(kind, kind).lower()} op {day:%d-%m}"
             + (f" ({label})" if label else ""))
            for day, wijk_id, gemeente_id, kind, label in rows]
