"""Migrations on a real SQLite file and on PostgreSQL: upgrade, downgrade, upgrade."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select, text

from signals.db.engine import make_engine
from signals.db.models import CategoryRow, Theme
from signals.db.uow import read_session
from signals.domain import CATEGORIES, THEMES
from signals.services.schema import (
    current_revision,
    downgrade_schema,
    head_revision,
    schema_is_current,
    upgrade_schema,
)
from tests.conftest import create_pg_database, drop_pg_database, require_postgres

EXPECTED_TABLES = {"wijken", "users", "credentials", "user_wijk", "signals", "signal_theme",
                   "signal_links", "signal_history", "phase_decisions", "audit_events",
                   "settings", "weekly_indicators", "categories", "themes",
                   "user_sessions", "form_drafts"}


def _roundtrip(url: str) -> None:
    engine = make_engine(url)
    upgrade_schema(engine)
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) >= EXPECTED_TABLES
    upgrade_schema(engine)  # idempotent
    downgrade_schema(engine, "base")
    assert current_revision(engine) is None
    assert not (EXPECTED_TABLES & set(inspect(engine).get_table_names()))
    upgrade_schema(engine)
    assert schema_is_current(engine)
    with read_session(engine) as session:
        assert {c.code for c in session.scalars(select(CategoryRow))} == {
            c.code for c in CATEGORIES}
        assert {t.code for t in session.scalars(select(Theme))} == set(THEMES)
    engine.dispose()


def test_migrations_roundtrip_on_sqlite_file(tmp_path) -> None:
    _roundtrip(f"sqlite:///{tmp_path / 'm.db'}")


@pytest.mark.postgres
def test_migrations_roundtrip_on_postgresql() -> None:
    require_postgres()
    url = create_pg_database()
    try:
        _roundtrip(url)
    finally:
        drop_pg_database(url)


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(sqlite_engine) -> None:
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_constraint_names_follow_the_convention(engine) -> None:
    inspector = inspect(engine)
    fks = inspector.get_foreign_keys("signals")
    assert {fk["name"] for fk in fks} >= {"fk_signals_wijk_id_wijken",
                                          "fk_signals_reporter_id_users"}
    assert inspector.get_pk_constraint("signals")["name"] in ("pk_signals", None)
    indexes = {ix["name"] for ix in inspector.get_indexes("signals")}
    assert {"ix_signals_wijk_observed", "ix_signals_observed_on"} <= indexes
