"""Reading and exporting the audit log (beheerder only). The log itself is append-only:
this module has no function that changes or deletes an event."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from signals.db.models import AuditEvent
from signals.domain import Role
from signals.localtime import LOCAL_TZ
from signals.services import audit
from signals.services.actor import Actor, authorise
from signals.services.spreadsheet_safety import neutralise_frame

MAX_ROWS = 10_000
COLUMNS = ["tijdstip", "gebruiker", "actie", "object_type", "object_id", "details"]


@dataclass(frozen=True)
class AuditFilter:
    first: date | None = None  # inclusive, Europe/Amsterdam calendar days
    last: date | None = None  # inclusive
    username: str | None = None
    action: str | None = None


def query_audit(session: Session, actor: Actor, filters: AuditFilter = AuditFilter(),
                limit: int = MAX_ROWS) -> pd.DataFrame:
    """Newest first; times in Europe/Amsterdam; details as compact JSON text."""
    actor = authorise(session, actor, Role.BEHEERDER)
    query = _filtered(select(AuditEvent), filters).order_by(
        AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    rows = [{
        "tijdstip": event.at.astimezone(LOCAL_TZ).replace(tzinfo=None),
        "gebruiker": event.username or "",
        "actie": event.action,
        "object_type": event.object_type or "",
        "object_id": event.object_id or "",
        "details": json.dumps(event.details, ensure_ascii=False, sort_keys=True)
        if event.details else "",
    } for event in session.scalars(query)]
    return pd.DataFrame(rows, columns=COLUMNS)


def audit_actions(session: Session, actor: Actor) -> list[str]:
    actor = authorise(session, actor, Role.BEHEERDER)
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def audit_usernames(session: Session, actor: Actor) -> list[str]:
    actor = authorise(session, actor, Role.BEHEERDER)
    query = select(AuditEvent.username).where(AuditEvent.username.is_not(None)).distinct()
    return sorted(session.scalars(query))


def export_audit_csv(session: Session, actor: Actor,
                     filters: AuditFilter = AuditFilter()) -> bytes:
    """CSV for Excel (UTF-8 with BOM, `;`), formulas neutralised; the export is audited."""
    actor = authorise(session, actor, Role.BEHEERDER)
    frame = query_audit(session, actor, filters)
    frame["tijdstip"] = frame["tijdstip"].map(lambda t: t.strftime("%d-%m-%Y %H:%M:%S"))
    data = neutralise_frame(frame).to_csv(sep=";", index=False).encode("utf-8-sig")
    audit.record(session, actor, "export", "audit_events", None, {
        "rijen": len(frame), "van": _iso(filters.first), "tot_en_met": _iso(filters.last),
        "gebruiker": filters.username, "actie": filters.action})
    return data


def _filtered(query: Select, filters: AuditFilter) -> Select:
    if filters.first is not None:
        query = query.where(AuditEvent.at >= _day_start(filters.first))
    if filters.last is not None:
        query = query.where(AuditEvent.at < _day_start(filters.last + timedelta(days=1)))
    if filters.username:
        query = query.where(AuditEvent.username == filters.username)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    return query


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
