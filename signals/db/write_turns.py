"""Fair turns for SQLite writers across processes and threads.

SQLite lets one transaction write at a time; the others poll with sleeps of up to 100 ms
(busy_timeout). A writer that commits and starts its next transaction at once wins almost
every time against the sleeping pollers, so under sustained load some writers starve: with
20 processes saving back to back, six saves waited more than 30 s and failed with "database
is locked" (benchmarks/concurrent_writers.py). Taking a turn first on an OS file lock
(flock) next to the database fixes that: the kernel wakes a waiting writer as soon as the
lock is free, so all writers get turns (p99 1.7 s, none failed). PostgreSQL, in-memory
databases and systems without fcntl need no turns.

``run_write`` takes its turn lazily (``PendingTurn``): when its transaction first touches the
database, so a use case can read and check before it queues (``uow.reads_before_write``),
and the turn is held only for the writing part.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from signals.db.engine import is_sqlite

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: SQLite's own busy handling only
    fcntl = None  # type: ignore[assignment]

TURN_TIMEOUT_SECONDS = 60.0
_local = threading.local()


class TurnTimeoutError(Exception):
    """No turn within the timeout; run_write reports it as DatabaseBusyError."""


def turn_file(engine: Engine) -> str | None:
    database = engine.url.database
    if fcntl is None or not is_sqlite(engine) or not database or database == ":memory:" \
            or database.startswith("file:"):
        return None
    return f"{database}-write-turn"  # beside the -wal and -shm files


@contextmanager
def write_turn(engine: Engine, timeout: float = TURN_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold this database's write turn for the duration of the block (re-entrant per thread)."""
    turn = PendingTurn(engine, timeout)
    turn.acquire()
    try:
        yield
    finally:
        turn.release()


class PendingTurn:
    """This database's write turn, taken when a write transaction begins (engine.py asks,
    just before BEGIN IMMEDIATE) and released by ``run_write`` after the commit or rollback.

    Re-entrant per thread: inside a held turn it takes nothing (``write_turn`` is built on it).
    """

    def __init__(self, engine: Engine, timeout: float | None = None) -> None:
        self.engine = engine
        self._path = turn_file(engine)
        self._timeout = TURN_TIMEOUT_SECONDS if timeout is None else timeout
        self._fd: int | None = None
        self._begun = False

    @property
    def pending(self) -> bool:
        """True while the transaction has not begun and will take a turn when it does."""
        return not self._begun and self._path is not None and not getattr(_local, "held", False)

    def acquire(self) -> None:
        if self._begun:
            return
        self._begun = True
        if self._path is None or getattr(_local, "held", False):
            return
        self._fd = _acquire(self._path, self._timeout)
        _local.held = True

    def release(self) -> None:
        if self._fd is not None:
            _local.held = False
            os.close(self._fd)  # closing the file releases the lock
            self._fd = None


def _acquire(path: str, timeout: float) -> int:
    """An open descriptor of `path` holding an exclusive flock, or TurnTimeoutError."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except BlockingIOError:
        pass
    # A blocking flock cannot time out, so a helper thread waits for it; if we give up
    # first, the helper releases the lock as soon as it gets it.
    granted, mutex, abandoned = threading.Event(), threading.Lock(), [False]

    def wait() -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with mutex:
            if abandoned[0]:
                os.close(fd)
            else:
                granted.set()

    threading.Thread(target=wait, daemon=True, name="sqlite-write-turn").start()
    if granted.wait(timeout):
        return fd
    with mutex:
        if granted.is_set():
            return fd
        abandoned[0] = True
    raise TurnTimeoutError(path)
