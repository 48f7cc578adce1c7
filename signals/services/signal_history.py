"""Append-only signal history rows (docs/domain.md): who changed what, and when.

Free-text fields never go into old/new values: the retention purge removes descriptions
from signals, and the history must not keep a copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from signals.db.models import SignalHistory, utcnow
from signals.db.uow import precompile
from signals.services import audit
from signals.services.actor import Actor
from signals.services.pii import CONFIRMED_ACTION, PiiMatch, kinds

TEXT_FIELDS = frozenset({"description", "action_place", "subtype"})
MAX_VALUE = 200
_INSERT = insert(SignalHistory.__table__)  # built once: the save path writes with it


def add_history(session: Session, actor: Actor, signal_id: int, action: str,
                field: str | None = None, old: object = None, new: object = None,
                note: str | None = None) -> None:
    session.add(SignalHistory(**_row(actor, signal_id, action, field, old, new, note)))


def add_history_now(session: Session, actor: Actor, signal_id: int, action: str,
                    field: str | None = None, old: object = None, new: object = None,
                    note: str | None = None, at: datetime | None = None) -> None:
    """``add_history``, written at once with one Core INSERT instead of at the next ORM
    flush: cheaper on the save path. The signal row must exist already."""
    session.connection().execute(_INSERT, _row(actor, signal_id, action, field, old, new, note)
                                 | {"at": at or utcnow()})


def _row(actor: Actor, signal_id: int, action: str, field: str | None, old: object,
         new: object, note: str | None) -> dict[str, object]:
    """A history row's values; text fields keep no copy of the text, only that it changed."""
    if field in TEXT_FIELDS:
        old = new = None
        note = note or "tekst gewijzigd"
    return {"signal_id": signal_id, "user_id": actor.user_id, "action": action, "field": field,
            "old_value": _text(old), "new_value": _text(new), "note": note}


def prepare_history_now(engine: Engine) -> None:
    """Compile ``add_history_now``'s INSERT ahead (uow.precompile)."""
    precompile(engine, _INSERT, dict.fromkeys(("signal_id", "at", "user_id", "action", "field",
                                               "old_value", "new_value", "note")))


def record_confirmation(session: Session, actor: Actor, signal_id: int,
                        found: Mapping[str, list[PiiMatch]], reason: str) -> None:
    """A confirmed personal-data match: the history keeps the reason; the audit log keeps
    only the kinds and fields, never the text."""
    session.add(SignalHistory(signal_id=signal_id, user_id=actor.user_id,
                              action=CONFIRMED_ACTION, field=",".join(sorted(found))[:40],
                              new_value=",".join(kinds(found))[:200], note=reason.strip()))
    audit.record(session, actor, CONFIRMED_ACTION, "signal", signal_id,
                 {"soorten": kinds(found), "velden": sorted(found)})


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        value = ";".join(sorted(str(v) for v in value))
    return str(value)[:MAX_VALUE]
