"""Risk moments as context for the phase proposal: a reason line, never a phase change.

A wijk-week whose coming 14 days (from that week's Monday) hold a moment on the
risicokalender, for the wijk itself or for its whole gemeente, gets one extra line in its
reasons, e.g. "Risicomoment binnen 14 dagen: raadsbesluit op 24-11 (Azc en asiel)." The
phase rules themselves are untouched (docs/phase-rules.md).
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from signals.db.models import RiskMoment, Theme, Wijk
from signals.domain import RISK_KINDS

HORIZON = timedelta(days=14)
MAX_LISTED = 3


def with_risk_context(session: Session, table: pd.DataFrame, wijken: list[Wijk], first: date,
                      last: date) -> pd.DataFrame:
    """`table` (a phase table) with the risk-moment line appended to `reasons`."""
    if table.empty or not wijken:
        return table
    moments = _moments(session, wijken, first, last + timedelta(days=6) + HORIZON)
    if not moments:
        return table
    gemeente_of = {w.code: w.gemeente_id for w in wijken}
    id_of = {w.code: w.id for w in wijken}
    lines = []
    for code, week_start, reasons in zip(table["wijk_code"], table["week_start"],
                                         table["reasons"], strict=True):
        monday = pd.Timestamp(week_start).date()
        near = [text for day, wijk_id, gemeente_id, text in moments
                if monday <= day <= monday + HORIZON
                and (wijk_id == id_of[code]
                     or (wijk_id is None and gemeente_id == gemeente_of[code]))]
        lines.append(_append(reasons, near))
    return table.assign(reasons=lines)


def _append(reasons: str, near: list[str]) -> str:
    if not near:
        return reasons
    listed = "; ".join(near[:MAX_LISTED]) + (" en meer" if len(near) > MAX_LISTED else "")
    separator = " " if reasons.rstrip().endswith(".") or not reasons else ". "
    return f"{reasons.rstrip()}{separator}Risicomoment binnen 14 dagen: {listed}."


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
