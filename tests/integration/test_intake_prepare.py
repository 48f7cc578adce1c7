"""A new signal is checked before its writes, outside SQLite's write turn, and the writes
verify in their own transaction what the checks relied on (uow.reads_before_write).

Each test changes the database between the checks and the INSERT, from another connection,
as a concurrent administrator would, and expects the save to decide on the current state.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, delete, select, update

from signals.db import write_turns
from signals.db.models import CategoryRow, Signal, SignalHistory, Theme, User, Wijk, user_wijk
from signals.db.uow import read_session, run_write
from signals.db.write_turns import turn_file
from signals.errors import DatabaseBusyError, PermissionDeniedError, ValidationError
from signals.services import intake
from signals.services.intake import create_signal
from tests.integration.signal_world import TODAY, counts, draft, make_world

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no write turns
    fcntl = None  # type: ignore[assignment]


def _create(engine: Engine, actor, d):  # type: ignore[no-untyped-def]
    return run_write(engine, lambda s: create_signal(s, actor, d, today=TODAY))


def _between_checks_and_insert(monkeypatch: pytest.MonkeyPatch,
                               change: Callable[[], None]) -> None:
    """Run ``change`` once, right after the first checks of the next save."""
    original, done = intake._plan_new, []

    def plan_then_change(*args, **kwargs):  # type: ignore[no-untyped-def]
        plan = original(*args, **kwargs)
        if not done:
            done.append(True)
            change()
        return plan

    monkeypatch.setattr(intake, "_plan_new", plan_then_change)


def _execute(engine: Engine, statement) -> None:  # type: ignore[no-untyped-def]
    """A concurrent administrator's committed change, on a connection of its own."""
    with engine.begin() as connection:
        connection.execute(statement)


