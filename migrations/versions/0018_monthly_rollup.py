"""Monthly roll-up grains: `monthly_rollup` (unit × local month × service × officer × flag state)
and `unit_month_rollup` (unit × local month × flag state), the daily cells of each month summed,
filled here from `daily_rollup` so an existing database stays exact (surveys/models/rollup.py)."""
from itertools import combinations

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
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
GRAINS = {
    'monthly_rollup': ('unit_id', 'month', 'service_id', 'staff_id', 'flag_state'),
    'unit_month_rollup': ('unit_id', 'month', 'flag_state'),
}
TYPES = {'unit_id': sa.Integer, 'month': sa.Date, 'service_id': sa.Integer, 'staff_id': sa.Integer,
         'flag_state': sa.SmallInteger}


def _create(name, keys):
    op.create_table(name,
    *(sa.Column(key, TYPES[key](), nullable=False) for key in keys),
    *(sa.Column(stat, sa.BigInteger(), nullable=False) for stat in STAT_COLUMNS),
    sa.CheckConstraint('flag_state IN (0, 1, 2)', name=op.f(f'ck_{name}_flag_state')),
    sa.CheckConstraint('n >= 0 AND n <= responses AND perfect <= n', name=op.f(f'ck_{name}_counts')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f(f'fk_{name}_unit_id_unit')),
    sa.PrimaryKeyConstraint(*keys, name=op.f(f'pk_{name}'))
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(f'ix_{name}_month', ['month'], unique=False)
        if 'staff_id' in keys:
            batch_op.create_index(batch_op.f(f'ix_{name}_staff_id'), ['staff_id'], unique=False)


def _fill(name, keys, source, month):
    """INSERT … SELECT … GROUP BY: the cells of `source` summed per key (empty cells left out)."""
    columns = ', '.join((*keys, *STAT_COLUMNS))
    selected = ', '.join((*(month if key == 'month' else key for key in keys),
                          *(f'SUM({stat})' for stat in STAT_COLUMNS)))
    grouped = ', '.join(month if key == 'month' else key for key in keys)
    op.execute(f'INSERT INTO {name} ({columns}) SELECT {selected} FROM {source} '
               f'GROUP BY {grouped} HAVING SUM(responses) > 0')


def upgrade():
    for name, keys in GRAINS.items():
        _create(name, keys)
    if op.get_bind().dialect.name == 'postgresql':
        day_month = "CAST(date_trunc('month', CAST(day AS timestamp)) AS date)"
    else:
        day_month = "date(day, 'start of month')"
    _fill('monthly_rollup', GRAINS['monthly_rollup'], 'daily_rollup', day_month)
    _fill('unit_month_rollup', GRAINS['unit_month_rollup'], 'monthly_rollup', 'month')


def downgrade():
    for name, keys in reversed(GRAINS.items()):
        with op.batch_alter_table(name, schema=None) as batch_op:
            if 'staff_id' in keys:
                batch_op.drop_index(batch_op.f(f'ix_{name}_staff_id'))
            batch_op.drop_index(f'ix_{name}_month')
        op.drop_table(name)
