"""Random day keys for the IP and device hashes (`hash_key`, one row per UTC day, deleted once the
day is over), and a random `public_ref` per officer, which ticket tokens name instead of the NIP."""
import secrets

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hash_key',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_hash_key'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_ref', sa.String(length=22), nullable=True))
    staff = sa.table('staff', sa.column('id', sa.Integer()), sa.column('public_ref', sa.String()))
    connection = op.get_bind()
    ids = connection.execute(sa.select(staff.c.id)).scalars().all()
    if ids:
        connection.execute(
            staff.update().where(staff.c.id == sa.bindparam('staff_id'))
            .values(public_ref=sa.bindparam('ref')),
            [{'staff_id': staff_id, 'ref': secrets.token_urlsafe(16)} for staff_id in ids])
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.alter_column('public_ref', existing_type=sa.String(length=22), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_staff_public_ref'), ['public_ref'])


def downgrade():
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_staff_public_ref'), type_='unique')
        batch_op.drop_column('public_ref')
    op.drop_table('hash_key')
