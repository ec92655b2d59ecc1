"""`burst_check`: how far burst detection's window checks got, so they run after each fold of the
roll-up queue (surveys/responses/upkeep.py) without cron, from where the last check stopped."""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('burst_check',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.Column('last_response_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_burst_check_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_burst_check'))
    )


def downgrade():
    op.drop_table('burst_check')
