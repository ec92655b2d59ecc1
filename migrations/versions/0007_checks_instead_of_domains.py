"""The response's value rules are named CHECK constraints again on PostgreSQL (0006 made them
domains; on SQLite they never stopped being CHECKs), the burst flag's index covers the touchpoint
and the time, and the default SKM instrument is stored here, so no request ever writes it.

The seed calls the app's one definition of the instrument (`ensure_default_instrument`) through
the ORM: a later migration that changes the instrument's tables must keep this one working."""
from alembic import op
from sqlalchemy import text
from sqlalchemy.orm import Session

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

ANSWERS = ('u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9', 'officer_rating')
# 0006's domains: (base type, check over VALUE, {column: the CHECK constraint it replaced})
DOMAINS = {
    'skm_answer': ('smallint', 'VALUE BETWEEN 1 AND 4',
                   {column: f'ck_response_{column}_range' for column in ANSWERS}),
    'waiting_band_code': ('smallint', 'VALUE BETWEEN 1 AND 5',
                          {'waiting_band': 'ck_response_waiting_band_range'}),
    'nonnegative_seconds': ('integer', 'VALUE >= 0',
                            {'duration_seconds': 'ck_response_duration_nonnegative'}),
    'channel_code': ('varchar(12)',
                     "VALUE IN ('counter_qr', 'staff_qr', 'ticket', 'kiosk', 'paper')",
                     {'channel': 'ck_response_channel'}),
    'age_band_code': ('varchar(8)',
                      "VALUE IN ('17-24', '25-34', '35-44', '45-54', '55-64', '65+')",
                      {'age_band': 'ck_response_age_band'}),
    'gender_code': ('varchar(1)', "VALUE IN ('L', 'P')", {'gender': 'ck_response_gender'}),
    'education_code': ('varchar(8)', "VALUE IN ('sd', 'smp', 'sma', 'diploma', 's1', 's2+')",
                       {'education': 'ck_response_education'}),
    'occupation_code': ('varchar(12)',
                        "VALUE IN ('pns', 'tni_polri', 'swasta', 'wirausaha', 'pelajar', 'lainnya')",
                        {'occupation': 'ck_response_occupation'}),
}


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    if _postgresql():
        for domain, (base, check, constraints) in DOMAINS.items():
            for column, constraint in constraints.items():
                op.execute(f'ALTER TABLE response ALTER COLUMN {column} TYPE {base}')
                op.create_check_constraint(op.f(constraint), 'response',
                                           check.replace('VALUE', column))
            op.execute(f'DROP DOMAIN {domain}')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_touchpoint_id'))
        batch_op.create_index('ix_response_touchpoint_id_submitted_at',
                              ['touchpoint_id', 'submitted_at'], unique=False)
    from surveys.responses.instruments import ensure_default_instrument

    with Session(bind=op.get_bind()) as session:
        ensure_default_instrument(session)  # flushed into the migration's transaction


def downgrade():
    # Before 0007 the first form view created the instrument: leave it when answers refer to it.
    op.execute(text(
        "DELETE FROM instrument_item WHERE instrument_id IN (SELECT id FROM instrument AS i "
        "WHERE code = 'skm' AND version = 1 AND NOT EXISTS "
        "(SELECT 1 FROM response WHERE response.instrument_id = i.id))"))
    op.execute(text(
        "DELETE FROM instrument WHERE code = 'skm' AND version = 1 AND NOT EXISTS "
        "(SELECT 1 FROM response WHERE response.instrument_id = instrument.id)"))
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index('ix_response_touchpoint_id_submitted_at')
        batch_op.create_index(batch_op.f('ix_response_touchpoint_id'), ['touchpoint_id'],
                              unique=False)
    if _postgresql():
        for domain, (base, check, constraints) in DOMAINS.items():
            op.execute(f'CREATE DOMAIN {domain} AS {base} CHECK ({check})')
            for column, constraint in constraints.items():
                op.drop_constraint(op.f(constraint), 'response', type_='check')
                op.execute(f'ALTER TABLE response ALTER COLUMN {column} TYPE {domain}')
