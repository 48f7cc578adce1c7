"""Sessions and short write transactions that retry on transient lock errors."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import TypeVar

from sqlalchemy import Engine, Executable
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.sql import compiler

from signals.db.engine import IMMEDIATE, NO_BEGIN, WRITE_TURN, is_sqlite
from signals.db.write_turns import PendingTurn, TurnTimeoutError
from signals.errors import DatabaseBusyError

T = TypeVar("T")
MAX_ATTEMPTS = 6
TRANSIENT_SQLSTATES = {"40001", "40P01", "55P03"}  # serialization, deadlock, lock not available
_TURN = "write_turn"  # key in Session.info: the PendingTurn of run_write's transaction
BUSY_MESSAGE = (
    "De database is tijdelijk bezet. Er is niets verloren gegaan; probeer het over enkele "
    "seconden opnieuw."
)


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


def run_write(engine: Engine, work: Callable[[Session], T]) -> T:
    """Run `work` in one transaction and commit; retry it whole on transient lock errors.

    `work` must be safe to re-run: it gets a fresh session on every attempt. On SQLite the
    write turn (write_turns.py) is taken when the transaction first touches the database and
    held until it ends; reads before that go through ``reads_before_write``.
    """
    sqlite = is_sqlite(engine)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        turn = PendingTurn(engine)
        bind = engine.execution_options(**{IMMEDIATE: True, WRITE_TURN: turn}) if sqlite \
            else engine
        try:
            try:
                with Session(bind, expire_on_commit=False) as session:
                    session.info[_TURN] = turn
                    with session.begin():
                        return work(session)
            finally:
                turn.release()  # after the commit or rollback, before any back-off
        except TurnTimeoutError as exc:
            raise DatabaseBusyError(BUSY_MESSAGE) from exc
        except DBAPIError as exc:
            if not is_transient(exc) or attempt == MAX_ATTEMPTS:
                if is_transient(exc):
                    raise DatabaseBusyError(BUSY_MESSAGE) from exc
                raise
            time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")


@contextmanager
def reads_before_write(session: Session) -> Iterator[Session]:
    """A session for a use case's reads and checks that come before its writes.

    In ``run_write`` on SQLite, before the transaction has touched the database, this is a
    separate short read session, so other writers are not kept waiting while this one reads
    and checks; otherwise (PostgreSQL, or the transaction has begun) it is ``session``
    itself. What is read there may have changed when the writes run: the writes must verify
    it in the transaction (a conditional INSERT, say) and decide again if it did.
    """
    turn = session.info.get(_TURN)
    if turn is None or not turn.pending:
        yield session
        return
    with Session(_reads(turn.engine), expire_on_commit=False) as reader:
        yield reader


@lru_cache(maxsize=16)
def _reads(engine: Engine) -> Engine:
    """The engine for reads_before_write: no BEGIN and no ROLLBACK around a few SELECTs."""
    return engine.execution_options(**{NO_BEGIN: True})


def is_transient(exc: DBAPIError) -> bool:
    if isinstance(exc, OperationalError):
        text = str(exc.orig).lower()
        if "database is locked" in text or "database is busy" in text:
            return True
    return getattr(exc.orig, "sqlstate", None) in TRANSIENT_SQLSTATES


def precompile(engine: Engine, statement: Executable,
               parameters: Mapping[str, object] | Sequence[Mapping[str, object]]) -> None:
    """Put ``statement`` into the engine's statement cache as executing it with parameters
    of these names would, without running it.

    Compiling a statement costs milliseconds the first time in a process; a use case calls
    this in its reads before the writes, so the first save does not compile inside SQLite's
    write turn while other writers wait. Best effort: it uses an SQLAlchemy internal, and
    when that changes it does nothing (the statement then compiles when it runs).
    """
    many = not isinstance(parameters, Mapping)
    first = parameters[0] if many else parameters
    try:
        statement._compile_w_cache(  # type: ignore[attr-defined]
            dialect=engine.dialect, compiled_cache=engine._compiled_cache,
            column_keys=sorted(first), for_executemany=many and len(parameters) > 1,
            schema_translate_map=None,
            linting=engine.dialect.compiler_linting | compiler.WARN_LINTING)
    except (AttributeError, TypeError):  # pragma: no cover - another SQLAlchemy version
        return