def _turn_is_free(engine: Engine) -> bool:
    fd = os.open(turn_file(engine), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


@pytest.mark.skipif(fcntl is None, reason="no write turns without fcntl")
def test_the_checks_run_outside_the_write_turn_and_the_writes_inside(
        sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    world = make_world(sqlite_engine)
    free: dict[str, tuple[bool, bool]] = {}  # the turn's state before and after each step

    def spy(name: str, function):  # type: ignore[no-untyped-def]
        def call(*args, **kwargs):  # type: ignore[no-untyped-def]
            before = _turn_is_free(sqlite_engine)
            result = function(*args, **kwargs)
            free[name] = (before, _turn_is_free(sqlite_engine))
            return result
        monkeypatch.setattr(intake, name, call)

    spy("_plan_new", intake._plan_new)
    spy("_insert_new", intake._insert_new)
    saved = _create(sqlite_engine, world.kf_a, draft(world.wijk_a))
    # The checks neither wait for nor hold the turn; the INSERT takes it.
    assert free == {"_plan_new": (True, True), "_insert_new": (True, False)}
    assert _turn_is_free(sqlite_engine)  # released after the commit
    with read_session(sqlite_engine) as session:
        assert session.get(Signal, saved.id) is not None


def test_an_account_disabled_after_the_checks_stores_nothing(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    world = make_world(engine)
    before = counts(engine)
    _between_checks_and_insert(monkeypatch, lambda: _execute(
        engine, update(User).where(User.id == world.kf_a.user_id).values(active=False)))
    with pytest.raises(PermissionDeniedError):
        _create(engine, world.kf_a, draft(world.wijk_a))
    assert counts(engine) == before


def test_a_key_figure_taken_off_the_wijk_after_the_checks_stores_nothing(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    world = make_world(engine)
    before = counts(engine)
    _between_checks_and_insert(monkeypatch, lambda: _execute(engine, delete(user_wijk).where(
        user_wijk.c.user_id == world.kf_a.user_id, user_wijk.c.wijk_id == world.wijk_a)))
    with pytest.raises(PermissionDeniedError):
        _create(engine, world.kf_a, draft(world.wijk_a))
    assert counts(engine) == before


def test_a_role_changed_after_the_checks_stores_nothing(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    world = make_world(engine)
    before = counts(engine)
    _between_checks_and_insert(monkeypatch, lambda: _execute(
        engine, update(User).where(User.id == world.coord_a.user_id).values(role="manager")))
    with pytest.raises(PermissionDeniedError):
        _create(engine, world.coord_a, draft(world.wijk_a))
    assert counts(engine) == before


@pytest.mark.parametrize(("change", "words"), [
    (lambda w: update(Wijk).where(Wijk.id == w.wijk_a).values(
        retired_at=datetime(2026, 3, 1, tzinfo=UTC)), "ingetrokken"),
    (lambda w: update(CategoryRow).where(CategoryRow.code == "onvrede").values(active=False),
     "onbekende categorie"),
    (lambda w: update(Theme).where(Theme.code == "wonen").values(active=False),
     "onbekend thema"),
], ids=["wijk retired", "category deactivated", "theme deactivated"])
def test_reference_data_changed_after_the_checks_is_refused_with_the_current_reason(
        engine: Engine, monkeypatch: pytest.MonkeyPatch, change, words) -> None:  # type: ignore[no-untyped-def]
    world = make_world(engine)
    _create(engine, world.kf_a, draft(world.wijk_a, themes=("wonen",)))  # remembered: open
    before = counts(engine)
    _between_checks_and_insert(monkeypatch, lambda: _execute(engine, change(world)))
    try:
        with pytest.raises(ValidationError) as refused:
            _create(engine, world.kf_a, draft(world.wijk_a, themes=("wonen",)))
        assert words in str(refused.value.errors)
        assert counts(engine) == before
    finally:  # categories and themes are shared reference data on PostgreSQL
        _execute(engine, update(CategoryRow).where(CategoryRow.code == "onvrede")
                 .values(active=True))
        _execute(engine, update(Theme).where(Theme.code == "wonen").values(active=True))


def test_a_default_severity_changed_after_the_checks_is_the_one_stored(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    world = make_world(engine)
    with read_session(engine) as session:
        default = session.scalar(select(CategoryRow.default_severity)
                                 .where(CategoryRow.code == "onvrede"))
    _between_checks_and_insert(monkeypatch, lambda: _execute(
        engine, update(CategoryRow).where(CategoryRow.code == "onvrede")
        .values(default_severity=default + 1)))
    try:
        saved = _create(engine, world.kf_a, draft(world.wijk_a))
        with read_session(engine) as session:
            assert session.get(Signal, saved.id).severity == default + 1
            assert session.scalars(select(SignalHistory.action).where(
                SignalHistory.signal_id == saved.id)).all() == ["aangemaakt"]
    finally:
        _execute(engine, update(CategoryRow).where(CategoryRow.code == "onvrede")
                 .values(default_severity=default))


def test_a_theme_activated_after_it_was_remembered_as_inactive_is_accepted(
        engine: Engine) -> None:
    world = make_world(engine)
    _execute(engine, update(Theme).where(Theme.code == "wonen").values(active=False))
    try:
        with pytest.raises(ValidationError):  # now remembered as inactive
            _create(engine, world.kf_a, draft(world.wijk_a, themes=("wonen",)))
        _execute(engine, update(Theme).where(Theme.code == "wonen").values(active=True))
        saved = _create(engine, world.kf_a, draft(world.wijk_a, themes=("wonen",)))
        with read_session(engine) as session:
            assert [t.code for t in session.get(Signal, saved.id).themes] == ["wonen"]
    finally:
        _execute(engine, update(Theme).where(Theme.code == "wonen").values(active=True))


def test_a_save_in_a_transaction_that_already_wrote_checks_inside_it(engine: Engine) -> None:
    """After a write (here: a wijk), the checks use the transaction itself and see it."""
    world = make_world(engine)

    def wijk_then_signal(session):  # type: ignore[no-untyped-def]
        wijk = Wijk(code="WK099009", name="Nieuwbouw")
        session.add(wijk)
        session.flush()
        return create_signal(session, world.beheerder, draft(wijk.id), today=TODAY)

    saved = run_write(engine, wijk_then_signal)
    with read_session(engine) as session:
        assert session.get(Signal, saved.id).observed_on == date(2026, 3, 12)


@pytest.mark.skipif(fcntl is None, reason="no write turns without fcntl")
def test_a_save_that_gets_no_turn_in_time_is_refused_as_busy_and_nothing_is_held(
        sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lazily taken turn times out like the eager one did: DatabaseBusyError."""
    world = make_world(sqlite_engine)
    before = counts(sqlite_engine)
    monkeypatch.setattr(write_turns, "TURN_TIMEOUT_SECONDS", 0.3)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with write_turns.write_turn(sqlite_engine):
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(5)
    try:
        with pytest.raises(DatabaseBusyError):
            _create(sqlite_engine, world.kf_a, draft(world.wijk_a))
    finally:
        release.set()
        holder.join(10)
    assert counts(sqlite_engine) == before
    saved = _create(sqlite_engine, world.kf_a, draft(world.wijk_a))  # the turn is free again
    assert saved.id and _turn_is_free(sqlite_engine)
