"""actions per wijk, the risicokalender and evaluations after the nafase

Revision ID: 0010
Revises: 0007
Three new tables, nothing changed in existing ones: wijk_actions (what was done in a wijk,
with the phase in force), risk_moments (upcoming moments per wijk or gemeente) and
nafase_evaluations (the coordinator's lessons after a nafase).

Create Date: 2026-11-29 22:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('nafase_evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wijk_id', sa.Integer(), nullable=False),
    sa.Column('nafase_end', sa.Date(), nullable=False),
    sa.Column('escalation_week', sa.Date(), nullable=True),
    sa.Column('lead_weeks', sa.Integer(), nullable=True),
    sa.Column('first_signal', sa.Text(), nullable=False),
    sa.Column('keep', sa.Text(), nullable=False),
    sa.Column('change', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_nafase_evaluations_created_by_id_users')),
    sa.ForeignKeyConstraint(['wijk_id'], ['wijken.id'], name=op.f('fk_nafase_evaluations_wijk_id_wijken')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nafase_evaluations'))
    )
    with op.batch_alter_table('nafase_evaluations', schema=None) as batch_op:
        batch_op.create_index('ix_nafase_evaluations_wijk_end', ['wijk_id', 'nafase_end'], unique=True)

    op.create_table('risk_moments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('moment_date', sa.Date(), nullable=False),
    sa.Column('wijk_id', sa.Integer(), nullable=True),
    sa.Column('gemeente_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('theme', sa.String(length=40), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('notified', sa.Boolean(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_risk_moments_created_by_id_users')),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeenten.id'], name=op.f('fk_risk_moments_gemeente_id_gemeenten')),
    sa.ForeignKeyConstraint(['wijk_id'], ['wijken.id'], name=op.f('fk_risk_moments_wijk_id_wijken')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_moments'))
    )
    with op.batch_alter_table('risk_moments', schema=None) as batch_op:
        batch_op.create_index('ix_risk_moments_moment_date', ['moment_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_moments_wijk_id'), ['wijk_id'], unique=False)

    op.create_table('wijk_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wijk_id', sa.Integer(), nullable=False),
    sa.Column('action_type', sa.String(length=40), nullable=False),
    sa.Column('action_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('phase', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('gepland', 'uitgevoerd')", name=op.f('ck_wijk_actions_status')),
    sa.CheckConstraint('phase BETWEEN 0 AND 4', name=op.f('ck_wijk_actions_phase_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_wijk_actions_created_by_id_users')),
    sa.ForeignKeyConstraint(['decision_id'], ['phase_decisions.id'], name=op.f('fk_wijk_actions_decision_id_phase_decisions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['wijk_id'], ['wijken.id'], name=op.f('fk_wijk_actions_wijk_id_wijken')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wijk_actions'))
    )
    with op.batch_alter_table('wijk_actions', schema=None) as batch_op:
        batch_op.create_index('ix_wijk_actions_action_date', ['action_date'], unique=False)
        batch_op.create_index('ix_wijk_actions_wijk_date', ['wijk_id', 'action_date'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('wijk_actions', schema=None) as batch_op:
        batch_op.drop_index('ix_wijk_actions_wijk_date')
        batch_op.drop_index('ix_wijk_actions_action_date')

    op.drop_table('wijk_actions')
    with op.batch_alter_table('risk_moments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_moments_wijk_id'))
        batch_op.drop_index('ix_risk_moments_moment_date')

    op.drop_table('risk_moments')
    with op.batch_alter_table('nafase_evaluations', schema=None) as batch_op:
        batch_op.drop_index('ix_nafase_evaluations_wijk_end')

    op.drop_table('nafase_evaluations')
