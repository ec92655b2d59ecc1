"""Daily roll-up: additive sufficient statistics per unit, service, counter, officer, channel, local day and flag state."""
from itertools import combinations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# Frozen here (not imported from the models): the column list as of this revision.
UNSUR = range(1, 10)
STAT_COLUMNS = (
    ['responses', 'n', 'perfect', 'sat_sq', 'sat_answered', 'answered_sq',
     'officer_n', 'officer_sum12', 'officer_sumsq144']
    + [f'u{j}_{s}' for j in UNSUR for s in ('n', 'sum', 'sumsq', 'sat')]
    + [f'u{j}u{k}_{s}' for j, k in combinations(UNSUR, 2) for s in ('n', 'prod', 'sj', 'sk')]
)


def upgrade():
    op.create_table('daily_rollup',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('flag_state', sa.SmallInteger(), nullable=False),
    *(sa.Column(name, sa.Integer(), nullable=False) for name in STAT_COLUMNS),
    sa.CheckConstraint('flag_state IN (0, 1, 2)', name=op.f('ck_daily_rollup_flag_state')),
    sa.CheckConstraint('n >= 0 AND n <= responses AND perfect <= n', name=op.f('ck_daily_rollup_counts')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_daily_rollup_unit_id_unit')),
    sa.PrimaryKeyConstraint('unit_id', 'day', 'service_id', 'counter_id', 'staff_id', 'channel', 'flag_state', name=op.f('pk_daily_rollup'))
    )
    with op.batch_alter_table('daily_rollup', schema=None) as batch_op:
        batch_op.create_index('ix_daily_rollup_day', ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_daily_rollup_staff_id'), ['staff_id'], unique=False)


def downgrade():
    with op.batch_alter_table('daily_rollup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_daily_rollup_staff_id'))
        batch_op.drop_index('ix_daily_rollup_day')

    op.drop_table('daily_rollup')
