"""An import and a coordinator writing the same signal at once, on SQLite and PostgreSQL.

The coordinator's assessment is flushed and held open; the import then compares the file
with the stored row and writes. On PostgreSQL the import's versioned UPDATE waits for the
row lock and then matches no row: it must raise the Dutch conflict error and store nothing,
never report "1 bijgewerkt" with the row unchanged. On SQLite writers take turns, so the
import runs after the assessment and really updates the row. Either way nothing is lost.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Engine, select, text

from signals.db.models import Signal, SignalHistory
from signals.db.uow import read_session, run_write
from signals.errors import ConflictError
from signals.services.review import Assessment, assess
from tests.integration.signal_world import TODAY, make_world
from tests.integration.test_signal_import import csv_bytes, do_import, row

WAIT_SECONDS = 15


def _lock_waiters(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'")) or 0


def _wait_until_the_second_writer_blocks(engine: Engine) -> None:
    """PostgreSQL: the second writer must wait on the row lock before the first commits."""
    if engine.dialect.name != "postgresql":
        time.sleep(0.5)  # SQLite: the second writer waits for its write turn
        return
    deadline = time.monotonic() + WAIT_SECONDS
    while _lock_waiters(engine) == 0:
        assert time.monotonic() < deadline, "the second writer never reached its UPDATE"
        time.sleep(0.02)


def test_an_import_racing_an_assessment_never_reports_a_lost_update(engine) -> None:
    world = make_world(engine)
    do_import(engine, world.coord_a, csv_bytes([row(severity="2")]))
    with read_session(engine) as session:
        signal_id, version = session.execute(select(Signal.id, Signal.version)).one()

    assessed, release = threading.Event(), threading.Event()

    def assess_and_hold(session) -> int:  # type: ignore[no-untyped-def]
        new_version = assess(session, world.coord_a, signal_id, version,
                             Assessment(status="in_duiding"))
        assessed.set()
        assert release.wait(WAIT_SECONDS)
        return new_version

    outcome: dict[str, object] = {}

    def coordinator() -> None:
        outcome["coordinator"] = run_write(engine, assess_and_hold)

    def importer() -> None:
        try:
            outcome["import"] = do_import(engine, world.coord_a,
                                          csv_bytes([row(severity="4")]), name="tweede.csv")
        except ConflictError as exc:
            outcome["import"] = exc

    first = threading.Thread(target=coordinator)
    first.start()
    assert assessed.wait(WAIT_SECONDS)
    second = threading.Thread(target=importer)
    second.start()
    try:
        _wait_until_the_second_writer_blocks(engine)
    finally:
        release.set()
        first.join(WAIT_SECONDS)
        second.join(WAIT_SECONDS)
    assert outcome["coordinator"] == version + 1

    with read_session(engine) as session:
        signal = session.get(Signal, signal_id)
        import_history = session.scalars(select(SignalHistory).where(
            SignalHistory.signal_id == signal_id, SignalHistory.action == "import")).all()
    assert signal.status == "in_duiding"  # the assessment is never overwritten
    result = outcome["import"]
    if isinstance(result, ConflictError):
        assert "niets opgeslagen" in str(result) and "rij 2" in str(result)
        assert (signal.severity, signal.version) == (2, version + 1)
        assert import_history == []
    else:
        assert engine.dialect.name == "sqlite", "PostgreSQL must report the conflict"
        assert result.updated == 1  # type: ignore[attr-defined]
        assert (signal.severity, signal.version) == (4, version + 2)
        assert [h.field for h in import_history] == ["severity"]


@pytest.mark.parametrize("stale_by", [1, 3])
def test_a_bulk_update_that_matches_fewer_rows_raises_the_conflict(engine, stale_by,
                                                                   monkeypatch) -> None:
    """The row count check itself, deterministic: the version moved between plan and write."""
    from signals.services import signal_import

    world = make_world(engine)
    do_import(engine, world.coord_a, csv_bytes([row(), row(external_id="x-2")]))
    original = signal_import._existing

    def stale_existing(session, external_ids):  # type: ignore[no-untyped-def]
        found = original(session, external_ids)
        found["x-2"]["version"] -= stale_by  # as if read before someone else's save
        return found

    monkeypatch.setattr(signal_import, "_existing", stale_existing)
    with pytest.raises(ConflictError) as caught:
        do_import(engine, world.coord_a, csv_bytes([row(severity="3"),
                                                    row(external_id="x-2", severity="3")]))
    assert "rij 3" in str(caught.value) and "rij 2" not in str(caught.value)
    with read_session(engine) as session:
        assert set(session.scalars(select(Signal.severity))) == {1}


def test_an_assessment_racing_an_import_gets_the_conflict(engine) -> None:
    """The other order: the import has written and holds its transaction open; the
    coordinator saves with the version seen before. The assessment must not win silently."""
    from signals.services.signal_import import import_signals

    world = make_world(engine)
    do_import(engine, world.coord_a, csv_bytes([row(severity="2")]))
    with read_session(engine) as session:
        signal_id, version = session.execute(select(Signal.id, Signal.version)).one()
    written, release = threading.Event(), threading.Event()

    def hold_after_writing(fraction: float, _text: str) -> None:
        if fraction >= 0.9 and not written.is_set():  # the UPDATE is done, not committed
            written.set()
            assert release.wait(WAIT_SECONDS)

    data = csv_bytes([row(severity="4")])
    importer = threading.Thread(target=lambda: run_write(engine, lambda s: import_signals(
        s, world.coord_a, "tweede.csv", data, progress=hold_after_writing, today=TODAY)))
    importer.start()
    assert written.wait(WAIT_SECONDS)
    outcome: dict[str, object] = {}

    def coordinator() -> None:
        try:
            outcome["assess"] = run_write(engine, lambda s: assess(
                s, world.coord_a, signal_id, version, Assessment(status="in_duiding")))
        except ConflictError as exc:
            outcome["assess"] = exc

    second = threading.Thread(target=coordinator)
    second.start()
    try:
        _wait_until_the_second_writer_blocks(engine)
    finally:
        release.set()
        importer.join(WAIT_SECONDS)
        second.join(WAIT_SECONDS)
    assert isinstance(outcome["assess"], ConflictError)
    with read_session(engine) as session:
        signal = session.get(Signal, signal_id)
    assert (signal.severity, signal.status, signal.version) == (4, "nieuw", version + 1)
