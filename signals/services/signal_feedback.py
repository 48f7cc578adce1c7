"""Terugkoppeling: a coordinator's short message to the reporter of a signal.

Kept apart from the internal assessment notes (signal_history), shown only to the reporter
(in Mijn meldingen) and to the reviewers of the signal's wijk. It never needs personal
data, so any match of the personal-data check is refused outright (no confirmation).
Cleared with the signal's other free text by the retention purge.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from signals.db.models import Signal, SignalFeedback, utcnow
from signals.domain import Role
from signals.errors import FieldError, NotFoundError, ValidationError
from signals.services import audit
from signals.services.actor import Actor, authorise
from signals.services.pii import PersonalDataError, PiiMatch, scan_fields
from signals.services.plain_text import normalise_newlines, text_problem
from signals.services.signal_draft import reference

MAX_LENGTH = 500
FIELD = "feedback"


class FeedbackPersonalDataError(PersonalDataError):
    """Personal data in a message to the reporter: removed, never confirmed."""

    def __init__(self, found: Mapping[str, list[PiiMatch]]) -> None:
        self.found = dict(found)
        items = ", ".join(f"{m.label} '{m.value}'" for ms in found.values() for m in ms)
        ValidationError.__init__(self, [FieldError(
            FIELD, f"bevat mogelijk persoonsgegevens: {items}. Haal ze weg; een bericht aan "
                   "de melder heeft ze nooit nodig")])


def feedback_message(session: Session, actor: Actor, signal_id: int) -> str:
    """The current message for the reporter ('' when none), for a reviewer of the wijk."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    _reviewable(session, actor, signal_id)
    return session.scalar(select(SignalFeedback.message)
                          .where(SignalFeedback.signal_id == signal_id)) or ""


def save_feedback(session: Session, actor: Actor, signal_id: int, message: str) -> bool:
    """Store, replace or (with an empty text) remove the message; True when it changed."""
    actor = authorise(session, actor, Role.COORDINATOR, Role.BEHEERDER)
    signal = _reviewable(session, actor, signal_id)
    text = normalise_newlines(message or "").strip()
    if problem := text_problem(text, multiline=True):
        raise ValidationError([FieldError(FIELD, problem)])
    if len(text) > MAX_LENGTH:
        raise ValidationError([FieldError(FIELD, f"mag hoogstens {MAX_LENGTH} tekens zijn")])
    found = scan_fields({FIELD: text})
    if found:  # a message to the reporter never needs personal data: no confirmation
        raise FeedbackPersonalDataError(found)
    row = session.get(SignalFeedback, signal.id)
    if (row.message if row else "") == text:
        return False
    if not text:
        session.delete(row)
    elif row is None:
        session.add(SignalFeedback(signal_id=signal.id, message=text,
                                   updated_by_id=actor.user_id))
    else:
        row.message, row.updated_by_id, row.updated_at = text, actor.user_id, utcnow()
    audit.record(session, actor, "terugkoppeling_opgeslagen" if text
                 else "terugkoppeling_verwijderd", "signal", signal.id)
    return True


def _reviewable(session: Session, actor: Actor, signal_id: int) -> Signal:
    signal = session.get(Signal, signal_id)
    if signal is None or not (actor.sees_all_wijken or signal.wijk_id in actor.wijk_ids):
        raise NotFoundError(f"Melding {reference(signal_id)} bestaat niet of valt buiten uw "
                            "wijken.")
    return signal
