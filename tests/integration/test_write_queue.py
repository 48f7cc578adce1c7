"""SQLite writers get the write turn first come, first served (signals/db/write_turns.py).

A freed file lock wakes every waiter and the first to run wins, so without the queue a
writer can lose many hand-overs in a row. These tests hold the turn, let writers line up
one after the other, and check the order in which they get it.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from signals.db.write_turns import TurnTimeoutError, fcntl, turn_file, write_turn

pytestmark = pytest.mark.skipif(fcntl is None, reason="no write turns without fcntl")


def _tickets_drawn(engine: Engine) -> int:
    path = Path(f"{turn_file(engine)}.queue/next")
    if not path.exists():
        return 0
    return int(path.read_bytes().strip() or b"0")


def _hold(engine: Engine) -> tuple[threading.Thread, threading.Event]:
    """A thread that holds the turn until the returned event is set."""
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with write_turn(engine):
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(5)
    return thread, release


def _line_up(engine: Engine, count: int, order: list[int],
             timeout: float = 10) -> list[threading.Thread]:
    """Start `count` writers one after the other, each after the previous one has queued."""
    threads = []
    for number in range(count):
        drawn = _tickets_drawn(engine)

        def take(number: int = number) -> None:
            with write_turn(engine, timeout=timeout):
                order.append(number)
                time.sleep(0.01)

        thread = threading.Thread(target=take)
        thread.start()
        deadline = time.monotonic() + 5
        while _tickets_drawn(engine) == drawn and time.monotonic() < deadline:
            time.sleep(0.005)
        threads.append(thread)
    return threads


def test_writers_get_the_turn_in_the_order_they_asked_for_it(sqlite_engine: Engine) -> None:
    holder, release = _hold(sqlite_engine)
    order: list[int] = []
    writers = _line_up(sqlite_engine, 6, order)
    time.sleep(0.1)
    assert order == []  # nobody passes the holder
    release.set()
    for thread in [holder, *writers]:
        thread.join(10)
    assert order == list(range(6))


def test_a_writer_that_gave_up_waiting_does_not_let_the_next_one_jump_the_turn(
        sqlite_engine: Engine) -> None:
    holder, release = _hold(sqlite_engine)
    with pytest.raises(TurnTimeoutError), write_turn(sqlite_engine, timeout=0.2):
        pass
    order: list[int] = []
    (after,) = _line_up(sqlite_engine, 1, order)
    time.sleep(0.2)
    assert order == []  # the holder still has the turn: the one who gave up passed nothing on
    release.set()
    holder.join(10)
    after.join(10)
    assert order == [0]
    with write_turn(sqlite_engine, timeout=2):  # and the queue is free again
        pass


def test_the_queue_leaves_no_files_behind(sqlite_engine: Engine) -> None:
    for _ in range(5):
        with write_turn(sqlite_engine):
            pass
    folder = f"{turn_file(sqlite_engine)}.queue"
    # The counter, and the last writer's place (tidied by the writer after it).
    assert sorted(os.listdir(folder)) == ["4", "next"]
