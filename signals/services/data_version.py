"""A cheap token that changes whenever dashboard data may have changed.

Pages put it in their cache keys, so a cached overview is reused until signals, decisions,
settings (phase rules), wijken or key-figure assignments change. It is read from the
database on every run, so it also works across several app servers sharing one PostgreSQL.
Every part is an indexed aggregate (max of a primary key or of an indexed column, or a
count over a small table), so the token stays cheap at millions of signals. Signals are
never deleted (retention blanks them with an UPDATE), so max(id) sees every insert and
max(updated_at) every update; a count(*) would scan the whole table on PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signals.db.models import PhaseDecision, Setting, Signal, User, Wijk, user_wijk


def data_version(session: Session) -> str:
    """Changes on every insert or update of signals and every new decision."""
    parts = (
        select(func.max(Signal.id)).scalar_subquery(),
        select(func.max(Signal.updated_at)).scalar_subquery(),
        select(func.max(PhaseDecision.id)).scalar_subquery(),
        select(func.max(Setting.updated_at)).scalar_subquery(),
        select(func.count()).select_from(Wijk).scalar_subquery(),
        select(func.max(Wijk.id)).scalar_subquery(),
        select(func.count()).select_from(user_wijk).scalar_subquery(),
        select(func.count()).select_from(User).where(User.active.is_(True)).scalar_subquery(),
    )
    row = session.execute(select(*parts)).one()
    return "|".join("" if value is None else str(value) for value in row)
