"""the key-figure network: active since, deactivated, desired mix, activation codes, feedback

Revision ID: 0009
Revises: 0008
users gain active_since (backfilled from created_at) and deactivated_at. network_mix holds
the desired number of key figures per role type per wijk. activation_codes holds only the
SHA-256 of one-time codes with which a new key figure sets their own password.
signal_feedback holds the coordinator's message to a signal's reporter, kept apart from
the internal assessment notes.

Create Date: 2026-11-29 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deactivated_at', sa.DateTime(timezone=True),
                                      nullable=True))
    users = sa.table('users', sa.column('active_since', sa.DateTime(timezone=True)),
                     sa.column('created_at', sa.DateTime(timezone=True)))
    op.get_bind().execute(users.update().values(active_since=users.c.created_at))
    op.create_table(
        'network_mix',
        sa.Column('wijk_id', sa.Integer(), nullable=False),
        sa.Column('reporter_role', sa.String(length=40), nullable=False),
        sa.Column('desired', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('desired BETWEEN 0 AND 50',
                           name=op.f('ck_network_mix_desired_range')),
        sa.ForeignKeyConstraint(['wijk_id'], ['wijken.id'],
                                name=op.f('fk_network_mix_wijk_id_wijken'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                                name=op.f('fk_network_mix_updated_by_id_users')),
        sa.PrimaryKeyConstraint('wijk_id', 'reporter_role', name=op.f('pk_network_mix')),
    )
    op.create_table(
        'activation_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_activation_codes_user_id_users'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_activation_codes_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_activation_codes')),
        sa.UniqueConstraint('code_hash', name=op.f('uq_activation_codes_code_hash')),
    )
    op.create_index('ix_activation_codes_user_id', 'activation_codes', ['user_id'],
                    unique=False)
    op.create_table(
        'signal_feedback',
        sa.Column('signal_id', sa.Integer(), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['signal_id'], ['signals.id'],
                                name=op.f('fk_signal_feedback_signal_id_signals'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                                name=op.f('fk_signal_feedback_updated_by_id_users')),
        sa.PrimaryKeyConstraint('signal_id', name=op.f('pk_signal_feedback')),
    )


def downgrade() -> None:
    op.drop_table('signal_feedback')
    op.drop_index('ix_activation_codes_user_id', table_name='activation_codes')
    op.drop_table('activation_codes')
    op.drop_table('network_mix')
    # A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of this table would
    # drop a table other tables' rows still point to.
    op.drop_column('users', 'deactivated_at')
    op.drop_column('users', 'active_since')
