"""Retention (docs/privacy.md): remove signal details after the configured number of months.

Purged: the description, the links to the reporter's account (reporter_id, created_by_id),
free-text notes in the signal's history, and the reporter as author of history rows.
Kept: the signal's category, wijk, week, severity and other codes, the reporter's role
type, the weekly aggregates (`weekly_indicators`, not recomputed) and phase decisions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from signals.db.models import Signal, SignalHistory, utcnow
from signals.domain import Role
from signals.services import audit
from signals.services.actor import Actor
from signals.services.form_drafts import purge_stale_drafts
from signals.services.indicators import freeze_before
from signals.services.settings import retention_settings

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class PurgeResult:
    cutoff: date  # signals observed before this date are purged
    months: int
    signals: int  # signals purged now (not purged before)
    descriptions: int  # of which had a description
    reporter_links: int  # of which were linked to a reporter or creator account
    history_notes: int  # history rows whose note or author was cleared
    dry_run: bool


def cutoff_date(months: int, now: datetime | None = None) -> date:
    """Today (Europe/Amsterdam) minus `months` calendar months, clamped to the month's end."""
    today = (now or utcnow()).astimezone(AMSTERDAM).date()
    month_index = today.year * 12 + today.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def purge(session: Session, actor: Actor, dry_run: bool = False,
          months: int | None = None, now: datetime | None = None) -> PurgeResult:
    """Purge (or, with dry_run, only count) details of signals older than the retention."""
    actor.require_role(Role.BEHEERDER)
    now = now or utcnow()
    months = months if months is not None else retention_settings(session).months
    cutoff = cutoff_date(months, now)
    due = and_(Signal.observed_on < cutoff, Signal.purged_at.is_(None))
    counts = session.execute(select(
        func.count(),
        func.count(Signal.description),
        func.count(func.coalesce(Signal.reporter_id, Signal.created_by_id)),
    ).where(due)).one()
    due_ids = select(Signal.id).where(due).scalar_subquery()
    reporter_of_row = select(Signal.reporter_id).where(
        Signal.id == SignalHistory.signal_id).scalar_subquery()
    history_due = and_(SignalHistory.signal_id.in_(due_ids),
                       (SignalHistory.note.is_not(None))
                       | (SignalHistory.user_id == reporter_of_row)
                       | (SignalHistory.field == "description"))
    history = session.scalar(select(func.count()).select_from(SignalHistory).where(history_due))
    result = PurgeResult(cutoff, months, counts[0], counts[1], counts[2], history or 0, dry_run)
    if not dry_run:
        purge_stale_drafts(session, now)  # half-typed forms live a week, whatever the months
    if dry_run or not result.signals:
        return result
    _purge_history(session, due_ids)
    freeze_before(session, cutoff)
    session.execute(update(Signal).where(due).values(
        description=None, reporter_id=None, created_by_id=None, purged_at=now,
        version=Signal.version + 1).execution_options(synchronize_session=False))
    details = {k: v for k, v in asdict(result).items() if k != "dry_run"}
    details["cutoff"] = cutoff.isoformat()
    audit.record(session, actor, "bewaartermijn_opgeschoond", "signal", None, details)
    return result


def _purge_history(session: Session, due_ids) -> None:  # type: ignore[no-untyped-def]
    """Clear free text and the reporter as author; must run before the signal loses its
    reporter_id, which identifies those rows."""
    in_due = SignalHistory.signal_id.in_(due_ids)
    session.execute(update(SignalHistory).where(in_due, SignalHistory.field == "description")
                    .values(old_value=None, new_value=None)
                    .execution_options(synchronize_session=False))
    reporter_of_row = select(Signal.reporter_id).where(
        Signal.id == SignalHistory.signal_id).scalar_subquery()
    session.execute(update(SignalHistory).where(in_due, SignalHistory.user_id == reporter_of_row)
                    .values(user_id=None).execution_options(synchronize_session=False))
    session.execute(update(SignalHistory).where(in_due, SignalHistory.note.is_not(None))
                    .values(note=None).execution_options(synchronize_session=False))
