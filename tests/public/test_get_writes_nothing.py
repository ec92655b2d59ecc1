"""A GET writes nothing: on a database made by `flask db upgrade` alone (the default instrument
comes from the migrations), opening a survey form sends no INSERT, UPDATE or DELETE and no
COMMIT, counted with SQLAlchemy's engine events."""
from __future__ import annotations

import flask_migrate
from sqlalchemy import event

from app import create_app
from surveys.db import db
from tests.factories import make_unit

WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "DROP", "ALTER")


def _recorded(engine) -> tuple[list[str], list[str]]:
    statements: list[str] = []
    commits: list[str] = []
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *args: statements.append(statement))
    event.listen(engine, "commit", lambda conn: commits.append("COMMIT"))
    return statements, commits


def test_a_form_get_on_a_migrated_database_issues_no_write_and_no_commit(migration_url, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": migration_url,
                      "SECRET_KEY": "get-writes-nothing"})
    app.instance_path = str(tmp_path / "instance")
    try:
        with app.app_context():
            flask_migrate.upgrade()
            code = make_unit(db.session).counter_code  # committed
            db.session.remove()
            statements, commits = _recorded(db.engine)
        client = app.test_client()
        for path in (f"/s/{code}", f"/s/{code}?lang=en"):
            page = client.get(path)
            assert page.status_code == 200
            assert 'name="U1"' in page.text and 'name="submission_key"' in page.text
        assert statements, "the events saw no statement at all"
        writes = [s for s in statements if s.lstrip().upper().startswith(WRITES)]
        assert writes == []
        assert commits == []
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_events_do_see_a_posts_writes_and_its_commit(migration_url, tmp_path):
    """The events above do see writes and commits: a submission shows both."""
    from tests.factories import full_answers, hidden_fields

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": migration_url,
                      "SECRET_KEY": "get-writes-nothing", "RATELIMIT_ENABLED": False})
    app.instance_path = str(tmp_path / "instance")
    try:
        with app.app_context():
            flask_migrate.upgrade()
            code = make_unit(db.session).counter_code
            db.session.remove()
            statements, commits = _recorded(db.engine)
        client = app.test_client()
        first = {**hidden_fields(client.get(f"/s/{code}").text), **full_answers(4)}
        assert client.post(f"/s/{code}", data=first).status_code == 303  # makes the day's hash key
        statements.clear()
        commits.clear()
        form = {**hidden_fields(client.get(f"/s/{code}").text), **full_answers(3)}
        assert client.post(f"/s/{code}", data=form).status_code == 303
        assert any(s.lstrip().upper().startswith("INSERT") for s in statements)
        assert commits == ["COMMIT"]  # the submission's one commit
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
