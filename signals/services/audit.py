"""Append-only audit log (docs/privacy.md). Callers never pass description text."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from signals.db.models import AuditEvent
from signals.services.actor import Actor


def record(
    session: Session,
    actor: Actor,
    action: str,
    object_type: str | None = None,
    object_id: str | int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEvent(
            user_id=actor.user_id,
            username=actor.username,
            action=action,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            details=details,
        )
    )
