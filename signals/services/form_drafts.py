"""Server-side drafts of a half-filled form, one per user and form (docs/privacy.md).

A draft may hold the same free text as a signal, so it is personal data: only its own user
ever reads it (every function takes the actor and uses only the actor's user id), it is
deleted when the form is saved or discarded, and it expires after `DRAFT_DAYS`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from signals.db.models import FormDraft, utcnow
from signals.services.actor import Actor, authorise

DRAFT_DAYS = 7
MAX_FORM_KEY = 40


def save_draft(session: Session, actor: Actor, form: str, values: dict[str, Any],
               now: datetime | None = None) -> None:
    """Create or replace the actor's draft of `form` (JSON-serialisable values)."""
    actor = authorise(session, actor)  # the account as it is now: enabled, same role
    user_id = _user_id(actor)
    row = session.get(FormDraft, (user_id, form[:MAX_FORM_KEY]))
    if row is None:
        session.add(FormDraft(user_id=user_id, form=form[:MAX_FORM_KEY], values=values,
                              updated_at=now or utcnow()))
    else:
        row.values = values
        row.updated_at = now or utcnow()


def load_draft(session: Session, actor: Actor, form: str,
               now: datetime | None = None) -> dict[str, Any] | None:
    """The actor's own draft of `form`, unless it is older than `DRAFT_DAYS`."""
    actor = authorise(session, actor)  # the account as it is now: enabled, same role
    row = session.get(FormDraft, (_user_id(actor), form[:MAX_FORM_KEY]))
    if row is None or row.updated_at < (now or utcnow()) - timedelta(days=DRAFT_DAYS):
        return None
    return dict(row.values)


def discard_draft(session: Session, actor: Actor, form: str) -> None:
    session.execute(delete(FormDraft).where(FormDraft.user_id == _user_id(actor),
                                            FormDraft.form == form[:MAX_FORM_KEY]))


def purge_stale_drafts(session: Session, now: datetime | None = None) -> int:
    """Delete every draft older than `DRAFT_DAYS` (run by the retention purge)."""
    cutoff = (now or utcnow()) - timedelta(days=DRAFT_DAYS)
    result = session.execute(delete(FormDraft).where(FormDraft.updated_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _user_id(actor: Actor) -> int:
    if actor.user_id is None:
        raise ValueError("a draft belongs to a logged-in user")
    return actor.user_id
