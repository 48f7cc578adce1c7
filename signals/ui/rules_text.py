"""The phase rules in force in plain Dutch, for the "Hoe is dit berekend?" expanders."""

from __future__ import annotations

from signals.db.uow import read_session
from signals.services.rules_config import rules_explanation
from signals.ui.resources import engine_or_stop


def rules_explanation_lines() -> list[str]:
    with read_session(engine_or_stop()) as session:
        return rules_explanation(session)
