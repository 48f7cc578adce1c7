"""Evaluations after the nafase on the dated demo (both backends): asked once the nafase
has ended, lead time and actions computed, texts checked, scoped, listed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from signals.db.models import NafaseEvaluation, User
from signals.db.uow import read_session, run_write
from signals.errors import ConflictError, PermissionDeniedError
from signals.localtime import monday_of
from signals.services.auth import actor_from_user
from signals.services.evaluations import evaluations, pending_evaluation, record_evaluation
from signals.services.pii import PersonalDataError
from tests.conftest import DEMO_TODAY

ANCHOR = monday_of(DEMO_TODAY)
NEXT_WEEK = DEMO_TODAY + timedelta(days=7)  # Molenwijk's nafase ends with the anchor week


def _actor(engine, username: str):  # type: ignore[no-untyped-def]
    with read_session(engine) as session:
        return actor_from_user(session.scalar(select(User).where(User.username == username)))


def test_the_demo_lists_the_molenwijk_lesson_for_its_coordinator_only(demo_engine) -> None:
    with read_session(demo_engine) as session:
        mine = evaluations(session, _actor(demo_engine, "coordinator"))
        zuid = evaluations(session, _actor(demo_engine, "coordinator_zuid"))
    row = mine.iloc[0]
    assert (row["wijk_code"], row["nafase_end"]) == ("WK990103", ANCHOR)
    assert row["escalation_week"] == ANCHOR - timedelta(weeks=4) and row["lead_weeks"] >= 2
    assert row["actions"].count(",") >= 6  # the actions from phase 2 to the end
    assert zuid.empty


def test_an_ended_nafase_asks_for_one_evaluation(demo_engine) -> None:
    coordinator = _actor(demo_engine, "coordinator")
    run_write(demo_engine, lambda s: s.execute(delete(NafaseEvaluation)))
    with read_session(demo_engine) as session:
        assert pending_evaluation(session, coordinator, "WK990103", DEMO_TODAY) is None
        ended = pending_evaluation(session, coordinator, "WK990103", NEXT_WEEK)
    assert ended.nafase_end == ANCHOR and ended.escalation_week == ANCHOR - timedelta(weeks=4)
    assert "Contact met initiatiefnemer" in set(ended.actions["type_label"])

    def save(actor, first: str = "Geruchten over het azc bij het jongerenwerk."):  # type: ignore[no-untyped-def]
        return run_write(demo_engine, lambda s: record_evaluation(
            s, actor, "WK990103", ANCHOR, first, "Vroeg kernteam.", "Eerder communiceren.",
            NEXT_WEEK))

    with pytest.raises(PermissionDeniedError):
        save(_actor(demo_engine, "coordinator_zuid"))
    with pytest.raises(PersonalDataError):
        save(coordinator, "Gemeld door Piet, 06-12345678")
    save(coordinator)
    with pytest.raises(ConflictError):
        save(coordinator)
    with read_session(demo_engine) as session:
        assert pending_evaluation(session, coordinator, "WK990103", NEXT_WEEK) is None
        assert len(evaluations(session, coordinator)) == 1
