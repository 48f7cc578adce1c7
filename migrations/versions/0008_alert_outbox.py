"""alerts: a transactional outbox, subscriptions and each user's alert address

Revision ID: 0008
Revises: 0007
An alert is written to alert_outbox in the transaction of the change that causes it; a
worker (`python -m signals notify`) leases rows, sends them and marks them sent. The unique
idempotency key (alert and recipient) keeps an alert from being queued twice.

Create Date: 2026-11-29 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alert_email', sa.String(length=254), nullable=True))
    op.create_index('ix_users_role', 'users', ['role'], unique=False)
    op.create_table(
        'alert_subscriptions',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('alert_type', sa.String(length=30), nullable=False),
        sa.Column('mode', sa.String(length=10), nullable=False),
        sa.Column('wijk_ids', sa.JSON(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_alert_subscriptions_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'alert_type', name=op.f('pk_alert_subscriptions')),
    )
    op.create_table(
        'alert_outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('alert_type', sa.String(length=30), nullable=False),
        sa.Column('wijk_id', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('digest', sa.Boolean(), nullable=False),
        sa.Column('idempotency_key', sa.String(length=200), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.Column('claimed_by', sa.String(length=80), nullable=True),
        sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')",
                           name=op.f('ck_alert_outbox_status')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_alert_outbox_user_id_users'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['wijk_id'], ['wijken.id'],
                                name=op.f('fk_alert_outbox_wijk_id_wijken'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_outbox')),
        sa.UniqueConstraint('idempotency_key', name=op.f('uq_alert_outbox_idempotency_key')),
    )
    op.create_index('ix_alert_outbox_status_next', 'alert_outbox',
                    ['status', 'next_attempt_at'], unique=False)
    op.create_index('ix_alert_outbox_user_id', 'alert_outbox', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_alert_outbox_user_id', table_name='alert_outbox')
    op.drop_index('ix_alert_outbox_status_next', table_name='alert_outbox')
    op.drop_table('alert_outbox')
    op.drop_table('alert_subscriptions')
    op.drop_index('ix_users_role', table_name='users')
    # A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of this table would
    # drop a table other tables' rows still point to.
    op.drop_column('users', 'alert_email')
