"""What to communicate per phase to residents, the key-figure network and local politics:
defaults in signals.domain, the beheerder's changes in one setting; shown with the proposal.

A stored value that is malformed falls back to the default text of that phase and audience.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from signals.domain import AUDIENCES, PHASE_COMMUNICATION, PHASES, Role
from signals.errors import FieldError, ValidationError
from signals.services.actor import Actor, authorise
from signals.services.pii import require_confirmed
from signals.services.plain_text import normalise_newlines, text_problem
from signals.services.settings import get_value, put

SETTING = "phase_communication"
MAX_TEXT = 600


def communication_texts(session: Session) -> dict[int, dict[str, str]]:
    """Phase level -> audience -> text (every phase and audience present)."""
    stored = get_value(session, SETTING)
    texts = {level: dict(audiences) for level, audiences in PHASE_COMMUNICATION.items()}
    if not isinstance(stored, dict):
        return texts
    for level in texts:
        changed = stored.get(str(level))
        if isinstance(changed, dict):
            texts[level].update({k: v for k, v in changed.items()
                                 if k in AUDIENCES and isinstance(v, str) and v.strip()})
    return texts


def save_communication(session: Session, actor: Actor, level: int, audience: str,
                       text: str) -> None:
    """Change one text (beheerder only); an empty text restores the default."""
    actor = authorise(session, actor, Role.BEHEERDER)
    text = normalise_newlines(text or "").strip()
    errors = []
    if level not in range(len(PHASES)):
        errors.append(FieldError("fase", "kies een fase van 0 tot en met 4"))
    if audience not in AUDIENCES:
        errors.append(FieldError("doelgroep", "kies bewoners, netwerk of politiek"))
    if len(text) > MAX_TEXT:
        errors.append(FieldError("tekst", f"gebruik hoogstens {MAX_TEXT} tekens"))
    elif problem := text_problem(text, multiline=True):
        errors.append(FieldError("tekst", problem))
    if errors:
        raise ValidationError(errors)
    require_confirmed({"tekst": text}, None)
    stored = get_value(session, SETTING)
    value = dict(stored) if isinstance(stored, dict) else {}
    phase = dict(value.get(str(level)) or {})
    if text and text != PHASE_COMMUNICATION[level][audience]:
        phase[audience] = text
    else:
        phase.pop(audience, None)
    value[str(level)] = phase
    put(session, actor, SETTING, value, {"fase": level, "doelgroep": audience})
