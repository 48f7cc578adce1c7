"""Shared fixtures: a real SQLite file and a real PostgreSQL database, both migrated.

PostgreSQL comes from WIJKSIGNALEN_TEST_PG (default: postgres@127.0.0.1:5432/test). When CI
is set, an unreachable PostgreSQL fails the run instead of skipping.

Speed: the schema and the demo are built once per session (per xdist worker) and copied per
test: a file copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL. Passwords are hashed
with cheap argon2 parameters, except in tests that ask for `production_password_hashing`.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from argon2 import Parameters, Type
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from signals.db.engine import default_engine, make_engine
from signals.db.models import Base
from signals.services import passwords
from signals.services.demo import load_demo
from signals.services.schema import upgrade_schema

PG_ADMIN_URL = os.environ.get(
    "WIJKSIGNALEN_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REFERENCE_TABLES = {"alembic_version", "categories", "themes"}
DEMO_SEED = 2026
DEMO_TODAY = date(2026, 11, 19)  # a Thursday: the current week is only partly over
# The cheapest argon2id that argon2-cffi accepts: a login costs microseconds, not 0.3 s.
TEST_PASSWORD_PARAMETERS = Parameters(type=Type.ID, version=19, salt_len=16, hash_len=32,
                                      time_cost=1, memory_cost=8, parallelism=1)


def pytest_configure(config: pytest.Config) -> None:
    passwords.use_parameters(TEST_PASSWORD_PARAMETERS)


@pytest.fixture
def production_password_hashing() -> Iterator[None]:
    """Hash with the production parameters for one test."""
    passwords.use_parameters(passwords.PRODUCTION_PARAMETERS)
    yield
    passwords.use_parameters(TEST_PASSWORD_PARAMETERS)


def _pg_reachable() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return str(exc).splitlines()[0]


def require_postgres() -> None:
    problem = _pg_reachable()
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required in CI but not reachable: {problem}")
    pytest.skip(f"PostgreSQL not reachable ({problem}); set WIJKSIGNALEN_TEST_PG")


def create_pg_database(template: str | None = None) -> str:
    """A fresh database on the test server, empty or a copy of `template`; returns its URL.

    A template must have no open connections while it is copied.
    """
    name = f"wijk_test_{uuid.uuid4().hex[:10]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    admin.dispose()
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# Dropping a database takes about a second on the server; tests need not wait for it.
_dropper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drop-pg-database")


def drop_pg_database_later(url: str) -> None:
    _dropper.submit(drop_pg_database, url)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _dropper.shutdown(wait=True)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_session_url() -> Iterator[str]:
    require_postgres()
    url = create_pg_database()
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    yield url
    drop_pg_database(url)


def _sqlite_url(template: Path, tmp_path: Path) -> str:
    path = tmp_path / "wijksignalen.db"
    shutil.copy(template, path)
    return f"sqlite:///{path}"


def _truncate(engine: Engine) -> None:
    tables = [t.name for t in Base.metadata.sorted_tables if t.name not in REFERENCE_TABLES]
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated, empty database: a real SQLite file, then the real PostgreSQL server."""
    if request.param == "sqlite":
        return _sqlite_url(sqlite_template, tmp_path)
    url = request.getfixturevalue("pg_session_url")
    engine = make_engine(url)
    _truncate(engine)
    engine.dispose()
    return url


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    return _sqlite_url(sqlite_template, tmp_path)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


def _demo_file(sqlite_template: Path, folder: Path, today: date | None) -> Path:
    path = folder / "demo.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    load_demo(engine, seed=DEMO_SEED, today=today)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def demo_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo municipality up to today, loaded once per test session into a SQLite file."""
    return _demo_file(sqlite_template, tmp_path_factory.mktemp("demo"), today=None)


@pytest.fixture(scope="session")
def dated_demo_template(sqlite_template: Path,
                        tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo up to DEMO_TODAY (fixed weeks for exact assertions), once per session."""
    return _demo_file(sqlite_template, tmp_path_factory.mktemp("dated-demo"), DEMO_TODAY)


@pytest.fixture(scope="session")
def pg_dated_demo_template() -> Iterator[str]:
    """Name of a PostgreSQL database holding the demo up to DEMO_TODAY, used only as a
    template: nothing stays connected to it."""
    require_postgres()
    url = create_pg_database()
    engine = make_engine(url)
    upgrade_schema(engine)
    load_demo(engine, seed=DEMO_SEED, today=DEMO_TODAY)
    engine.dispose()
    yield make_url(url).database
    drop_pg_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def demo_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A private copy of the demo up to DEMO_TODAY, on SQLite and then on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "demo.db"
        shutil.copy(request.getfixturevalue("dated_demo_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = create_pg_database(template=request.getfixturevalue("pg_dated_demo_template"))
    engine = make_engine(url)
    yield engine
    engine.dispose()
    if request.param != "sqlite":
        drop_pg_database_later(url)


def _use_database(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    import streamlit as st

    monkeypatch.setenv("DATABASE_URL", url)
    default_engine.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()
    yield url
    default_engine().dispose()
    default_engine.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def app_database(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the process-wide engine (CLI, AppTest) at a fresh, empty test database."""
    yield from _use_database(sqlite_url, monkeypatch)


@pytest.fixture
def demo_database(demo_template: Path, tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Like app_database, but with a private copy of the demo municipality."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    yield from _use_database(f"sqlite:///{path}", monkeypatch)
