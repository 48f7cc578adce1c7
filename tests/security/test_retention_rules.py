"""Every text or person-linked column has an explicit retention decision.

Walks every column of every table in Base.metadata (and the Alembic version table): a
String, Text or JSON column, or a reference to an account, without an entry in
signals/services/retention_rules.py fails this test, so a new free-text column cannot be
added without deciding whether the retention purge clears it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import JSON, Column, String, Text

from signals.db.models import Base
from signals.services.retention_rules import DECISIONS, Kept, Purged, purged_columns


def _needs_decision(column: Column) -> bool:
    text_like = isinstance(column.type, (String, Text, JSON))
    person = any(fk.column.table.name == "users" for fk in column.foreign_keys)
    return text_like or person


def _columns() -> list[tuple[str, str]]:
    return [(table.name, column.name) for table in Base.metadata.sorted_tables
            for column in table.columns if _needs_decision(column)]


def test_every_text_or_person_linked_column_has_a_decision() -> None:
    missing = [f"{t}.{c}" for t, c in _columns() if c not in DECISIONS.get(t, {})]
    assert not missing, f"add a retention decision in retention_rules.py for: {missing}"


def test_the_walk_finds_the_columns_that_matter() -> None:
    found = set(_columns())
    assert {("signals", "description"), ("signals", "subtype"), ("signals", "action_place"),
            ("signals", "reporter_id"), ("signal_history", "note"),
            ("audit_events", "username"), ("phase_decisions", "reason")} <= found
    assert len(found) > 40


def test_no_decision_names_a_column_that_does_not_exist() -> None:
    tables = {t.name: set(t.columns.keys()) for t in Base.metadata.sorted_tables}
    tables["alembic_version"] = {"version_num"}
    stale = [f"{t}.{c}" for t, columns in DECISIONS.items() for c in columns
             if c not in tables.get(t, set())]
    assert not stale


@pytest.mark.parametrize("column", ["description", "subtype", "action_place", "reporter_id",
                                    "created_by_id"])
def test_signal_free_text_and_account_links_are_purged(column: str) -> None:
    assert column in purged_columns("signals")


def test_every_kept_column_says_why() -> None:
    for table, columns in DECISIONS.items():
        for name, decision in columns.items():
            assert isinstance(decision, (Kept, Purged)), f"{table}.{name}"
            text = decision.reason if isinstance(decision, Kept) else decision.scope
            assert len(text) > 10, f"{table}.{name}"
