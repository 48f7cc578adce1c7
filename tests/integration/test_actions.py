"""Actions per wijk on both backends: scope, managers' counts, the personal-data check,
audit and retention."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from signals.db.models import AuditEvent, WijkAction
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.errors import PermissionDeniedError, ValidationError
from signals.localtime import monday_of, today_local
from signals.services import phases
from signals.services.action_types import action_type_labels, save_action_type
from signals.services.actions import (
    ActionInput,
    action_counts,
    log_action,
    set_action_status,
    wijk_actions,
)
from signals.services.actor import SYSTEM_ACTOR
from signals.services.pii import PersonalDataError
from signals.services.retention import purge
from tests.security.factories import make_user, make_wijken

TODAY = today_local()
SECRET = "Gesprek met de buurtvereniging over het azc"


@pytest.fixture
def world(engine):
    make_wijken(engine, "WK000101", "WK000102")
    return {
        "engine": engine,
        "noord": make_user(engine, "coord_noord", Role.COORDINATOR, ("WK000101",)),
        "zuid": make_user(engine, "coord_zuid", Role.COORDINATOR, ("WK000102",)),
        "manager": make_user(engine, "manager", Role.MANAGER),
        "beheerder": make_user(engine, "beheerder", Role.BEHEERDER),
    }


def _log(engine, actor, wijk: str = "WK000101", **kw) -> int:
    draft = ActionInput(**{"wijk_code": wijk, "action_type": "netwerkgesprek",
                           "action_date": TODAY, "status": "uitgevoerd",
                           "description": SECRET, **kw})
    return run_write(engine, lambda s: log_action(s, actor, draft))


def test_a_coordinator_logs_and_sees_actions_only_in_their_wijken(world) -> None:
    engine, noord, zuid = world["engine"], world["noord"], world["zuid"]
    _log(engine, noord)
    with pytest.raises(PermissionDeniedError):
        _log(engine, zuid)  # WK000101 is not zuid's wijk
    with read_session(engine) as session:
        mine = wijk_actions(session, noord, "WK000101", TODAY - timedelta(days=7), TODAY)
        with pytest.raises(PermissionDeniedError):
            wijk_actions(session, zuid, "WK000101", TODAY - timedelta(days=7), TODAY)
        own_counts = action_counts(session, zuid, TODAY - timedelta(days=7), TODAY)
    assert list(mine["description"]) == [SECRET]
    assert mine["type_label"].iloc[0] == "Netwerkgesprek"
    assert own_counts.empty  # zuid's counts cover zuid's wijken only


def test_managers_get_counts_per_type_and_phase_never_descriptions(world) -> None:
    engine, noord = world["engine"], world["noord"]
    _log(engine, noord)
    _log(engine, noord, action_type="driehoeksoverleg", status="gepland",
         action_date=TODAY + timedelta(days=3))
    with read_session(engine) as session:
        counts = action_counts(session, world["manager"], TODAY - timedelta(days=7),
                               TODAY + timedelta(days=7))
        with pytest.raises(PermissionDeniedError):
            wijk_actions(session, world["manager"], "WK000101", TODAY, TODAY)
    assert set(counts.columns) == {"action_type", "type_label", "phase", "phase_name",
                                   "gepland", "uitgevoerd", "total"}
    assert SECRET not in counts.to_string()
    rows = counts.set_index("action_type")
    assert rows.loc["netwerkgesprek", "uitgevoerd"] == 1
    assert rows.loc["driehoeksoverleg", "gepland"] == 1


def test_a_description_with_personal_data_is_refused(world) -> None:
    engine, noord = world["engine"], world["noord"]
    with pytest.raises(PersonalDataError):
        _log(engine, noord, description="Gebeld met Jan op 06-12345678")
    with pytest.raises(ValidationError) as error:
        _log(engine, noord, description="kort\u202e")
    assert error.value.errors[0].field == "description"
    with pytest.raises(ValidationError):  # done in the future
        _log(engine, noord, action_date=TODAY + timedelta(days=2))
    with read_session(engine) as session:
        assert session.scalar(select(WijkAction.id)) is None


def test_an_action_follows_a_phase_decision_and_takes_its_phase(world) -> None:
    engine, noord = world["engine"], world["noord"]
    decided = run_write(engine, lambda s: phases.record_decision(
        s, noord, "WK000101", monday_of(TODAY), 3, "Beeld: oproep geverifieerd; fase 3."))
    action_id = _log(engine, noord, action_type="zichtbare_aanwezigheid", status="gepland",
                     decision_id=decided.decision_id)
    run_write(engine, lambda s: set_action_status(s, noord, action_id, "uitgevoerd"))
    with read_session(engine) as session:
        row = wijk_actions(session, noord, "WK000101", TODAY, TODAY).iloc[0]
        events = list(session.scalars(select(AuditEvent).where(
            AuditEvent.action.in_(["actie_vastgelegd", "actie_status_gewijzigd"]))))
    assert (row["phase"], row["decision_id"], row["status"]) == (3, decided.decision_id,
                                                                "uitgevoerd")
    assert len(events) == 2
    assert all(SECRET not in str(e.details) for e in events)
    other = run_write(engine, lambda s: phases.record_decision(
        s, world["zuid"], "WK000102", monday_of(TODAY), 2, "Beeld: spanning; fase twee."))
    with pytest.raises(ValidationError):  # a decision of another wijk
        _log(engine, noord, decision_id=other.decision_id)


def test_the_beheerder_adds_and_renames_action_types(world) -> None:
    engine = world["engine"]
    run_write(engine, lambda s: save_action_type(s, world["beheerder"], "buurtmaaltijd",
                                                 "Buurtmaaltijd"))
    run_write(engine, lambda s: save_action_type(s, world["beheerder"], "netwerkgesprek",
                                                 "Gesprek met het netwerk"))
    with pytest.raises(PermissionDeniedError):
        run_write(engine, lambda s: save_action_type(s, world["noord"], "x_y", "X"))
    with read_session(engine) as session:
        labels = action_type_labels(session)
    assert labels["buurtmaaltijd"] == "Buurtmaaltijd"
    assert labels["netwerkgesprek"] == "Gesprek met het netwerk"
    assert labels["driehoeksoverleg"] == "Driehoeksoverleg"  # seeded types stay
    _log(engine, world["noord"], action_type="buurtmaaltijd")


def test_retention_clears_old_descriptions_and_authors_but_keeps_the_counts(world) -> None:
    engine, noord = world["engine"], world["noord"]
    old_day = TODAY - timedelta(days=90)
    _log(engine, noord, action_date=old_day)
    _log(engine, noord)
    now = datetime.combine(TODAY, time(12), tzinfo=UTC)
    result = run_write(engine, lambda s: purge(s, SYSTEM_ACTOR, months=1, now=now))
    assert result.actions == 1
    with read_session(engine) as session:
        rows = session.execute(select(WijkAction.action_date, WijkAction.description,
                                      WijkAction.created_by_id, WijkAction.action_type)
                               .order_by(WijkAction.action_date)).all()
        counts = action_counts(session, world["manager"], old_day, TODAY)
    assert rows[0][1:3] == (None, None) and rows[0][3] == "netwerkgesprek"
    assert rows[1][1] == SECRET and rows[1][2] == noord.user_id
    assert int(counts["total"].sum()) == 2


def test_an_old_week_action_in_an_unknown_wijk_is_refused(world) -> None:
    with pytest.raises(Exception, match="Onbekende wijkcode"):
        _log(world["engine"], world["beheerder"], wijk="WK999999",
             action_date=date(2026, 1, 5))
