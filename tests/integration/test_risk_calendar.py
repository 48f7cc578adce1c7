"""The risicokalender on both backends: scope, gemeente-wide moments, verified calls,
the reason line in the phase table, the personal-data check and retention."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select, update

from signals.db.models import Gemeente, RiskMoment, Signal, Wijk
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.errors import PermissionDeniedError, ValidationError
from signals.localtime import monday_of, today_local
from signals.services.actor import SYSTEM_ACTOR
from signals.services.phases import phase_table
from signals.services.pii import PersonalDataError
from signals.services.retention import purge
from signals.services.risk_calendar import MomentInput, add_moment, remove_moment, upcoming_moments
from tests.security.factories import make_signal, make_user, make_wijken

TODAY = today_local()


@pytest.fixture
def world(engine):
    ids = make_wijken(engine, "WK000101", "WK000102", "WK000201")

    def gemeenten(session) -> None:  # type: ignore[no-untyped-def]
        one, two = Gemeente(code="GM0001", name="Eendorp"), Gemeente(code="GM0002",
                                                                      name="Tweestad")
        session.add_all([one, two])
        session.flush()
        session.execute(update(Wijk).where(Wijk.code.in_(["WK000101", "WK000102"]))
                        .values(gemeente_id=one.id))
        session.execute(update(Wijk).where(Wijk.code == "WK000201").values(gemeente_id=two.id))

    run_write(engine, gemeenten)
    return {"engine": engine, "ids": ids,
            "noord": make_user(engine, "coord_noord", Role.COORDINATOR, ("WK000101",)),
            "twee": make_user(engine, "coord_twee", Role.COORDINATOR, ("WK000201",)),
            "sf": make_user(engine, "sf_noord", Role.SLEUTELFIGUUR, ("WK000101",))}


def _add(engine, actor, **kw) -> int:
    draft = MomentInput(**{"moment_date": TODAY + timedelta(days=5), "kind": "raadsbesluit",
                           "wijk_code": "WK000101", "theme": "azc_asiel",
                           "place": "Raadzaal", "subject": "Besluit over het azc", **kw})
    return run_write(engine, lambda s: add_moment(s, actor, draft))


def _upcoming(engine, actor):  # type: ignore[no-untyped-def]
    with read_session(engine) as session:
        return upcoming_moments(session, actor)


def test_coordinators_enter_and_see_moments_of_their_wijken_and_gemeente(world) -> None:
    engine, noord, twee = world["engine"], world["noord"], world["twee"]
    _add(engine, noord)
    _add(engine, noord, wijk_code=None, kind="kalendermoment", theme="jaarwisseling",
         subject="Jaarwisseling", moment_date=TODAY + timedelta(days=10))
    with pytest.raises(PermissionDeniedError):
        _add(engine, twee)  # WK000101 is not theirs
    with pytest.raises(PermissionDeniedError):
        _add(engine, twee, wijk_code=None, gemeente_code="GM0001")
    mine = _upcoming(engine, noord)
    assert list(mine["kind_label"]) == ["Raadsbesluit", "Kalendermoment"]
    assert list(mine["wijk_naam"]) == ["Wijk 01", "Hele gemeente"]
    assert mine["theme"].iloc[0] == "Azc en asiel"
    assert _upcoming(engine, twee).empty  # another gemeente's moments stay there


def test_a_verified_call_puts_its_action_date_on_the_calendar(world) -> None:
    engine = world["engine"]
    signal_id = make_signal(engine, world["ids"]["WK000101"], world["sf"], TODAY,
                            category="oproep_mobilisatie")
    run_write(engine, lambda s: s.execute(update(Signal).where(Signal.id == signal_id).values(
        action_date=TODAY + timedelta(days=3), action_place="Stationsplein")))
    assert _upcoming(engine, world["noord"]).empty  # not verified yet
    run_write(engine, lambda s: s.execute(update(Signal).where(Signal.id == signal_id)
                                          .values(status="geverifieerd")))
    row = _upcoming(engine, world["noord"]).iloc[0]
    assert (row["kind"], row["from_signal"], row["place"]) == ("actiedatum_oproep", True,
                                                               "Stationsplein")


def test_a_moment_in_the_coming_14_days_adds_a_reason_line(world) -> None:
    engine, noord = world["engine"], world["noord"]
    _add(engine, noord, moment_date=TODAY + timedelta(days=2))
    monday = monday_of(TODAY)
    with read_session(engine) as session:
        table = phase_table(session, noord, monday - timedelta(weeks=4), monday,
                            ["WK000101"])
    reasons = list(table["reasons"])
    assert "Risicomoment binnen 14 dagen: raadsbesluit op" in reasons[-1]
    assert "(Azc en asiel)" in reasons[-1]
    assert not any("Risicomoment" in r for r in reasons[:-2])  # more than 14 days before
    assert list(table["phase"]) == [0] * 5  # context only: the phase is unchanged


def test_personal_data_and_bad_input_are_refused(world) -> None:
    engine, noord = world["engine"], world["noord"]
    with pytest.raises(PersonalDataError):
        _add(engine, noord, place="Kerkstraat 12, 1234 AB Eendorp")
    with pytest.raises(ValidationError):
        _add(engine, noord, kind="feestje")
    with pytest.raises(ValidationError):
        _add(engine, noord, moment_date=TODAY - timedelta(days=60))
    with read_session(engine) as session:
        assert session.scalar(select(RiskMoment.id)) is None


def test_removal_is_scoped_and_retention_clears_past_moments(world) -> None:
    engine, noord, twee = world["engine"], world["noord"], world["twee"]
    first = _add(engine, noord, moment_date=TODAY - timedelta(days=20))
    second = _add(engine, noord)
    with pytest.raises(PermissionDeniedError):
        run_write(engine, lambda s: remove_moment(s, twee, second))
    run_write(engine, lambda s: remove_moment(s, noord, second))
    later = datetime.combine(TODAY + timedelta(days=40), time(12), tzinfo=UTC)
    result = run_write(engine, lambda s: purge(s, SYSTEM_ACTOR, months=1, now=later))
    assert result.risk_moments == 1
    with read_session(engine) as session:
        moment = session.get(RiskMoment, first)
        assert (moment.place, moment.subject, moment.created_by_id) == (None, None, None)
        assert moment.kind == "raadsbesluit" and session.get(RiskMoment, second) is None
