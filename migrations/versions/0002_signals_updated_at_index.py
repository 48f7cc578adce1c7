"""index on signals.updated_at

Revision ID: 0002
Revises: 0001
The dashboards' data-version token (signals/services/data_version.py) reads
max(signals.updated_at) on every page run; this index makes that a single index lookup
instead of a full scan at millions of signals.

Create Date: 2026-11-22 04:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('signals', schema=None) as batch_op:
        batch_op.create_index('ix_signals_updated_at', ['updated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('signals', schema=None) as batch_op:
        batch_op.drop_index('ix_signals_updated_at')
