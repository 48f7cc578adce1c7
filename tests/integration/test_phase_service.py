"""Phase service on the demo: the stories, scope, decisions and the effective phase."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from signals.db.models import AuditEvent, User
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.errors import ConflictError, PermissionDeniedError, ValidationError
from signals.services.actor import SYSTEM_ACTOR
from signals.services.auth import actor_from_user
from signals.services.phases import decision_history, phase_table, record_decision
from tests.conftest import DEMO_TODAY

TODAY = DEMO_TODAY
THIS_WEEK, FIRST = date(2026, 11, 16), date(2026, 8, 31)


@pytest.fixture
def demo(demo_engine):
    return demo_engine


def _actor(engine, username: str):
    with read_session(engine) as session:
        user = session.scalar(select(User).where(User.username == username))
        return actor_from_user(user)


def _cell(table, wijk: str, week: str):
    return table[(table.wijk_code == wijk) & (table.week == week)].iloc[0]


def test_the_demo_stories_come_out_of_the_engine(demo) -> None:
    with read_session(demo) as session:
        table = phase_table(session, SYSTEM_ACTOR, FIRST, THIS_WEEK)
    assert len(table) == 12 * 12  # every wijk x every week, with or without signals
    call = _cell(table, "WK990105", "2026-W47")
    assert call.phase == 3 and "oproep tot actie" in call.reasons
    molen = table[table.wijk_code == "WK990103"].set_index("week")
    assert molen.loc["2026-W43", "phase"] == 4
    assert list(molen.loc["2026-W44":"2026-W47", "phase"]) == [3, 2, 1, 1]
    assert molen.loc["2026-W44":"2026-W47", "nafase"].all()
    silent = table[(table.wijk_code == "WK990108") & (table.week >= "2026-W43")]
    assert (silent.visibility == "onvoldoende").all()
    calm = table[table.wijk_code == "WK990110"]
    assert (calm.phase == 0).all() and (calm.visibility == "ok").all()
    busy = table[table.wijk_code == "WK990101"]
    assert not busy.alarm.any() and (busy.phase <= 1).all()
    loud = _cell(table, "WK990106", "2026-W38")
    assert loud.phase == 2  # one key figure's online call, however loud, caps at 2


def test_scope_coordinator_manager_and_key_figure(demo) -> None:
    zuid, manager, key_figure = (_actor(demo, u) for u in
                                 ("coordinator_zuid", "manager", "sleutelfiguur"))
    with read_session(demo) as session:
        mine = phase_table(session, zuid, THIS_WEEK, THIS_WEEK)
        assert set(mine.wijk_code) == {"WK990109", "WK990110", "WK990111", "WK990112"}
        with pytest.raises(PermissionDeniedError):
            phase_table(session, zuid, THIS_WEEK, THIS_WEEK, ["WK990103"])
        for actor in (manager, key_figure):
            with pytest.raises(PermissionDeniedError):
                phase_table(session, actor, THIS_WEEK, THIS_WEEK)


def test_decision_sets_the_effective_phase_and_keeps_history(demo) -> None:
    coordinator = _actor(demo, "coordinator")
    first = run_write(demo, lambda s: record_decision(
        s, coordinator, "WK990105", THIS_WEEK, 3, "Oproep geverifieerd met wijkagent.",
        today=TODAY))
    assert (first.proposed_phase, first.decided_phase) == (3, 3)
    second = run_write(demo, lambda s: record_decision(
        s, coordinator, "WK990105", THIS_WEEK, 2, "Initiatiefnemer trekt oproep in.",
        seen_decision_id=first.decision_id, today=TODAY))
    with read_session(demo) as session:
        cell = _cell(phase_table(session, coordinator, THIS_WEEK, THIS_WEEK), "WK990105",
                     "2026-W47")
        history = decision_history(session, coordinator, "WK990105")
        audited = session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "fasebesluit",
                                        AuditEvent.object_id == "WK990105"))
    assert (cell.phase, cell.effective_phase, cell.decision_id) == (3, 2, second.decision_id)
    assert list(history.decided_phase) == [2, 3] and audited == 2


def test_a_stale_decision_is_refused_not_overwritten(demo) -> None:
    coordinator = _actor(demo, "coordinator")
    run_write(demo, lambda s: record_decision(s, coordinator, "WK990103", THIS_WEEK, 1,
                                              "Nafase, rustig gebleven.", today=TODAY))
    with pytest.raises(ConflictError):
        run_write(demo, lambda s: record_decision(s, coordinator, "WK990103", THIS_WEEK, 2,
                                                  "Zonder het vorige besluit gezien te hebben",
                                                  seen_decision_id=None, today=TODAY))


@pytest.mark.parametrize(("phase", "reason", "week", "field"), [
    (5, "Een goede reden hier.", THIS_WEEK, "fase"),
    (2, "kort", THIS_WEEK, "reden"),
    (2, "Een goede reden hier.", date(2026, 11, 30), "week"),
])
def test_invalid_decisions_are_refused(demo, phase, reason, week, field) -> None:
    coordinator = _actor(demo, "coordinator")
    with pytest.raises(ValidationError) as caught:
        run_write(demo, lambda s: record_decision(s, coordinator, "WK990105", week, phase,
                                                  reason, today=TODAY))
    assert [e.field for e in caught.value.errors] == [field]


def test_decisions_outside_the_scope_are_refused(demo) -> None:
    zuid = _actor(demo, "coordinator_zuid")
    manager = _actor(demo, "manager")
    assert manager.role == Role.MANAGER
    for actor, wijk in ((zuid, "WK990105"), (manager, "WK990110")):
        with pytest.raises(PermissionDeniedError):
            run_write(demo, lambda s, a=actor, w=wijk: record_decision(
                s, a, w, THIS_WEEK, 1, "Dit mag niet slagen.", today=TODAY))
