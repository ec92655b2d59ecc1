"""Roll-up queue: responses stored but not yet added to the daily roll-up (folded in batches)."""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rollup_pending',
    sa.Column('response_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_rollup_pending_response_id_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', name=op.f('pk_rollup_pending'))
    )


def downgrade():
    op.drop_table('rollup_pending')
