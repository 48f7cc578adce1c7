"""index on signals (wijk_id, status, observed_on) for the duiding queue

Revision ID: 0003
Revises: 0002
A coordinator's duiding queue counts and pages the open signals (status nieuw or
in_duiding) of their wijken. With only (wijk_id, observed_on) the database reads every
signal of those wijken to check its status: at 1M signals the count took 130 ms on SQLite
and 490 ms on PostgreSQL (17,000 heap pages) for a coordinator of 20 wijken. With this
index the count is an index-only scan of the open signals: 1.5 ms on SQLite
(benchmarks/phase_table.py --explain, benchmarks/RESULTS.md).

Create Date: 2026-11-22 05:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('signals', schema=None) as batch_op:
        batch_op.create_index('ix_signals_wijk_status_observed',
                              ['wijk_id', 'status', 'observed_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('signals', schema=None) as batch_op:
        batch_op.drop_index('ix_signals_wijk_status_observed')
