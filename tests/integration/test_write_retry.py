"""Short write transactions survive a busy SQLite database instead of failing the user."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from signals.db.models import Setting
from signals.db.uow import is_transient, run_write


def test_writer_waits_for_a_concurrent_write_lock_and_commits(sqlite_engine) -> None:
    holder_ready = threading.Event()

    def hold_lock() -> None:
        # Another process-like writer: a raw connection holding the write lock for a while.
        conn = sqlite3.connect(sqlite_engine.url.database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO settings (key, value, updated_at) "
                     "VALUES ('holder', '1', '2026-01-01 00:00:00')")
        holder_ready.set()
        time.sleep(0.8)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold_lock)
    thread.start()
    assert holder_ready.wait(timeout=10)
    run_write(sqlite_engine, lambda s: s.add(Setting(key="writer", value=2)))
    thread.join(timeout=10)
    with sqlite_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Setting.__table__)).scalar() == 2


def test_retries_the_whole_unit_of_work_on_locked_errors(sqlite_engine) -> None:
    attempts = []

    def flaky(session) -> str:  # type: ignore[no-untyped-def]
        attempts.append(1)
        session.add(Setting(key=f"k{len(attempts)}", value=len(attempts)))
        if len(attempts) < 3:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        return "ok"

    assert run_write(sqlite_engine, flaky) == "ok"
    assert len(attempts) == 3
    with sqlite_engine.connect() as conn:  # the failed attempts were rolled back
        keys = conn.execute(select(Setting.__table__.c.key)).scalars().all()
    assert keys == ["k3"]


def test_non_transient_errors_are_not_retried(sqlite_engine) -> None:
    attempts = []

    def broken(session) -> None:  # type: ignore[no-untyped-def]
        attempts.append(1)
        raise OperationalError("SELECT", {}, Exception("no such table: nope"))

    with pytest.raises(OperationalError):
        run_write(sqlite_engine, broken)
    assert len(attempts) == 1
    assert not is_transient(OperationalError("x", {}, Exception("no such table")))
