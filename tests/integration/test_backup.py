"""Backups: the SQLite online copy restores to an identical database, also while writing;
the printed pg_dump command works against the real server and never shows a password."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import threading
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url

from signals.db.engine import make_engine
from signals.db.models import AuditEvent, Base
from signals.db.uow import run_write
from signals.errors import DomainError
from signals.services import audit
from signals.services.actor import SYSTEM_ACTOR
from signals.services.backup import (
    backup_sqlite,
    pg_dump_command,
    pg_restore_command,
)
from tests.conftest import create_pg_database, drop_pg_database


def dump_tables(engine: Engine) -> dict[str, pd.DataFrame]:
    """Every table's full contents, in primary-key order."""
    out = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = pd.DataFrame(rows, columns=list(table.columns.keys()))
    return out


def assert_same(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> None:
    assert left.keys() == right.keys()
    for name in left:
        pd.testing.assert_frame_equal(left[name], right[name], obj=name)


@pytest.fixture
def demo_engine(demo_template: Path, tmp_path: Path):
    path = tmp_path / "live.db"
    shutil.copy(demo_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def test_backup_is_an_identical_database(demo_engine, tmp_path) -> None:
    original = dump_tables(demo_engine)
    result = backup_sqlite(demo_engine, tmp_path / "backup.db")
    assert result.rows == {name: len(frame) for name, frame in original.items()}
    assert result.rows["signals"] > 1000
    assert stat.S_IMODE(os.stat(result.path).st_mode) == 0o600
    assert not (tmp_path / "backup.db-wal").exists()
    copy = make_engine(f"sqlite:///{result.path}")
    try:
        assert_same(dump_tables(copy), original)
    finally:
        copy.dispose()


def test_backup_during_writes_is_a_consistent_snapshot(demo_engine, tmp_path) -> None:
    """A writer commits two audit events per transaction; every copy holds whole pairs."""
    stop, started = threading.Event(), threading.Event()

    def pair(session) -> None:
        audit.record(session, SYSTEM_ACTOR, "test_schrijven")
        audit.record(session, SYSTEM_ACTOR, "test_schrijven")

    def writer() -> None:
        while not stop.is_set():
            run_write(demo_engine, pair)
            started.set()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert started.wait(10)
        results = [backup_sqlite(demo_engine, tmp_path / f"b{i}.db") for i in range(5)]
    finally:
        stop.set()
        thread.join()
    counts = []
    for result in results:
        copy = make_engine(f"sqlite:///{result.path}")
        with copy.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            counts.append(connection.scalar(select(func.count()).select_from(AuditEvent)))
        copy.dispose()
    assert all(n > 0 and n % 2 == 0 for n in counts), counts
    assert counts == sorted(counts)


def test_backup_refuses_to_overwrite_or_to_target_the_database_itself(demo_engine,
                                                                      tmp_path) -> None:
    target = tmp_path / "backup.db"
    target.write_text("iets anders")
    with pytest.raises(DomainError, match="bestaat al"):
        backup_sqlite(demo_engine, target)
    assert target.read_text() == "iets anders"
    backup_sqlite(demo_engine, target, overwrite=True)
    with pytest.raises(DomainError, match="database zelf"):
        backup_sqlite(demo_engine, Path(make_url(demo_engine.url).database))
    with pytest.raises(DomainError, match="bestaat niet"):
        backup_sqlite(demo_engine, tmp_path / "nope" / "b.db")


def test_pg_dump_command_never_shows_the_password() -> None:
    command = pg_dump_command(
        "postgresql+psycopg://wijk:S3cret!pw@db.example.nl:6543/wijksignalen?sslmode=require",
        Path("/backups/wijk.dump"))
    assert "S3cret" not in command
    assert command == ("PGSSLMODE=require pg_dump --format=custom --no-owner "
                       "--file=/backups/wijk.dump --host=db.example.nl --port=6543 "
                       "--username=wijk --dbname=wijksignalen")


@pytest.mark.postgres
def test_printed_pg_dump_command_round_trips_on_the_real_server(
        tmp_path, pg_dated_demo_template) -> None:
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump not installed")
    source_url = create_pg_database(template=pg_dated_demo_template)
    target_url = create_pg_database()
    source, target = make_engine(source_url), make_engine(target_url)
    try:
        dump = tmp_path / "wijk.dump"
        env = {**os.environ, "PGPASSWORD": make_url(source_url).password or ""}
        subprocess.run(pg_dump_command(source_url, dump), shell=True, check=True, env=env)
        subprocess.run(pg_restore_command(target_url, dump), shell=True, check=True, env=env)
        assert_same(dump_tables(target), dump_tables(source))
    finally:
        source.dispose()
        target.dispose()
        drop_pg_database(source_url)
        drop_pg_database(target_url)
