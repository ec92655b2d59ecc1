"""People and roles, and the audit log (issue 12).

- `role_grant`: a user's scoped grants replace `app_user.role` and `app_user.unit_id`; each
  existing user keeps what they had (an admin stays admin, a manager keeps their unit, a staff
  account its staff record; an evaluator had no named officers, so gets no grant until one is given).
- `audit_event`: append-only; a trigger refuses UPDATE and DELETE on PostgreSQL and SQLite.
- `active` on users, units, services and counters (defaults written '1'/'0': SQLite adds such a
  column in place, where an expression default would rebuild tables that others reference): what has history is deactivated, not deleted;
  `must_change_password` after an admin resets a password.
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


USERS = sa.table('app_user', sa.column('id', sa.Integer()), sa.column('role', sa.String()),
                 sa.column('unit_id', sa.Integer()), sa.column('staff_id', sa.Integer()))
GRANTS = sa.table('role_grant', sa.column('id', sa.Integer()), sa.column('user_id', sa.Integer()),
                  sa.column('role', sa.String()), sa.column('unit_id', sa.Integer()), sa.column('staff_id', sa.Integer()),
                  sa.column('created_at', sa.DateTime()))

_REFUSAL = "audit_event is append-only: its rows are never updated or deleted"
APPEND_ONLY = {
    'postgresql': [
        "CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{_REFUSAL}'; END $$",
        "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
        "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
    ],
    'sqlite': [
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
    ],
}
DROP_APPEND_ONLY = {
    'postgresql': ["DROP TRIGGER audit_event_no_truncate ON audit_event",
                   "DROP TRIGGER audit_event_append_only ON audit_event",
                   "DROP FUNCTION audit_event_append_only()"],
    'sqlite': ["DROP TRIGGER audit_event_no_update", "DROP TRIGGER audit_event_no_delete"],
}


def _grants_of_roles():
    """One grant per existing user, from the role and unit columns about to be dropped."""
    connection = op.get_bind()
    rows = []
    for user_id, role, unit_id, staff_id in connection.execute(
            sa.select(USERS.c.id, USERS.c.role, USERS.c.unit_id, USERS.c.staff_id)):
        if role == 'admin':
            rows.append({'user_id': user_id, 'role': role, 'unit_id': None, 'staff_id': None})
        elif role == 'unit_manager' and unit_id is not None:
            rows.append({'user_id': user_id, 'role': role, 'unit_id': unit_id, 'staff_id': None})
        elif role == 'staff' and staff_id is not None:
            rows.append({'user_id': user_id, 'role': role, 'unit_id': None, 'staff_id': staff_id})
    return rows


def _roles_of_grants():
    """The downgrade's way back: each user's first grant becomes their role (staff if none)."""
    first = {}
    for user_id, role, unit_id in op.get_bind().execute(
            sa.select(GRANTS.c.user_id, GRANTS.c.role, GRANTS.c.unit_id).order_by(GRANTS.c.id)):
        first.setdefault(user_id, (role, unit_id))
    return first


def upgrade():
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_event_entity_entity_id', ['entity', 'entity_id'], unique=False)
        batch_op.create_index('ix_audit_event_unit_id_at', ['unit_id', 'at'], unique=False)
    for statement in APPEND_ONLY[op.get_bind().dialect.name]:
        op.execute(statement)

    grants = _grants_of_roles()  # read before the columns go
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default='0', nullable=False))
        batch_op.drop_index(batch_op.f('ix_app_user_unit_id'))
        batch_op.drop_constraint(batch_op.f('fk_app_user_unit_id_unit'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_app_user_role'), type_='check')
        batch_op.drop_column('role')
        batch_op.drop_column('unit_id')

    op.create_table('role_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(role = 'admin' AND unit_id IS NULL AND staff_id IS NULL) OR (role = 'unit_manager' AND unit_id IS NOT NULL AND staff_id IS NULL) OR (role IN ('evaluator', 'staff') AND unit_id IS NULL AND staff_id IS NOT NULL)", name=op.f('ck_role_grant_scope')),
    sa.CheckConstraint("role IN ('admin', 'unit_manager', 'evaluator', 'staff')", name=op.f('ck_role_grant_role')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_role_grant_staff_id_staff')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_role_grant_unit_id_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_role_grant_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_grant')),
    sa.UniqueConstraint('user_id', 'role', 'unit_id', 'staff_id', name=op.f('uq_role_grant_user_id_role_unit_id_staff_id'))
    )
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_grant_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_role_grant_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_role_grant_user_id'), ['user_id'], unique=False)

    if grants:
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        op.get_bind().execute(GRANTS.insert(), [{**row, 'created_at': now} for row in grants])

    with op.batch_alter_table('counter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default='1', nullable=False))

    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default='1', nullable=False))

    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default='1', nullable=False))



def downgrade():
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_column('active')

    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_column('active')

    with op.batch_alter_table('counter', schema=None) as batch_op:
        batch_op.drop_column('active')

    roles = _roles_of_grants()  # read before role_grant goes (it blocks rebuilding app_user)
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_grant_user_id'))
        batch_op.drop_index(batch_op.f('ix_role_grant_unit_id'))
        batch_op.drop_index(batch_op.f('ix_role_grant_staff_id'))

    op.drop_table('role_grant')

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.INTEGER(), nullable=True))
        batch_op.add_column(sa.Column('role', sa.VARCHAR(length=20), nullable=False,
                                      server_default='staff'))
        batch_op.create_foreign_key(batch_op.f('fk_app_user_unit_id_unit'), 'unit', ['unit_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_app_user_unit_id'), ['unit_id'], unique=False)
        batch_op.create_check_constraint(
            batch_op.f('ck_app_user_role'), "role IN ('admin', 'unit_manager', 'evaluator', 'staff')")
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('active')
    for user_id, (role, unit_id) in roles.items():
        op.get_bind().execute(USERS.update().where(USERS.c.id == user_id)
                              .values(role=role, unit_id=unit_id))
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=sa.VARCHAR(length=20), server_default=None)

    for statement in DROP_APPEND_ONLY[op.get_bind().dialect.name]:
        op.execute(statement)
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_unit_id_at')
        batch_op.drop_index('ix_audit_event_entity_entity_id')
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
