"""signals.platform_name: the platform as people name it (Telegram, TikTok, X, ...)

Revision ID: 0015
Revises: 0013
The import accepts platform names and maps each to its platform type (`platform`); the name
itself is kept here, so a coordinator still sees "Telegram" and not only "besloten groep".
Empty for existing signals and for signals whose platform was given as a type.

Create Date: 2026-11-29 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('signals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('platform_name', sa.String(length=40), nullable=True))


def downgrade() -> None:
    # A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of this table would
    # drop a table other tables' rows still point to.
    op.drop_column('signals', 'platform_name')
