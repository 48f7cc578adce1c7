"""Sessions and short write transactions that retry on transient lock errors."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from signals.db.engine import IMMEDIATE, is_sqlite
from signals.db.write_turns import TurnTimeoutError, write_turn
from signals.errors import DatabaseBusyError

T = TypeVar("T")
MAX_ATTEMPTS = 6
TRANSIENT_SQLSTATES = {"40001", "40P01", "55P03"}  # serialization, deadlock, lock not available
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

    `work` must be safe to re-run: it gets a fresh session on every attempt.
    """
    bind = engine.execution_options(**{IMMEDIATE: True}) if is_sqlite(engine) else engine
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with write_turn(engine), Session(bind, expire_on_commit=False) as session, \
                    session.begin():
                return work(session)
        except TurnTimeoutError as exc:
            raise DatabaseBusyError(BUSY_MESSAGE) from exc
        except DBAPIError as exc:
            if not is_transient(exc) or attempt == MAX_ATTEMPTS:
                if is_transient(exc):
                    raise DatabaseBusyError(BUSY_MESSAGE) from exc
                raise
            time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def is_transient(exc: DBAPIError) -> bool:
    if isinstance(exc, OperationalError):
        text = str(exc.orig).lower()
        if "database is locked" in text or "database is busy" in text:
            return True
    return getattr(exc.orig, "sqlstate", None) in TRANSIENT_SQLSTATES
