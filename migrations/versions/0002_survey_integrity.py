"""Survey integrity: respondent profile, abuse signals, tickets, api keys, reply requests, kiosks."""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# Alembic's autogenerate does not compare CHECK constraints: these are written by hand and
# tests/test_migrations.py checks them against the models.
RESPONSE_CHECKS = {
    'waiting_band_range': 'waiting_band BETWEEN 1 AND 5',
    'age_band': "age_band IN ('17-24', '25-34', '35-44', '45-54', '55-64', '65+')",
    'gender': "gender IN ('L', 'P')",
    'education': "education IN ('sd', 'smp', 'sma', 'diploma', 's1', 's2+')",
    'occupation': "occupation IN ('pns', 'tni_polri', 'swasta', 'wirausaha', 'pelajar', 'lainnya')",
    'duration_nonnegative': 'duration_seconds >= 0',
}
KIOSK_KIND = "kind IN ('counter', 'staff', 'kiosk')"
KIOSK_TARGET = (
    "(kind IN ('counter', 'kiosk') AND counter_id IS NOT NULL)"
    " OR (kind = 'staff' AND staff_id IS NOT NULL)"
)


def upgrade():
    op.create_table('unit_api_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_unit_api_key_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_api_key')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_unit_api_key_key_hash'))
    )
    with op.batch_alter_table('unit_api_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_api_key_unit_id'), ['unit_id'], unique=False)

    op.create_table('reply_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_reply_request_response_id_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_request')),
    sa.UniqueConstraint('response_id', name=op.f('uq_reply_request_response_id'))
    )
    op.create_table('ticket_redemption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('redeemed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_ticket_redemption_response_id_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_redemption')),
    sa.UniqueConstraint('nonce', name=op.f('uq_ticket_redemption_nonce')),
    sa.UniqueConstraint('response_id', name=op.f('uq_ticket_redemption_response_id'))
    )
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('waiting_band', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('age_band', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('gender', sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column('education', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('occupation', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('device_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('ip_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('duration_seconds', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_response_device_hash'), ['device_hash'], unique=False)
        for name, condition in RESPONSE_CHECKS.items():
            batch_op.create_check_constraint(op.f(f'ck_response_{name}'), condition)

    with op.batch_alter_table('touchpoint', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_touchpoint_kind'), type_='check')
        batch_op.drop_constraint(op.f('ck_touchpoint_target'), type_='check')
        batch_op.create_check_constraint(op.f('ck_touchpoint_kind'), KIOSK_KIND)
        batch_op.create_check_constraint(op.f('ck_touchpoint_target'), KIOSK_TARGET)


def downgrade():
    op.execute("DELETE FROM touchpoint WHERE kind = 'kiosk'")
    with op.batch_alter_table('touchpoint', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_touchpoint_kind'), type_='check')
        batch_op.drop_constraint(op.f('ck_touchpoint_target'), type_='check')
        batch_op.create_check_constraint(op.f('ck_touchpoint_kind'), "kind IN ('counter', 'staff')")
        batch_op.create_check_constraint(
            op.f('ck_touchpoint_target'),
            "(kind = 'counter' AND counter_id IS NOT NULL) OR (kind = 'staff' AND staff_id IS NOT NULL)",
        )

    with op.batch_alter_table('response', schema=None) as batch_op:
        for name in RESPONSE_CHECKS:
            batch_op.drop_constraint(op.f(f'ck_response_{name}'), type_='check')
        batch_op.drop_index(batch_op.f('ix_response_device_hash'))
        batch_op.drop_column('duration_seconds')
        batch_op.drop_column('ip_hash')
        batch_op.drop_column('device_hash')
        batch_op.drop_column('occupation')
        batch_op.drop_column('education')
        batch_op.drop_column('gender')
        batch_op.drop_column('age_band')
        batch_op.drop_column('waiting_band')

    op.drop_table('ticket_redemption')
    op.drop_table('reply_request')
    with op.batch_alter_table('unit_api_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_api_key_unit_id'))

    op.drop_table('unit_api_key')
