"""weekly_indicators: one theme that lasts over two weeks, and unrest seen offline

Revision ID: 0013
Revises: 0011
A build-up is about something and lasts: the phase rules give phase 2 when unrest signals
about one theme run through this and last week and stand out against the wijk's usual.
A score alarm needs unrest seen offline by two key figures, or reported by three (those
who only saw it online may have seen the same post). The rules read both from the stored
weekly aggregates; existing rows are recounted from the signals (unrest categories,
signals marked niet_bevestigd left out, as the default rules do).

Create Date: 2026-11-30 00:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNREST = ("'onvrede', 'geruchten_desinformatie', 'anti_overheid', 'spanning_groepen', "
           "'symbolen', 'haat_discriminatie', 'collectieve_actie', 'oproep_mobilisatie', "
           "'bedreiging_intimidatie', 'ordeverstoring'")


def _per_theme(week_before: str, next_week: str) -> str:
    """Per theme of the row's wijk: signals this week, last week, and distinct reporters."""
    return (
        "SELECT st.theme_code,"
        " SUM(CASE WHEN s.observed_on >= w.week_start THEN 1 ELSE 0 END) AS this_n,"
        " SUM(CASE WHEN s.observed_on < w.week_start THEN 1 ELSE 0 END) AS last_n,"
        " COUNT(*) AS n, COUNT(DISTINCT s.reporter_id) AS k"
        " FROM signals s JOIN signal_theme st ON st.signal_id = s.id"
        " WHERE s.wijk_id = w.wijk_id"
        f" AND s.category IN ({_UNREST}) AND s.status <> 'niet_bevestigd'"
        f" AND s.observed_on >= {week_before} AND s.observed_on < {next_week}"
        " GROUP BY st.theme_code")


def upgrade() -> None:
    with op.batch_alter_table('weekly_indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unrest_offline_reporters_2w', sa.Integer(),
                                      nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('theme_n_2w', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('theme_reporters_2w', sa.Integer(), nullable=False,
                                      server_default='0'))
    sqlite = op.get_bind().dialect.name == "sqlite"
    week_before = "date(w.week_start, '-7 days')" if sqlite else "w.week_start - 7"
    next_week = "date(w.week_start, '+7 days')" if sqlite else "w.week_start + 7"
    op.execute(
        "UPDATE weekly_indicators AS w SET unrest_offline_reporters_2w = ("
        " SELECT COUNT(DISTINCT s.reporter_id) FROM signals s WHERE s.wijk_id = w.wijk_id"
        f" AND s.category IN ({_UNREST}) AND s.status <> 'niet_bevestigd' AND NOT s.online"
        f" AND s.observed_on >= {week_before} AND s.observed_on < {next_week})")
    themes = _per_theme(week_before, next_week)
    op.execute(
        "UPDATE weekly_indicators AS w SET theme_n_2w = COALESCE((SELECT MAX(t.n) FROM"
        f" ({themes}) AS t WHERE t.this_n > 0 AND t.last_n > 0), 0)")
    op.execute(
        "UPDATE weekly_indicators AS w SET theme_reporters_2w = COALESCE((SELECT MAX(t.k) FROM"
        f" ({themes}) AS t WHERE t.this_n > 0 AND t.last_n > 0"
        " AND t.n = w.theme_n_2w), 0)")


def downgrade() -> None:
    with op.batch_alter_table('weekly_indicators', schema=None) as batch_op:
        batch_op.drop_column('theme_reporters_2w')
        batch_op.drop_column('theme_n_2w')
        batch_op.drop_column('unrest_offline_reporters_2w')
