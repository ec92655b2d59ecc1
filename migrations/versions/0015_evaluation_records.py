"""Evaluation records (SKP) with their evidence, keberatan, objections to responses, co-worker
rounds and IKU targets; role grants gain `atasan` (atasan pejabat penilai of a named officer)."""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


SCOPE = ("(role = 'admin' AND unit_id IS NULL AND staff_id IS NULL)"
         " OR (role = 'unit_manager' AND unit_id IS NOT NULL AND staff_id IS NULL)"
         " OR (role IN ({named}) AND unit_id IS NULL AND staff_id IS NOT NULL)")


def _grant_roles(roles: str, named: str) -> None:
    """Replaces role_grant's two CHECK constraints (batch mode: SQLite rebuilds the table)."""
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_role_grant_role'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_role_grant_scope'), type_='check')
        batch_op.create_check_constraint('role', f"role IN ({roles})")
        batch_op.create_check_constraint('scope', SCOPE.format(named=named))


def upgrade():
    op.create_table('coworker_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['opened_by_id'], ['app_user.id'], name=op.f('fk_coworker_round_opened_by_id_app_user')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_coworker_round_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coworker_round'))
    )
    with op.batch_alter_table('coworker_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coworker_round_staff_id'), ['staff_id'], unique=False)

    op.create_table('evaluation_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('correction_reason', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('evaluator_snapshot', sa.JSON(), nullable=False),
    sa.Column('atasan_snapshot', sa.JSON(), nullable=True),
    sa.Column('hasil_rating', sa.String(length=10), nullable=True),
    sa.Column('perilaku_rating', sa.String(length=10), nullable=True),
    sa.Column('predikat', sa.String(length=40), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('behaviour_notes', sa.JSON(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=True),
    sa.Column('evidence_sha256', sa.String(length=64), nullable=True),
    sa.Column('coworker_evidence', sa.JSON(), nullable=True),
    sa.Column('coworker_sha256', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('shared_at', sa.DateTime(), nullable=True),
    sa.Column('finalized_at', sa.DateTime(), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("hasil_rating IS NULL OR hasil_rating IN ('di_atas', 'sesuai', 'di_bawah')", name=op.f('ck_evaluation_record_hasil')),
    sa.CheckConstraint("perilaku_rating IS NULL OR perilaku_rating IN ('di_atas', 'sesuai', 'di_bawah')", name=op.f('ck_evaluation_record_perilaku')),
    sa.CheckConstraint("status IN ('draft', 'shared', 'final')", name=op.f('ck_evaluation_record_status')),
    sa.CheckConstraint('(version = 1) = (supersedes_id IS NULL)', name=op.f('ck_evaluation_record_correction_supersedes')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_evaluation_record_version_positive')),
    sa.ForeignKeyConstraint(['evaluator_id'], ['app_user.id'], name=op.f('fk_evaluation_record_evaluator_id_app_user')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_evaluation_record_staff_id_staff')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['evaluation_record.id'], name=op.f('fk_evaluation_record_supersedes_id_evaluation_record')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_record')),
    sa.UniqueConstraint('staff_id', 'period', 'version', name=op.f('uq_evaluation_record_staff_id_period_version')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_evaluation_record_supersedes_id'))
    )
    with op.batch_alter_table('evaluation_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_record_evaluator_id'), ['evaluator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_record_staff_id'), ['staff_id'], unique=False)

    op.create_table('iku_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('indicator', sa.String(length=12), nullable=False),
    sa.Column('target', sa.Numeric(precision=5, scale=2, asdecimal=False), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("indicator IN ('ikm', 'waiting', 'responses')", name=op.f('ck_iku_target_indicator')),
    sa.CheckConstraint('target >= 0 AND target <= 100', name=op.f('ck_iku_target_target_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_iku_target_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_iku_target_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_iku_target')),
    sa.UniqueConstraint('unit_id', 'period', 'indicator', name=op.f('uq_iku_target_unit_id_period_indicator'))
    )
    with op.batch_alter_table('iku_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_iku_target_unit_id'), ['unit_id'], unique=False)

    op.create_table('coworker_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('berorientasi_pelayanan', sa.Integer(), nullable=True),
    sa.Column('akuntabel', sa.Integer(), nullable=True),
    sa.Column('kompeten', sa.Integer(), nullable=True),
    sa.Column('harmonis', sa.Integer(), nullable=True),
    sa.Column('loyal', sa.Integer(), nullable=True),
    sa.Column('adaptif', sa.Integer(), nullable=True),
    sa.Column('kolaboratif', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.CheckConstraint('adaptif IS NULL OR adaptif BETWEEN 1 AND 4', name=op.f('ck_coworker_answer_adaptif_range')),
    sa.CheckConstraint('akuntabel IS NULL OR akuntabel BETWEEN 1 AND 4', name=op.f('ck_coworker_answer_akuntabel_range')),
    sa.CheckConstraint('berorientasi_pelayanan IS NULL OR berorientasi_pelayanan BETWEEN 1 AND 4', name=op.f('ck_coworker_answer_berorientasi_pelayanan_range')),
    sa.CheckConstraint('harmonis IS NULL OR harmonis BETWEEN 1 AND 4', name=op.f('ck_coworker_answer_harmonis_range')),
    sa.CheckConstraint('kolaboratif IS NULL OR kolaboratif BETWEEN 1 AND 4', name=op.f('ck_coworker_answer_kolaboratif_range')),
    sa.CheckConstraint('kompeten IS NULL OR kompeten BETWEEN 1 AND 4', name=op.f('ck_coworker_answer_kompeten_range')),
    sa.CheckConstraint('loyal IS NULL OR loyal BETWEEN 1 AND 4', name=op.f('ck_coworker_answer_loyal_range')),
    sa.ForeignKeyConstraint(['round_id'], ['coworker_round.id'], name=op.f('fk_coworker_answer_round_id_coworker_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coworker_answer'))
    )
    with op.batch_alter_table('coworker_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coworker_answer_round_id'), ['round_id'], unique=False)

    op.create_table('coworker_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('invitee_id', sa.Integer(), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['invitee_id'], ['staff.id'], name=op.f('fk_coworker_invitation_invitee_id_staff')),
    sa.ForeignKeyConstraint(['round_id'], ['coworker_round.id'], name=op.f('fk_coworker_invitation_round_id_coworker_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coworker_invitation')),
    sa.UniqueConstraint('round_id', 'invitee_id', name=op.f('uq_coworker_invitation_round_id_invitee_id')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_coworker_invitation_token_sha256'))
    )
    with op.batch_alter_table('coworker_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coworker_invitation_round_id'), ['round_id'], unique=False)

    op.create_table('keberatan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('filed_at', sa.DateTime(), nullable=False),
    sa.Column('decision', sa.String(length=12), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("decision IS NULL OR decision IN ('dikabulkan', 'ditolak')", name=op.f('ck_keberatan_decision')),
    sa.CheckConstraint('(decision IS NULL) = (decided_at IS NULL)', name=op.f('ck_keberatan_decided_together')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['app_user.id'], name=op.f('fk_keberatan_decided_by_id_app_user')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['app_user.id'], name=op.f('fk_keberatan_filed_by_id_app_user')),
    sa.ForeignKeyConstraint(['record_id'], ['evaluation_record.id'], name=op.f('fk_keberatan_record_id_evaluation_record')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_keberatan'))
    )
    with op.batch_alter_table('keberatan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_keberatan_record_id'), ['record_id'], unique=False)

    op.create_table('response_objection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('filed_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("(status = 'pending') = (decided_at IS NULL)", name=op.f('ck_response_objection_decided_together')),
    sa.CheckConstraint("status IN ('pending', 'upheld', 'rejected')", name=op.f('ck_response_objection_status')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['app_user.id'], name=op.f('fk_response_objection_decided_by_id_app_user')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['app_user.id'], name=op.f('fk_response_objection_filed_by_id_app_user')),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_response_objection_response_id_response')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_response_objection_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_objection')),
    sa.UniqueConstraint('response_id', name=op.f('uq_response_objection_response_id'))
    )
    with op.batch_alter_table('response_objection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_objection_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_response_objection_status'), ['status'], unique=False)

    op.create_table('skp_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=500), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('realisation', sa.String(length=200), nullable=True),
    sa.Column('evidence_link', sa.String(length=500), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('iku_target_id', sa.Integer(), nullable=True),
    sa.Column('pulled', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['iku_target_id'], ['iku_target.id'], name=op.f('fk_skp_item_iku_target_id_iku_target')),
    sa.ForeignKeyConstraint(['record_id'], ['evaluation_record.id'], name=op.f('fk_skp_item_record_id_evaluation_record')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skp_item'))
    )
    with op.batch_alter_table('skp_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skp_item_iku_target_id'), ['iku_target_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_skp_item_record_id'), ['record_id'], unique=False)

    _grant_roles("'admin', 'unit_manager', 'evaluator', 'staff', 'atasan'",
                 "'evaluator', 'staff', 'atasan'")


def downgrade():
    op.execute("DELETE FROM role_grant WHERE role = 'atasan'")
    _grant_roles("'admin', 'unit_manager', 'evaluator', 'staff'", "'evaluator', 'staff'")
    with op.batch_alter_table('skp_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skp_item_record_id'))
        batch_op.drop_index(batch_op.f('ix_skp_item_iku_target_id'))

    op.drop_table('skp_item')
    with op.batch_alter_table('response_objection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_objection_status'))
        batch_op.drop_index(batch_op.f('ix_response_objection_staff_id'))

    op.drop_table('response_objection')
    with op.batch_alter_table('keberatan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_keberatan_record_id'))

    op.drop_table('keberatan')
    with op.batch_alter_table('coworker_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coworker_invitation_round_id'))

    op.drop_table('coworker_invitation')
    with op.batch_alter_table('coworker_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coworker_answer_round_id'))

    op.drop_table('coworker_answer')
    with op.batch_alter_table('iku_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_iku_target_unit_id'))

    op.drop_table('iku_target')
    with op.batch_alter_table('evaluation_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_record_staff_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_record_evaluator_id'))

    op.drop_table('evaluation_record')
    with op.batch_alter_table('coworker_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coworker_round_staff_id'))

    op.drop_table('coworker_round')
