"""a data-version counter per wijk

Revision ID: 0004
Revises: 0003
Dashboard caches are keyed on the data version of the wijken a user sees. Every write to a
wijk's signals raises its counter in the same transaction (signals/services/data_version.py),
so a save in one wijk no longer empties the caches of users who do not see that wijk.

Create Date: 2026-11-29 20:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('wijken', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_version', sa.Integer(), nullable=False,
                                      server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('wijken', schema=None) as batch_op:
        batch_op.drop_column('data_version')
