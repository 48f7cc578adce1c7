"""The configurable list of action types: the seeded handelingsperspectief plus the
beheerder's own types, stored as one setting (code -> label).

Seeded codes can be renamed but never removed, so logged actions keep a label; a stored
value that is malformed falls back to the seeded list.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from signals.domain import ACTION_TYPES, Role
from signals.errors import FieldError, ValidationError
from signals.services.actor import Actor, authorise
from signals.services.plain_text import text_problem
from signals.services.settings import get_value, put

SETTING = "action_types"
CODE_PATTERN = re.compile(r"^[a-z0-9_]{2,40}$")
MAX_LABEL = 60


def action_type_labels(session: Session) -> dict[str, str]:
    """Code -> Dutch label: the seeded types first, then the beheerder's own."""
    labels = dict(ACTION_TYPES)
    stored = get_value(session, SETTING)
    if isinstance(stored, dict):
        labels.update({code: label for code, label in stored.items()
                       if isinstance(code, str) and CODE_PATTERN.match(code)
                       and isinstance(label, str) and label.strip()})
    return labels


def save_action_type(session: Session, actor: Actor, code: str, label: str) -> dict[str, str]:
    """Add a type or rename one (beheerder only); audited as a settings change."""
    actor = authorise(session, actor, Role.BEHEERDER)
    code, label = code.strip(), " ".join(label.split())
    errors = []
    if not CODE_PATTERN.match(code):
        errors.append(FieldError("code", "gebruik 2 tot 40 kleine letters, cijfers of _"))
    if not label or len(label) > MAX_LABEL:
        errors.append(FieldError("label", f"geef een label van 1 tot {MAX_LABEL} tekens"))
    elif problem := text_problem(label):
        errors.append(FieldError("label", problem))
    if errors:
        raise ValidationError(errors)
    labels = action_type_labels(session)
    own = {c: v for c, v in labels.items() if ACTION_TYPES.get(c) != v}
    own[code] = label
    put(session, actor, SETTING, own, {"code": code, "label": label})
    return action_type_labels(session)
