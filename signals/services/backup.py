"""Backups: a consistent online copy of SQLite, or the pg_dump command for PostgreSQL.

The SQLite copy uses SQLite's online backup API in a single step, so it is one consistent
snapshot even while the app keeps writing (WAL). The copy is a self-contained file
(rollback journal, no -wal/-shm), checked with `PRAGMA integrity_check`, readable by its
owner only, and moved into place atomically.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from signals.db.models import Base
from signals.errors import DomainError


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    rows: dict[str, int]  # row count per table in the copy


def backup_sqlite(engine: Engine, target: Path, overwrite: bool = False) -> BackupResult:
    database = make_url(engine.url).database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        raise DomainError("Een back-up met de SQLite-back-up-API kan alleen van een "
                          "SQLite-bestand.")
    target = target.expanduser().resolve()
    if target == Path(database).resolve():
        raise DomainError("Het back-upbestand mag niet de database zelf zijn.")
    if target.exists() and not overwrite:
        raise DomainError(f"{target} bestaat al; kies een andere naam of gebruik --force.")
    if not target.parent.is_dir():
        raise DomainError(f"De map {target.parent} bestaat niet.")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    raw = engine.raw_connection()
    try:
        _copy(raw.driver_connection, partial)  # type: ignore[arg-type]
    finally:
        raw.close()
    os.replace(partial, target)
    return BackupResult(target, target.stat().st_size, sqlite_row_counts(target))


def _copy(source: sqlite3.Connection, path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    destination = sqlite3.connect(path)
    try:
        source.backup(destination)  # all pages in one step: one consistent snapshot
        destination.execute("PRAGMA journal_mode=DELETE")
        status = destination.execute("PRAGMA integrity_check").fetchone()[0]
        if status != "ok":
            raise DomainError(f"De back-up is niet in orde: {status}")
    except BaseException:
        destination.close()
        path.unlink(missing_ok=True)
        raise
    destination.close()


def sqlite_row_counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {table.name: connection.execute(
            f'SELECT count(*) FROM "{table.name}"').fetchone()[0]  # noqa: S608 - ORM names
                for table in Base.metadata.sorted_tables}
    finally:
        connection.close()


def pg_dump_command(url: str, target: Path) -> str:
    """The pg_dump command line for this database; never contains the password."""
    env, connection = _pg_connection(url)
    argv = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", *connection]
    return " ".join([*env, shlex.join(argv)])


def pg_restore_command(url: str, backup: Path) -> str:
    env, connection = _pg_connection(url)
    argv = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
            *connection, str(backup)]
    return " ".join([*env, shlex.join(argv)])


def _pg_connection(url: str) -> tuple[list[str], list[str]]:
    """Environment prefix and libpq options from a URL, leaving the password out."""
    parsed = make_url(url)
    options = [f"--{name}={value}" for name, value in (
        ("host", parsed.host), ("port", parsed.port), ("username", parsed.username)) if value]
    options.append(f"--dbname={parsed.database or ''}")
    env = [f"PGSSLMODE={shlex.quote(str(parsed.query['sslmode']))}"] \
        if "sslmode" in parsed.query else []
    return env, options
