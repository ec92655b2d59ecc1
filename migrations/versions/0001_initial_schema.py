"""Initial schema: every table, with named constraints (CHECK included) and indexes."""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('instrument',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instrument')),
    sa.UniqueConstraint('code', 'version', name=op.f('uq_instrument_code_version'))
    )
    op.create_table('organization',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization')),
    sa.UniqueConstraint('code', name=op.f('uq_organization_code'))
    )
    op.create_table('instrument_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instrument_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('text_id', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('labels_id', sa.JSON(), nullable=False),
    sa.Column('labels_en', sa.JSON(), nullable=False),
    sa.CheckConstraint("kind IN ('unsur', 'officer', 'text')", name=op.f('ck_instrument_item_kind')),
    sa.ForeignKeyConstraint(['instrument_id'], ['instrument.id'], name=op.f('fk_instrument_item_instrument_id_instrument')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instrument_item')),
    sa.UniqueConstraint('instrument_id', 'code', name=op.f('uq_instrument_item_instrument_id_code')),
    sa.UniqueConstraint('instrument_id', 'position', name=op.f('uq_instrument_item_instrument_id_position'))
    )
    with op.batch_alter_table('instrument_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_instrument_item_instrument_id'), ['instrument_id'], unique=False)

    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=40), nullable=False),
    sa.CheckConstraint("timezone IN ('Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura')", name=op.f('ck_unit_timezone')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_unit_organization_id_organization')),
    sa.ForeignKeyConstraint(['parent_id'], ['unit.id'], name=op.f('fk_unit_parent_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit')),
    sa.UniqueConstraint('code', name=op.f('uq_unit_code'))
    )
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_parent_id'), ['parent_id'], unique=False)

    op.create_table('counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_counter_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counter')),
    sa.UniqueConstraint('unit_id', 'code', name=op.f('uq_counter_unit_id_code'))
    )
    with op.batch_alter_table('counter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counter_unit_id'), ['unit_id'], unique=False)

    op.create_table('population',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.CheckConstraint('size > 0', name=op.f('ck_population_size_positive')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_population_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_population')),
    sa.UniqueConstraint('unit_id', 'period', name=op.f('uq_population_unit_id_period'))
    )
    with op.batch_alter_table('population', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_population_unit_id'), ['unit_id'], unique=False)

    op.create_table('service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_service_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service')),
    sa.UniqueConstraint('unit_id', 'code', name=op.f('uq_service_unit_id_code'))
    )
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_unit_id'), ['unit_id'], unique=False)

    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nip', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('length(nip) = 18', name=op.f('ck_staff_nip_length')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_staff_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('nip', name=op.f('uq_staff_nip'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_unit_id'), ['unit_id'], unique=False)

    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("role IN ('admin', 'unit_manager', 'evaluator', 'staff')", name=op.f('ck_app_user_role')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_app_user_staff_id_staff')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_app_user_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('username', name=op.f('uq_app_user_username'))
    )
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_app_user_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_app_user_unit_id'), ['unit_id'], unique=False)

    op.create_table('counter_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_counter_assignment_date_order')),
    sa.ForeignKeyConstraint(['counter_id'], ['counter.id'], name=op.f('fk_counter_assignment_counter_id_counter')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_counter_assignment_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counter_assignment')),
    sa.UniqueConstraint('staff_id', 'counter_id', 'starts_on', name=op.f('uq_counter_assignment_staff_id_counter_id_starts_on'))
    )
    with op.batch_alter_table('counter_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counter_assignment_counter_id'), ['counter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_counter_assignment_staff_id'), ['staff_id'], unique=False)

    op.create_table('touchpoint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_code', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("(kind = 'counter' AND counter_id IS NOT NULL) OR (kind = 'staff' AND staff_id IS NOT NULL)", name=op.f('ck_touchpoint_target')),
    sa.CheckConstraint("kind IN ('counter', 'staff')", name=op.f('ck_touchpoint_kind')),
    sa.ForeignKeyConstraint(['counter_id'], ['counter.id'], name=op.f('fk_touchpoint_counter_id_counter')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_touchpoint_staff_id_staff')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_touchpoint_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_touchpoint')),
    sa.UniqueConstraint('public_code', name=op.f('uq_touchpoint_public_code'))
    )
    with op.batch_alter_table('touchpoint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_touchpoint_counter_id'), ['counter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_touchpoint_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_touchpoint_unit_id'), ['unit_id'], unique=False)

    op.create_table('response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt', sa.String(length=20), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.Column('instrument_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('touchpoint_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('u1', sa.SmallInteger(), nullable=True),
    sa.Column('u2', sa.SmallInteger(), nullable=True),
    sa.Column('u3', sa.SmallInteger(), nullable=True),
    sa.Column('u4', sa.SmallInteger(), nullable=True),
    sa.Column('u5', sa.SmallInteger(), nullable=True),
    sa.Column('u6', sa.SmallInteger(), nullable=True),
    sa.Column('u7', sa.SmallInteger(), nullable=True),
    sa.Column('u8', sa.SmallInteger(), nullable=True),
    sa.Column('u9', sa.SmallInteger(), nullable=True),
    sa.Column('officer_rating', sa.SmallInteger(), nullable=True),
    sa.CheckConstraint("channel IN ('counter_qr', 'staff_qr', 'ticket', 'kiosk', 'paper')", name=op.f('ck_response_channel')),
    sa.CheckConstraint('officer_rating BETWEEN 1 AND 4', name=op.f('ck_response_officer_rating_range')),
    sa.CheckConstraint('u1 BETWEEN 1 AND 4', name=op.f('ck_response_u1_range')),
    sa.CheckConstraint('u2 BETWEEN 1 AND 4', name=op.f('ck_response_u2_range')),
    sa.CheckConstraint('u3 BETWEEN 1 AND 4', name=op.f('ck_response_u3_range')),
    sa.CheckConstraint('u4 BETWEEN 1 AND 4', name=op.f('ck_response_u4_range')),
    sa.CheckConstraint('u5 BETWEEN 1 AND 4', name=op.f('ck_response_u5_range')),
    sa.CheckConstraint('u6 BETWEEN 1 AND 4', name=op.f('ck_response_u6_range')),
    sa.CheckConstraint('u7 BETWEEN 1 AND 4', name=op.f('ck_response_u7_range')),
    sa.CheckConstraint('u8 BETWEEN 1 AND 4', name=op.f('ck_response_u8_range')),
    sa.CheckConstraint('u9 BETWEEN 1 AND 4', name=op.f('ck_response_u9_range')),
    sa.ForeignKeyConstraint(['counter_id'], ['counter.id'], name=op.f('fk_response_counter_id_counter')),
    sa.ForeignKeyConstraint(['instrument_id'], ['instrument.id'], name=op.f('fk_response_instrument_id_instrument')),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_response_service_id_service')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_response_staff_id_staff')),
    sa.ForeignKeyConstraint(['touchpoint_id'], ['touchpoint.id'], name=op.f('fk_response_touchpoint_id_touchpoint')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_response_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response')),
    sa.UniqueConstraint('receipt', name=op.f('uq_response_receipt')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_response_submission_key'))
    )
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_counter_id'), ['counter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_response_instrument_id'), ['instrument_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_response_service_id'), ['service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_response_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_response_submitted_at'), ['submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_response_touchpoint_id'), ['touchpoint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_response_unit_id'), ['unit_id'], unique=False)

    op.create_table('answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('value_int', sa.Integer(), nullable=True),
    sa.Column('value_text', sa.Text(), nullable=True),
    sa.CheckConstraint('value_int IS NOT NULL OR value_text IS NOT NULL', name=op.f('ck_answer_has_value')),
    sa.ForeignKeyConstraint(['item_id'], ['instrument_item.id'], name=op.f('fk_answer_item_id_instrument_item')),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_answer_response_id_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer')),
    sa.UniqueConstraint('response_id', 'item_id', name=op.f('uq_answer_response_id_item_id'))
    )
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_response_id'), ['response_id'], unique=False)

    op.create_table('response_flag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('suspicious', 'excluded', 'objected')", name=op.f('ck_response_flag_kind')),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_response_flag_response_id_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_flag')),
    sa.UniqueConstraint('response_id', 'kind', name=op.f('uq_response_flag_response_id_kind'))
    )
    with op.batch_alter_table('response_flag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_flag_response_id'), ['response_id'], unique=False)



