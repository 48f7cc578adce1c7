"""What commands share: the engine, and the guard that the schema is up to date."""

from __future__ import annotations

from sqlalchemy import Engine

from signals.db.engine import default_engine
from signals.errors import DomainError
from signals.services.schema import schema_is_current


def engine_with_schema() -> Engine:
    engine = default_engine()
    if not schema_is_current(engine):
        raise DomainError("Het databaseschema is niet actueel. Voer eerst "
                          "`python -m signals init` uit.")
    return engine
