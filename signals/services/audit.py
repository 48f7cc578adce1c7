"""Append-only audit log (docs/privacy.md). Callers never pass description text."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from signals.db.models import AuditEvent, utcnow
from signals.db.uow import precompile
from signals.services.actor import Actor

# Built once: the save path writes its audit row with it.
_INSERT = insert(AuditEvent.__table__)


def record(
    session: Session,
    actor: Actor,
    action: str,
    object_type: str | None = None,
    object_id: str | int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(AuditEvent(**_row(actor, action, object_type, object_id, details)))


def record_now(
    session: Session,
    actor: Actor,
    action: str,
    object_type: str | None = None,
    object_id: str | int | None = None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """``record``, written at once with one Core INSERT instead of at the next ORM flush:
    cheaper on the save path. Rows it refers to must exist already."""
    session.connection().execute(
        _INSERT, _row(actor, action, object_type, object_id, details) | {"at": at or utcnow()})


def _row(actor: Actor, action: str, object_type: str | None, object_id: str | int | None,
         details: dict[str, Any] | None) -> dict[str, Any]:
    return {"user_id": actor.user_id, "username": actor.username, "action": action,
            "object_type": object_type,
            "object_id": None if object_id is None else str(object_id), "details": details}


def prepare_record_now(engine: Engine) -> None:
    """Compile ``record_now``'s INSERT ahead (uow.precompile)."""
    precompile(engine, _INSERT, dict.fromkeys(("at", "user_id", "username", "action",
                                               "object_type", "object_id", "details")))
