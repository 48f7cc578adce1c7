"""Engine creation: SQLite pragmas and write-transaction handling, PostgreSQL via psycopg 3."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from signals.config import database_url

SQLITE_BUSY_TIMEOUT_MS = 5000
IMMEDIATE = "sqlite_begin_immediate"
# Execution option: an object whose acquire() takes the write turn before BEGIN IMMEDIATE
# (write_turns.PendingTurn; set by uow.run_write).
WRITE_TURN = "wijksignalen_write_turn"
# Execution option: no BEGIN, so every statement reads the latest commit on its own (SQLite's
# autocommit); for short reads that are verified again later (uow.reads_before_write).
NO_BEGIN = "wijksignalen_no_begin"


def make_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    # No server-side prepared statements: psycopg prepares a query after five runs, and
    # PostgreSQL may then keep a generic plan made while a table was small; a bulk import's
    # `external_id IN (5000 values)` became a sequential scan of minutes per query. Every
    # query is planned with its own values instead (and PgBouncer pooling keeps working).
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10,
                         connect_args={"prepare_threshold": None})


@cache
def default_engine() -> Engine:
    """One engine per process for the configured DATABASE_URL."""
    return make_engine()


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not pysqlite, emit BEGIN, so writers can ask for IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # SQLite's own lower() only knows ASCII; PostgreSQL's lowers every letter. The same
        # case-insensitive search must find "Oekraïne" for "OEKRAÏNE" on both.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        # A deferred transaction that later upgrades to a write fails at once with
        # "database is locked" under WAL; IMMEDIATE takes the write lock up front and
        # waits on busy_timeout instead.
        options = conn.get_execution_options()
        if options.get(NO_BEGIN, False):
            return
        immediate = options.get(IMMEDIATE, False)
        if immediate and (turn := options.get(WRITE_TURN)) is not None:
            turn.acquire()  # the fair turn first; then BEGIN IMMEDIATE finds the lock free
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
