"""Append-only signal history rows (DESIGN.md 3): who changed what, and when.

Free-text fields never go into old/new values: the retention purge removes descriptions
from signals, and the history must not keep a copy.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from signals.db.models import SignalHistory
from signals.services.actor import Actor

TEXT_FIELDS = frozenset({"description", "action_place", "subtype"})
MAX_VALUE = 200


def add_history(session: Session, actor: Actor, signal_id: int, action: str,
                field: str | None = None, old: object = None, new: object = None,
                note: str | None = None) -> None:
    if field in TEXT_FIELDS:
        old = new = None
        note = note or "tekst gewijzigd"
    session.add(SignalHistory(signal_id=signal_id, user_id=actor.user_id, action=action,
                              field=field, old_value=_text(old), new_value=_text(new),
                              note=note))


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        value = ";".join(sorted(str(v) for v in value))
    return str(value)[:MAX_VALUE]