def downgrade():
    with op.batch_alter_table('response_flag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_flag_response_id'))

    op.drop_table('response_flag')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_response_id'))
        batch_op.drop_index(batch_op.f('ix_answer_item_id'))

    op.drop_table('answer')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_unit_id'))
        batch_op.drop_index(batch_op.f('ix_response_touchpoint_id'))
        batch_op.drop_index(batch_op.f('ix_response_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_response_staff_id'))
        batch_op.drop_index(batch_op.f('ix_response_service_id'))
        batch_op.drop_index(batch_op.f('ix_response_instrument_id'))
        batch_op.drop_index(batch_op.f('ix_response_counter_id'))

    op.drop_table('response')
    with op.batch_alter_table('touchpoint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_touchpoint_unit_id'))
        batch_op.drop_index(batch_op.f('ix_touchpoint_staff_id'))
        batch_op.drop_index(batch_op.f('ix_touchpoint_counter_id'))

    op.drop_table('touchpoint')
    with op.batch_alter_table('counter_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_counter_assignment_staff_id'))
        batch_op.drop_index(batch_op.f('ix_counter_assignment_counter_id'))

    op.drop_table('counter_assignment')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_app_user_unit_id'))
        batch_op.drop_index(batch_op.f('ix_app_user_staff_id'))

    op.drop_table('app_user')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_unit_id'))

    op.drop_table('staff')
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_unit_id'))

    op.drop_table('service')
    with op.batch_alter_table('population', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_population_unit_id'))

    op.drop_table('population')
    with op.batch_alter_table('counter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_counter_unit_id'))

    op.drop_table('counter')
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_parent_id'))
        batch_op.drop_index(batch_op.f('ix_unit_organization_id'))

    op.drop_table('unit')
    with op.batch_alter_table('instrument_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_instrument_item_instrument_id'))

    op.drop_table('instrument_item')
    op.drop_table('organization')
    op.drop_table('instrument')
