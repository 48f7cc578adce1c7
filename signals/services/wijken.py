"""Wijk use cases: import (all-or-nothing upsert) and the wijk list with recent counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from signals.db.models import Signal, Wijk
from signals.domain import NUL_MELDING, Role
from signals.engine.weeks import current_week_start, week_label, week_start
from signals.services import audit
from signals.services.actor import Actor, authorise
from signals.services.textfiles import check_size
from signals.services.wijk_files import WijkRecord, parse_wijk_file


@dataclass(frozen=True)
class WijkImportResult:
    created: int
    updated: int
    unchanged: int


def import_wijken(session: Session, actor: Actor, filename: str, data: bytes,
                  gemeente: str | None = None) -> WijkImportResult:
    actor = authorise(session, actor, Role.BEHEERDER)
    check_size(data)
    records = parse_wijk_file(filename, data, gemeente)
    existing = {w.code: w for w in session.scalars(select(Wijk))}
    created = updated = 0
    for record in records:
        wijk = existing.get(record.code)
        if wijk is None:
            session.add(Wijk(code=record.code, name=record.name, geometry=record.geometry))
            created += 1
        elif _apply(wijk, record):
            updated += 1
    result = WijkImportResult(created, updated, len(records) - created - updated)
    audit.record(session, actor, "wijken_import", "wijk", None,
                 {"bestand": filename, **result.__dict__})
    return result


def _apply(wijk: Wijk, record: WijkRecord) -> bool:
    changed = wijk.name != record.name
    wijk.name = record.name
    if record.geometry is not None and wijk.geometry != record.geometry:
        wijk.geometry = record.geometry
        changed = True
    return changed


def wijk_count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Wijk)) or 0


def visible_wijken(session: Session, actor: Actor) -> list[Wijk]:
    actor = authorise(session, actor)
    query = select(Wijk).order_by(Wijk.code)
    if not actor.sees_all_wijken:
        query = query.where(Wijk.id.in_(actor.wijk_ids))
    return list(session.scalars(query))


def wijk_signal_counts(session: Session, actor: Actor, weeks: int = 8,
                       today: date | None = None) -> pd.DataFrame:
    """Signals (excluding nul-meldingen) per wijk per ISO week for the last `weeks` weeks.

    Columns: wijk_code, wijk_naam, one column per week label (oldest first), totaal.
    Raw counts per wijk-week: not for managers, who get suppressed aggregates only.
    """
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    last = current_week_start() if today is None else week_start(today)
    first = (last - timedelta(weeks=weeks - 1)).date()
    wijken = visible_wijken(session, actor)
    rows = session.execute(
        select(Signal.wijk_id, Signal.observed_on, func.count())
        .where(Signal.observed_on >= first, Signal.category != NUL_MELDING,
               Signal.wijk_id.in_([w.id for w in wijken]))
        .group_by(Signal.wijk_id, Signal.observed_on)
    ).all()
    labels = [week_label(last - timedelta(weeks=k)) for k in range(weeks - 1, -1, -1)]
    # One vectorised pivot (a .loc update per row took seconds at 500 wijken).
    found = pd.DataFrame(rows, columns=["wijk_id", "day", "n"])
    days = found["day"].drop_duplicates()
    found["week"] = found["day"].map(dict(zip(days, (week_label(pd.Timestamp(d))
                                                     for d in days), strict=True)))
    counts = (found.pivot_table(index="wijk_id", columns="week", values="n", aggfunc="sum")
              .reindex(index=[w.id for w in wijken], columns=labels).fillna(0)
              .astype("int64"))
    counts.columns = pd.Index(labels)
    counts["totaal"] = counts[labels].sum(axis=1)
    counts.insert(0, "wijk_naam", [w.name for w in wijken])
    counts.insert(0, "wijk_code", [w.code for w in wijken])
    return counts.reset_index(drop=True)
