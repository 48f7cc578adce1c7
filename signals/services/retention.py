"""Retention (docs/privacy.md): remove signal details after the configured number of months.

Every text or person-linked column has a declared decision in retention_rules.py. Purged:
the signal's free text (description, subtype, action_place), its links to accounts
(reporter_id, created_by_id), the authors, notes and free-text values of its history, who
linked it to other signals, the coordinator's feedback message to its reporter, and the
actor of audit events about signals older than the retention period. Kept: the signal's
category, wijk, week, severity and other codes, the reporter's role type, the weekly
aggregates (`weekly_indicators`, not recomputed) and phase decisions. A purged signal keeps
`purged_at`, and imports never restore it.
Actions and risk moments dated before the same cutoff lose their free text and author;
their type, date, status and phase stay (the managers' counts).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.orm import Session

from signals.db.models import (
    AuditEvent,
    RiskMoment,
    Signal,
    SignalFeedback,
    SignalHistory,
    SignalLink,
    WijkAction,
    utcnow,
)
from signals.domain import Role
from signals.services import audit
from signals.services.actor import Actor, authorise
from signals.services.data_version import bump
from signals.services.form_drafts import purge_stale_drafts
from signals.services.indicators import freeze_before
from signals.services.retention_rules import purged_columns
from signals.services.settings import retention_settings
from signals.services.signal_history import TEXT_FIELDS

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
    audit_events: int = 0  # audit events about signals whose actor was removed
    actions: int = 0  # actions whose description and author were cleared
    risk_moments: int = 0  # past risk moments whose place, subject and author were cleared


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
    actor = authorise(session, actor, Role.BEHEERDER)
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
    history = session.scalar(select(func.count()).select_from(SignalHistory)
                             .where(_history_due(due_ids)))
    old_audit = _old_audit(cutoff)
    audit_events = session.scalar(select(func.count()).select_from(AuditEvent)
                                  .where(old_audit)) or 0
    actions_due, moments_due = _actions_due(cutoff), _moments_due(cutoff)
    result = PurgeResult(cutoff, months, counts[0], counts[1], counts[2], history or 0, dry_run,
                         audit_events, _count(session, WijkAction, actions_due),
                         _count(session, RiskMoment, moments_due))
    if not dry_run:
        purge_stale_drafts(session, now)  # half-typed forms live a week, whatever the months
    if dry_run or not (result.signals or audit_events or result.actions
                       or result.risk_moments):
        return result
    _clear(session, WijkAction, actions_due, "wijk_actions")
    _clear(session, RiskMoment, moments_due, "risk_moments")
    if result.signals:
        _purge_history(session, due_ids)
        # The message to the reporter is free text about the signal: it goes with it.
        session.execute(delete(SignalFeedback).where(SignalFeedback.signal_id.in_(due_ids))
                        .execution_options(synchronize_session=False))
        session.execute(update(SignalLink).where(
            SignalLink.signal_id.in_(due_ids) | SignalLink.related_id.in_(due_ids))
            .values(created_by_id=None).execution_options(synchronize_session=False))
        freeze_before(session, cutoff)
        bump(session, None)  # purged text must leave every dashboard cache
        cleared = dict.fromkeys(purged_columns("signals"))
        session.execute(update(Signal).where(due).values(
            **cleared, purged_at=now, version=Signal.version + 1)
            .execution_options(synchronize_session=False))
    session.execute(update(AuditEvent).where(old_audit).values(user_id=None, username=None)
                    .execution_options(synchronize_session=False))
    details = {k: v for k, v in asdict(result).items() if k != "dry_run"}
    details["cutoff"] = cutoff.isoformat()
    audit.record(session, actor, "bewaartermijn_opgeschoond", "signal", None, details)
    return result


def _actions_due(cutoff: date):  # type: ignore[no-untyped-def]
    return and_(WijkAction.action_date < cutoff,
                WijkAction.description.is_not(None) | WijkAction.created_by_id.is_not(None))


def _moments_due(cutoff: date):  # type: ignore[no-untyped-def]
    return and_(RiskMoment.moment_date < cutoff,
                RiskMoment.place.is_not(None) | RiskMoment.subject.is_not(None)
                | RiskMoment.created_by_id.is_not(None))


def _count(session: Session, model: type, due) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model).where(due)) or 0


def _clear(session: Session, model: type, due, table: str) -> None:  # type: ignore[no-untyped-def]
    session.execute(update(model).where(due).values(**dict.fromkeys(purged_columns(table)))
                    .execution_options(synchronize_session=False))


def _history_due(due_ids):  # type: ignore[no-untyped-def]
    return and_(SignalHistory.signal_id.in_(due_ids),
                SignalHistory.note.is_not(None) | SignalHistory.user_id.is_not(None)
                | SignalHistory.field.in_(sorted(TEXT_FIELDS)))


def _old_audit(cutoff: date):  # type: ignore[no-untyped-def]
    """Events about signals from before the cutoff that still name their actor."""
    start = datetime.combine(cutoff, time(), AMSTERDAM)
    return and_(AuditEvent.object_type == "signal", AuditEvent.at < start,
                AuditEvent.user_id.is_not(None) | AuditEvent.username.is_not(None))


def _purge_history(session: Session, due_ids) -> None:  # type: ignore[no-untyped-def]
    """Clear free text and every author from the history of the signals being purged."""
    in_due = SignalHistory.signal_id.in_(due_ids)
    session.execute(update(SignalHistory)
                    .where(in_due, SignalHistory.field.in_(sorted(TEXT_FIELDS)))
                    .values(old_value=None, new_value=None)
                    .execution_options(synchronize_session=False))
    session.execute(update(SignalHistory).where(in_due, _history_due(due_ids))
                    .values(user_id=None, note=None)
                    .execution_options(synchronize_session=False))
