"""Terugblik on the demo: decisions against proposals, lead time before escalation, load."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from signals.db.models import User
from signals.db.uow import read_session, run_write
from signals.errors import PermissionDeniedError
from signals.services.auth import actor_from_user
from signals.services.phases import record_decision
from signals.services.rules_config import load_rules
from signals.services.terugblik import terugblik, what_if
from tests.conftest import DEMO_TODAY

TODAY = DEMO_TODAY


@pytest.fixture
def demo(demo_engine):
    return demo_engine


def _actor(engine, username: str):
    with read_session(engine) as session:
        return actor_from_user(session.scalar(select(User).where(User.username == username)))


def _run(engine, username: str, **kw):
    with read_session(engine) as session:
        return terugblik(session, _actor(engine, username), today=TODAY, **kw)


def test_lead_time_before_the_escalation(demo) -> None:
    result = _run(demo, "beheerder")
    assert result.n_wijken == 12
    molen = result.lead_times.set_index("wijk_code").loc["WK990103"]
    assert molen["week"] == "2026-W43"
    assert molen["weken_vooraf"] >= 2  # phase 2 was proposed at least two weeks before
    assert result.per_year_phase2 >= result.per_year_phase3 > 0


def test_overrides_up_and_down_are_counted(demo) -> None:
    before = _run(demo, "beheerder")
    coordinator = _actor(demo, "coordinator")
    rows = before.per_wijk.set_index("wijk_code")
    assert rows.loc["WK990101", "besluiten"] == 0
    run_write(demo, lambda s: record_decision(s, coordinator, "WK990101", date(2026, 11, 9), 2,
                                              "Beeld: signalen uit de buurt; besluit fase 2.",
                                              today=TODAY))
    after = _run(demo, "beheerder")
    assert after.decisions == before.decisions + 1
    assert after.overrides_up == before.overrides_up + 1
    assert after.per_wijk.set_index("wijk_code").loc["WK990101", "hoger"] == 1
    assert after.agreement is not None and after.agreement < 1


def test_a_coordinator_sees_only_their_wijken(demo) -> None:
    everything = _run(demo, "beheerder")
    south = _run(demo, "coordinator_zuid")
    assert south.n_wijken == 4 < everything.n_wijken
    assert "WK990103" not in set(south.lead_times["wijk_code"])
    assert len(south.per_wijk) == 4


def test_managers_and_key_figures_may_not(demo) -> None:
    with pytest.raises(PermissionDeniedError):
        _run(demo, "manager")


def test_what_if_compares_the_rules_in_force_with_a_proposal(demo) -> None:
    with read_session(demo) as session:
        rules = load_rules(session)
        stricter = rules.__class__(**{**rules.__dict__, "phase2_min_excess": 1000.0})
        current, proposed = what_if(session, _actor(demo, "beheerder"), stricter, today=TODAY)
    assert proposed.per_year_phase2 < current.per_year_phase2
    assert proposed.per_year_phase3 == current.per_year_phase3
