"""Alembic environment: online migrations only, batch mode so SQLite can alter tables."""

from __future__ import annotations

from alembic import context

from signals.db.engine import make_engine
from signals.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    # Callers (signals.services.schema, tests) may hand us an open connection.
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or None)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run `python -m signals init`.")
run_migrations_online()
