"""Migration 0007: existing wijken get their gemeente from the CBS code, on both backends."""

from __future__ import annotations

from sqlalchemy import text

from signals.db.engine import make_engine
from signals.services.schema import downgrade_schema, upgrade_schema
from tests.conftest import create_pg_database, drop_pg_database, require_postgres


def _backfill_check(url: str) -> None:
    engine = make_engine(url)
    upgrade_schema(engine, "0003")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO wijken (code, name, created_at) VALUES "
                          "('WK990101', 'Centrum', CURRENT_TIMESTAMP), "
                          "('WK036301', 'Burgwallen', CURRENT_TIMESTAMP)"))
    upgrade_schema(engine, "0007")
    with engine.connect() as conn:
        rows = dict(conn.execute(text(
            "SELECT w.code, g.code || ' ' || g.name FROM wijken w "
            "JOIN gemeenten g ON g.id = w.gemeente_id")).all())
    downgrade_schema(engine, "0003")  # and back: the wijken stay
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM wijken")).scalar() == 2
    engine.dispose()
    assert rows == {"WK990101": "GM9901 Lindeveen", "WK036301": "GM0363 Gemeente GM0363"}


def test_backfill_on_sqlite(tmp_path) -> None:
    _backfill_check(f"sqlite:///{tmp_path / 'old.db'}")


def test_backfill_on_postgresql() -> None:
    require_postgres()
    url = create_pg_database()
    try:
        _backfill_check(url)
    finally:
        drop_pg_database(url)
