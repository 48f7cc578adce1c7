"""weekly_indicators.severe_verified_2w: verified severe signals this and last week

Revision ID: 0004
Revises: 0003
A single verified report of severity 4 or more in a severe category (threats, hate,
intergroup tension) lifts a wijk to phase 2. The phase rules read it from the stored
weekly aggregates, so they need this count; existing rows are rebuilt from the signals.

Create Date: 2026-11-29 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('weekly_indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('severe_verified_2w', sa.Integer(), nullable=False,
                                      server_default='0'))
    # Verified severe signals stored before this revision: recount them from the signals.
    sqlite = op.get_bind().dialect.name == "sqlite"
    week_before = "date(w.week_start, '-7 days')" if sqlite else "w.week_start - 7"
    next_week = "date(w.week_start, '+7 days')" if sqlite else "w.week_start + 7"
    op.execute(
        "UPDATE weekly_indicators AS w SET severe_verified_2w = ("
        " SELECT count(*) FROM signals s"
        " WHERE s.wijk_id = w.wijk_id"
        " AND s.status = 'geverifieerd' AND s.severity >= 4"
        " AND s.category IN ('haat_discriminatie', 'bedreiging_intimidatie',"
        " 'spanning_groepen')"
        f" AND s.observed_on >= {week_before} AND s.observed_on < {next_week})")

def downgrade() -> None:
    with op.batch_alter_table('weekly_indicators', schema=None) as batch_op:
        batch_op.drop_column('severe_verified_2w')
