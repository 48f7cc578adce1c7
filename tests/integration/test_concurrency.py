"""Separate processes writing at once, on a real SQLite file (WAL) and on PostgreSQL.

A smaller run of benchmarks/concurrent_writers.py: 8 key-figure processes x 16 signals in
four shared wijken, then 6 coordinator processes changing the status of one signal with the
version they read, and 6 coordinator processes deciding on one wijk-week at once. Nothing
may be lost or duplicated, no lock error may reach a caller, every status change that was
not refused must be in the append-only history, and only one simultaneous decision counts.
SQLite writers take fair turns (signals/db/write_turns.py) with a timeout.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from benchmarks.concurrent_writers import (
    check_updates,
    check_writes,
    decider,
    prepare,
    run_processes,
    seed_signal,
    stored_decisions,
    updater,
    writer,
)
from signals.db.write_turns import TurnTimeoutError, write_turn

pytestmark = pytest.mark.slow  # each test starts several Python processes

WRITERS, SIGNALS = 8, 16
UPDATERS, ROUNDS = 6, 4


@pytest.fixture
def url(db_url: str) -> str:
    prepare(db_url, WRITERS)
    return db_url


def test_every_signal_is_stored_exactly_once(url: str) -> None:
    results = run_processes(writer, lambda i: (url, i, SIGNALS), WRITERS)
    errors = sum((r.errors for r in results.values()), Counter())
    assert not errors, [s for r in results.values() for s in r.samples][:3]
    assert sum(len(r.latencies) for r in results.values()) == WRITERS * SIGNALS
    check = check_writes(url, WRITERS, SIGNALS)
    assert check["stored"] == check["creation_history_rows"] == WRITERS * SIGNALS
    assert (check["duplicates"], check["missing"], check["unexpected"]) == (0, 0, 0)
    assert check["indicators_equal"]  # no lost update of the weekly aggregates


def test_simultaneous_status_changes_lose_nothing(url: str) -> None:
    signal_id = seed_signal(url)
    results = run_processes(updater, lambda i: (url, i, signal_id, ROUNDS), UPDATERS)
    errors = sum((r.errors for r in results.values()), Counter())
    successes = sum(len(r.latencies) for r in results.values())
    assert set(errors) <= {"ConflictError"}, [s for r in results.values() for s in r.samples]
    assert successes >= 1 and successes + errors["ConflictError"] == UPDATERS * ROUNDS
    check = check_updates(url, signal_id, successes)
    assert check["version_ok"] and check["history_ok"]  # version = 1 + saved changes
    assert check["chain_unbroken"] and check["final_status_matches"]


def test_simultaneous_phase_decisions_never_replace_each_other(url: str) -> None:
    results = run_processes(decider, lambda i: (url, i, "WK950101"), UPDATERS)
    errors = sum((r.errors for r in results.values()), Counter())
    assert sum(len(r.latencies) for r in results.values()) == 1
    assert errors == {"ConflictError": UPDATERS - 1}
    assert stored_decisions(url, "WK950101") == 1


def test_a_writer_waits_its_turn_and_gives_up_after_the_timeout(sqlite_engine) -> None:
    """SQLite writers take turns on a file lock; nobody waits longer than the timeout."""
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with write_turn(sqlite_engine):
            holding.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(5)
    started = time.monotonic()
    with pytest.raises(TurnTimeoutError), write_turn(sqlite_engine, timeout=0.3):
        pass
    assert 0.3 <= time.monotonic() - started < 2
    release.set()
    holder.join(5)
    with write_turn(sqlite_engine, timeout=2):  # the abandoned wait let go of the lock
        pass
