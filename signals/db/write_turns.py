"""Fair turns for SQLite writers across processes and threads.

SQLite lets one transaction write at a time; the others poll with sleeps of up to 100 ms
(busy_timeout). A writer that commits and starts its next transaction at once wins almost
every time against the sleeping pollers, so under sustained load some writers starve: with
20 processes saving back to back, six saves waited more than 30 s and failed with "database
is locked" (benchmarks/concurrent_writers.py). Taking a turn first on an OS file lock
(flock) next to the database fixes that: the kernel wakes a waiting writer as soon as the
lock is free, so all writers get turns (p99 1.7 s, none failed). PostgreSQL, in-memory
databases and systems without fcntl need no turns.

A freed flock wakes every waiter and the first to run wins, so a writer could still lose
many hand-overs in a row (waits of 2-10 s with 20 writers on 2 cores). Writers therefore
queue first, first come first served: each draws a ticket and waits only for the writer
with the ticket before it (a lock file per ticket in ``<database>-write-turn.queue/``), then
takes the turn itself. The turn's flock remains what excludes writers from one another; the
queue only decides the order, so a writer that dies in the queue costs order, never safety.

``run_write`` takes its turn lazily (``PendingTurn``): when its transaction first touches the
database, so a use case can read and check before it queues (``uow.reads_before_write``),
and the turn is held only for the writing part.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
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
    path = turn_file(engine)
    if path is None or getattr(_local, "held", False):
        yield
        return
    fd = _acquire(path, timeout)
    _local.held = True
    try:
        yield
    finally:
        _local.held = False
        _release(fd)


class PendingTurn:
    """This database's write turn, taken when a write transaction begins (engine.py asks,
    just before BEGIN IMMEDIATE) and released by ``run_write`` after the commit or rollback.

    Re-entrant per thread like ``write_turn``: inside a held turn it takes nothing.
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
            _release(self._fd)
            self._fd = None


def _acquire(path: str, timeout: float) -> int:
    """An open descriptor of `path` holding an exclusive flock, or TurnTimeoutError.

    The writer first waits in the queue for the writer before it; its own place in the
    queue is given up together with the turn (``_release``)."""
    deadline = time.monotonic() + timeout
    place, previous = _take_ticket(path)
    try:
        if previous is not None:
            _wait_for(previous, place, deadline, path)
    except TurnTimeoutError:
        raise  # the place is passed on in order later, by the helper thread still waiting
    except BaseException:
        os.close(place)
        raise
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        _lock(fd, deadline, path, on_late=lambda: os.close(fd))
    except BaseException:
        os.close(place)
        raise
    _places[fd] = place
    return fd


def _release(fd: int) -> None:
    """Give up the turn, then the place in the queue (the next writer goes)."""
    place = _places.pop(fd, None)  # before the close: another thread may reuse the number
    os.close(fd)
    if place is not None:
        os.close(place)


_places: dict[int, int] = {}  # turn descriptor -> its queue place, while the turn is held


def _take_ticket(path: str) -> tuple[int, str | None]:
    """The next ticket: a held lock on its own queue file, and the previous ticket's file."""
    folder = f"{path}.queue"
    os.makedirs(folder, mode=0o700, exist_ok=True)
    counter = os.open(os.path.join(folder, "next"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(counter, fcntl.LOCK_EX)  # held for a few system calls only
        ticket = int(os.pread(counter, 32, 0).strip() or b"0")
        os.pwrite(counter, str(ticket + 1).encode().ljust(32), 0)
        place = os.open(os.path.join(folder, str(ticket)), os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(place, fcntl.LOCK_EX)  # a new file, so free; the next writer waits on it
    finally:
        os.close(counter)  # also releases the counter's lock
    previous = os.path.join(folder, str(ticket - 1))
    return place, previous if ticket > 0 else None


def _wait_for(previous: str, place: int, deadline: float, path: str) -> None:
    """Block until the writer before us has left the queue, then tidy its file.

    If we give up first, our place is still passed on in order: once the writer before us
    has left, the helper thread tidies its file and gives up our place.
    """
    try:
        fd = os.open(previous, os.O_RDWR)
    except FileNotFoundError:  # the queue was cleared meanwhile: nobody to wait for
        return

    def pass_on() -> None:
        _tidy(previous, fd)
        os.close(place)

    _lock(fd, deadline, path, on_late=pass_on)
    _tidy(previous, fd)


def _tidy(previous: str, fd: int) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(previous)
    os.close(fd)


def _lock(fd: int, deadline: float, path: str, on_late: Callable[[], None]) -> None:
    """An exclusive flock on ``fd`` before the deadline, or TurnTimeoutError.

    A blocking flock cannot time out, so a helper thread waits for it; if we give up first,
    the helper runs ``on_late`` as soon as it gets the lock (which passes it on).
    """
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    granted, mutex, abandoned = threading.Event(), threading.Lock(), [False]

    def wait() -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with mutex:
            if abandoned[0]:
                on_late()
            else:
                granted.set()

    threading.Thread(target=wait, daemon=True, name="sqlite-write-turn").start()
    if granted.wait(max(0.0, deadline - time.monotonic())):
        return
    with mutex:
        if granted.is_set():
            return
        abandoned[0] = True
    raise TurnTimeoutError(path)
