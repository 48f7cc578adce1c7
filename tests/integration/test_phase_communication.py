"""Communication per phase: defaults, the beheerder's changes (audited), refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from signals.db.models import AuditEvent
from signals.db.uow import read_session, run_write
from signals.domain import PHASE_COMMUNICATION, Role
from signals.errors import PermissionDeniedError, ValidationError
from signals.services.phase_communication import communication_texts, save_communication
from signals.services.pii import PersonalDataError
from tests.security.factories import make_user, make_wijken


def test_the_beheerder_changes_and_restores_a_text(engine) -> None:
    beheerder = make_user(engine, "beheerder", Role.BEHEERDER)
    make_wijken(engine, "WK000101")
    coordinator = make_user(engine, "coord", Role.COORDINATOR, ("WK000101",))
    run_write(engine, lambda s: save_communication(s, beheerder, 3, "politiek",
                                                   "Raad direct informeren."))
    with read_session(engine) as session:
        texts = communication_texts(session)
        event = session.scalar(select(AuditEvent).where(
            AuditEvent.action == "instelling_gewijzigd"))
    assert texts[3]["politiek"] == "Raad direct informeren."
    assert texts[3]["bewoners"] == PHASE_COMMUNICATION[3]["bewoners"]
    assert event.details == {"fase": 3, "doelgroep": "politiek"}
    run_write(engine, lambda s: save_communication(s, beheerder, 3, "politiek", ""))
    with read_session(engine) as session:
        assert communication_texts(session)[3]["politiek"] == PHASE_COMMUNICATION[3]["politiek"]
    with pytest.raises(PermissionDeniedError):
        run_write(engine, lambda s: save_communication(s, coordinator, 3, "politiek", "x"))
    with pytest.raises(ValidationError):
        run_write(engine, lambda s: save_communication(s, beheerder, 7, "pers", "x"))
    with pytest.raises(PersonalDataError):
        run_write(engine, lambda s: save_communication(s, beheerder, 1, "netwerk",
                                                       "Bel Jan op 06-12345678"))
