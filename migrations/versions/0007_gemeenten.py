"""gemeenten, and every wijk belongs to one; wijken can be retired; longer area codes

Revision ID: 0007
Revises: 0006
Areas may be CBS wijken or buurten, Statbel sectors or a municipality's own codes (up to 40
characters). Existing wijken get their gemeente from the CBS code (WKggggww -> GMgggg); the
demo's gemeente 9901 is named Lindeveen, others "Gemeente GMgggg" until a file names them.

Create Date: 2026-11-29 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KNOWN_NAMES = {"GM9901": "Lindeveen"}


def upgrade() -> None:
    op.create_table(
        'gemeenten',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=10), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('area_scheme', sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_gemeenten')),
        sa.UniqueConstraint('code', name=op.f('uq_gemeenten_code')),
    )
    with op.batch_alter_table('wijken', schema=None) as batch_op:
        batch_op.alter_column('code', existing_type=sa.String(length=8),
                              type_=sa.String(length=40), existing_nullable=False)
        batch_op.add_column(sa.Column('gemeente_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('retired_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.create_index('ix_wijken_gemeente_id', ['gemeente_id'], unique=False)
        batch_op.create_foreign_key(op.f('fk_wijken_gemeente_id_gemeenten'), 'gemeenten',
                                    ['gemeente_id'], ['id'])
    _backfill()


def _backfill() -> None:
    conn = op.get_bind()
    wijken = sa.table('wijken', sa.column('id', sa.Integer), sa.column('code', sa.String),
                      sa.column('gemeente_id', sa.Integer))
    gemeenten = sa.table('gemeenten', sa.column('id', sa.Integer),
                         sa.column('code', sa.String), sa.column('name', sa.String),
                         sa.column('area_scheme', sa.String))
    rows = conn.execute(sa.select(wijken.c.id, wijken.c.code)).all()
    codes = sorted({"GM" + code[2:6] for _id, code in rows if code.startswith("WK")})
    for code in codes:
        conn.execute(gemeenten.insert().values(
            code=code, name=KNOWN_NAMES.get(code, f"Gemeente {code}"), area_scheme="cbs_wijk"))
    ids = dict(conn.execute(sa.select(gemeenten.c.code, gemeenten.c.id)).all())
    for wijk_id, code in rows:
        if code.startswith("WK"):
            conn.execute(wijken.update().where(wijken.c.id == wijk_id)
                         .values(gemeente_id=ids["GM" + code[2:6]]))


def downgrade() -> None:
    with op.batch_alter_table('wijken', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_wijken_gemeente_id_gemeenten'), type_='foreignkey')
        batch_op.drop_index('ix_wijken_gemeente_id')
        batch_op.drop_column('retired_at')
        batch_op.drop_column('gemeente_id')
        batch_op.alter_column('code', existing_type=sa.String(length=40),
                              type_=sa.String(length=8), existing_nullable=False)
    op.drop_table('gemeenten')
