"""A cheap token that changes whenever the dashboard data of a scope may have changed.

Pages put it in their cache keys, so a cached overview is reused until the signals or
decisions of the user's wijken change, or settings (phase rules), wijken or key-figure
assignments do. Each wijk has a counter (wijken.data_version) that every write to its
signals raises in the same transaction (indicator_sync.py calls ``bump`` for the wijken a
transaction touched), so a save in one wijk leaves the caches of users who do not see that
wijk alone. It is read from the database on every run, so it also works across several
app servers sharing one PostgreSQL. Every part is a small aggregate (a sum over the scope's
wijk rows, a max of a primary key, or a count over a small table), so the token stays cheap
at millions of signals.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Update, bindparam, func, select, update
from sqlalchemy.orm import Session

from signals.db.models import PhaseDecision, Setting, User, Wijk, user_wijk


def bump(session: Session, wijk_ids: Iterable[int] | None) -> None:
    """The data of these wijken (None: of every wijk) changed in this transaction.

    On PostgreSQL the rows are locked in id order first (within the same statement), so
    this also serves as ``indicators.lock_wijken``: writers that bump overlapping wijken
    queue up instead of deadlocking.
    """
    if wijk_ids is None:
        session.connection().execute(_BUMP)
        return
    ids = sorted(set(wijk_ids))
    if not ids:
        return
    connection = session.connection()
    connection.execute(bump_statement(connection.dialect.name), {"ids": ids})


def bump_statement(dialect: str, wijken: int = 0) -> Update:
    """``bump``, for a caller that adds a RETURNING clause to read something in the same
    round trip: of ``wijken`` wijken in the parameters ``id0``, ``id1``, …, or (0) of those
    in the expanding parameter ``ids`` (it re-renders its SQL on every run; a save's one
    wijk need not)."""
    if not wijken:
        return _BUMP_LOCKED if dialect == "postgresql" else _BUMP_SOME
    ids = [bindparam(f"id{n}") for n in range(wijken)]
    if dialect != "postgresql":
        return _BUMP.where(_TABLE.c.id.in_(ids))
    return _BUMP.where(_TABLE.c.id.in_(
        select(_TABLE.c.id).where(_TABLE.c.id.in_(ids)).order_by(_TABLE.c.id)
        .with_for_update(key_share=True)))


_TABLE = Wijk.__table__
# Built once: every save runs one of these.
_BUMP = update(_TABLE).values(data_version=_TABLE.c.data_version + 1)
_BUMP_SOME = _BUMP.where(_TABLE.c.id.in_(bindparam("ids", expanding=True)))
_BUMP_LOCKED = _BUMP.where(_TABLE.c.id.in_(
    select(_TABLE.c.id).where(_TABLE.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(_TABLE.c.id).with_for_update(key_share=True)))


def data_version(session: Session, wijk_ids: Iterable[int] | None = None) -> str:
    """The token of the given wijken (an actor's scope; None: all wijken)."""
    signals = select(func.coalesce(func.sum(Wijk.data_version), 0))
    decisions = select(func.max(PhaseDecision.id))
    if wijk_ids is not None:
        ids = sorted(set(wijk_ids))
        signals = signals.where(Wijk.id.in_(ids))
        decisions = decisions.where(PhaseDecision.wijk_id.in_(ids))
    parts = (
        signals.scalar_subquery(),
        decisions.scalar_subquery(),
        select(func.max(Setting.updated_at)).scalar_subquery(),
        select(func.count()).select_from(Wijk).scalar_subquery(),
        select(func.max(Wijk.id)).scalar_subquery(),
        select(func.count()).select_from(user_wijk).scalar_subquery(),
        select(func.count()).select_from(User).where(User.active.is_(True)).scalar_subquery(),
    )
    row = session.execute(select(*parts)).one()
    return "|".join("" if value is None else str(value) for value in row)
