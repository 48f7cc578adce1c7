"""The demo municipality: deterministic, idempotent, and telling the required stories."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from signals.db.models import Signal, User, Wijk
from signals.db.uow import read_session
from signals.domain import NUL_MELDING, Role
from signals.services.demo import load_demo
from signals.services.demo.scenarios import generate
from tests.conftest import DEMO_SEED, DEMO_TODAY

TODAY = DEMO_TODAY
ANCHOR = date(2026, 11, 16)


def _signals(session, wijk_code: str, since: date, category: str | None = None) -> list[Signal]:
    query = (select(Signal).join(Wijk).where(Wijk.code == wijk_code, Signal.observed_on >= since))
    if category:
        query = query.where(Signal.category == category)
    return list(session.scalars(query))


def test_demo_loads_once_and_is_idempotent(demo_engine) -> None:
    engine = demo_engine  # loaded once, by the session's template
    with read_session(engine) as session:
        loaded = session.scalar(select(func.count()).select_from(Signal))
    again = load_demo(engine, seed=DEMO_SEED, today=DEMO_TODAY)
    assert loaded > 2000 and again.wijken == 12
    assert again.signals_created == 0 and again.users_created == 0
    assert again.signals_existing == loaded
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Signal)) == loaded
        roles = dict(session.execute(select(User.role, func.count()).group_by(User.role)).all())
    assert 38 <= roles[Role.SLEUTELFIGUUR] <= 42
    assert roles[Role.MANAGER] == 1 and roles[Role.BEHEERDER] == 1


def test_generation_is_deterministic_per_seed() -> None:
    a, b, c = (generate(s, ANCHOR, TODAY) for s in (5, 5, 6))
    assert [(x.external_id, x.category, x.observed_on) for x in a] == [
        (x.external_id, x.category, x.observed_on) for x in b]
    assert [x.category for x in a] != [x.category for x in c]


def test_no_signal_lies_in_the_future_and_history_covers_two_years() -> None:
    signals = generate(2026, ANCHOR, TODAY)
    assert max(s.observed_on for s in signals) <= TODAY
    assert min(s.observed_on for s in signals) <= ANCHOR - timedelta(weeks=103)


def test_demo_tells_its_stories(demo_engine) -> None:
    engine = demo_engine
    with read_session(engine) as session:
        riots = _signals(session, "WK990103", ANCHOR - timedelta(weeks=4), "ordeverstoring")
        assert any(s.severity == 5 and s.status == "geverifieerd" for s in riots)
        call = _signals(session, "WK990105", ANCHOR, "oproep_mobilisatie")
        assert len({s.reporter_id for s in call}) >= 2
        assert any(not s.online for s in call) and all(s.action_date for s in call)
        assert all(ANCHOR <= s.action_date <= ANCHOR + timedelta(days=20) for s in call)
        assert not _signals(session, "WK990108", ANCHOR - timedelta(weeks=5))
        busy = _signals(session, "WK990101", ANCHOR - timedelta(weeks=52))
        calm = _signals(session, "WK990110", ANCHOR - timedelta(weeks=52))
        unrest_calm = [s for s in calm if s.category not in (NUL_MELDING, "weerbaarheid",
                                                              "aanleiding")]
        assert len([s for s in busy if s.category != NUL_MELDING]) > 200
        assert unrest_calm == []
        loud = _signals(session, "WK990106", ANCHOR - timedelta(weeks=9), "oproep_mobilisatie")
        assert len(loud) >= 5 and len({s.reporter_id for s in loud}) == 1
        assert all(s.online for s in loud)
