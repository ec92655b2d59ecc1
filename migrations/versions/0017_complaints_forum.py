"""`complaint` (a comment that asked for a reply, as a case in the unit's inbox) and the Forum
Konsultasi Publik: `forum_session`, `forum_decision`, `follow_up_action` (surveys/models/complaint.py,
surveys/models/forum.py)."""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('forum_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('participants', sa.JSON(), nullable=False),
    sa.Column('points', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_forum_session_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_forum_session_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_session'))
    )
    with op.batch_alter_table('forum_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_session_unit_id'), ['unit_id'], unique=False)

    op.create_table('complaint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('handler_id', sa.Integer(), nullable=True),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('replied_at', sa.DateTime(), nullable=True),
    sa.Column('public_reply', sa.Text(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('baru', 'diproses', 'selesai')", name=op.f('ck_complaint_status')),
    sa.ForeignKeyConstraint(['handler_id'], ['app_user.id'], name=op.f('fk_complaint_handler_id_app_user')),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_complaint_response_id_response')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_complaint_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint')),
    sa.UniqueConstraint('response_id', name=op.f('uq_complaint_response_id'))
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_unit_id'), ['unit_id'], unique=False)

    op.create_table('forum_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['forum_session.id'], name=op.f('fk_forum_decision_session_id_forum_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_decision'))
    )
    with op.batch_alter_table('forum_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_decision_session_id'), ['session_id'], unique=False)

    op.create_table('follow_up_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('who', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status <> 'selesai' OR evidence IS NOT NULL", name=op.f('ck_follow_up_action_done_has_evidence')),
    sa.CheckConstraint("status IN ('rencana', 'berjalan', 'selesai')", name=op.f('ck_follow_up_action_status')),
    sa.ForeignKeyConstraint(['decision_id'], ['forum_decision.id'], name=op.f('fk_follow_up_action_decision_id_forum_decision')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_follow_up_action_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_action'))
    )
    with op.batch_alter_table('follow_up_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_action_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_action_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('follow_up_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_action_unit_id'))
        batch_op.drop_index(batch_op.f('ix_follow_up_action_decision_id'))

    op.drop_table('follow_up_action')
    with op.batch_alter_table('forum_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_decision_session_id'))

    op.drop_table('forum_decision')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_unit_id'))

    op.drop_table('complaint')
    with op.batch_alter_table('forum_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_session_unit_id'))

    op.drop_table('forum_session')
