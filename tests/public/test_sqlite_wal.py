"""On the embedded default (a SQLite file) a report that is reading does not hold up citizens'
submissions: the database runs in write-ahead-log mode (surveys/db.py)."""
from __future__ import annotations

import sqlite3

from sqlalchemy import func, select

from app import create_app
from surveys.db import db
from surveys.responses.instruments import ensure_default_instrument
from surveys.models import Response
from tests.factories import full_answers, hidden_fields, make_unit


def test_a_submission_is_stored_while_a_reader_holds_the_database(tmp_path):
    path = tmp_path / "embedded.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "wal",
                      "TESTING": True, "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        code = make_unit(db.session).counter_code
        ensure_default_instrument(db.session)
        db.session.commit()
    client = app.test_client()
    page = client.get(f"/s/{code}")

    reader = sqlite3.connect(path, timeout=0)  # e.g. a report halfway through its queries
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM response").fetchone() == (0,)
    try:
        # With a rollback journal the commit would wait for the reader, then fail.
        posted = client.post(f"/s/{code}", data={**hidden_fields(page.text), **full_answers(4)})
        assert posted.status_code == 303
        assert reader.execute("SELECT count(*) FROM response").fetchone() == (0,)  # its snapshot
    finally:
        reader.rollback()
        reader.close()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1
        assert db.session.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        db.engine.dispose()
