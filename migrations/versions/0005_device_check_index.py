"""The device check's index covers the device and the time: a generic plan of the submission
statement counted the device's recent answers through the time index alone, reading every
answer of the window (hundreds of rows per insert under load) instead of the device's few."""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_device_hash'))
        batch_op.create_index('ix_response_device_hash_submitted_at',
                              ['device_hash', 'submitted_at'], unique=False)


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index('ix_response_device_hash_submitted_at')
        batch_op.create_index(batch_op.f('ix_response_device_hash'), ['device_hash'], unique=False)
