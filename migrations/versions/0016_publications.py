"""`publication` and `publication_comment`: a unit's results for a period frozen as a versioned
snapshot, its factual-accuracy review remarks (DESIGN §6; surveys/models/publication.py)."""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('publication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('snapshot_sha256', sa.String(length=64), nullable=False),
    sa.Column('prepared_by_id', sa.Integer(), nullable=True),
    sa.Column('prepared_at', sa.DateTime(), nullable=False),
    sa.Column('review_until', sa.Date(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('correction_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'published', 'superseded')", name=op.f('ck_publication_status')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_publication_version_positive')),
    sa.ForeignKeyConstraint(['prepared_by_id'], ['app_user.id'], name=op.f('fk_publication_prepared_by_id_app_user')),
    sa.ForeignKeyConstraint(['published_by_id'], ['app_user.id'], name=op.f('fk_publication_published_by_id_app_user')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['publication.id'], name=op.f('fk_publication_supersedes_id_publication')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_publication_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication')),
    sa.UniqueConstraint('unit_id', 'period', 'version', name=op.f('uq_publication_unit_id_period_version'))
    )
    with op.batch_alter_table('publication', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publication_unit_id'), ['unit_id'], unique=False)

    op.create_table('publication_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('publication_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_label', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['app_user.id'], name=op.f('fk_publication_comment_author_id_app_user')),
    sa.ForeignKeyConstraint(['publication_id'], ['publication.id'], name=op.f('fk_publication_comment_publication_id_publication')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication_comment'))
    )
    with op.batch_alter_table('publication_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publication_comment_publication_id'), ['publication_id'], unique=False)



def downgrade():
    with op.batch_alter_table('publication_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publication_comment_publication_id'))

    op.drop_table('publication_comment')
    with op.batch_alter_table('publication', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publication_unit_id'))

    op.drop_table('publication')
