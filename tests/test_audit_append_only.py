"""On a migrated database (PostgreSQL and SQLite) the audit log is append-only: an UPDATE or a
DELETE of an audit row fails in the database itself, whoever sends it."""
from __future__ import annotations

import flask_migrate
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from app import create_app
from surveys import audit
from surveys.db import db


@pytest.fixture
def migrated(migration_url, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": migration_url,
                      "SECRET_KEY": "audit-tests"})
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        flask_migrate.upgrade()
        audit.record(db.session, actor=None, action="create", entity="unit", entity_id=1,
                     after={"name": "Dinas Uji"})
        db.session.commit()
        yield
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("statement", [
    "UPDATE audit_event SET actor_label = 'penyusup'",
    "UPDATE audit_event SET after = NULL",
    "DELETE FROM audit_event",
])
def test_an_audit_row_cannot_be_changed_or_deleted(migrated, statement):
    with pytest.raises(DatabaseError):
        with db.engine.begin() as connection:
            connection.execute(text(statement))
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT actor_label, entity FROM audit_event")).all()
    assert [tuple(row) for row in rows] == [("sistem", "unit")]


def test_appending_still_works(migrated):
    audit.record(db.session, actor=None, action="update", entity="unit", entity_id=1,
                 before={"name": "Dinas Uji"}, after={"name": "Dinas Baru"})
    db.session.commit()
    with db.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM audit_event")) == 2
