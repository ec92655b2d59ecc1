"""Submissions are written through a lean pool that does not ping before each use: a connection
the database dropped (a restart) costs a retry on a fresh one, never an error page or a double."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from surveys.instruments import default_instrument
from surveys.models import Response
from tests.factories import full_answers, hidden_fields, make_unit


def _submit(app, code: str, value: int) -> int:
    client = app.test_client()
    page = client.get(f"/s/{code}")
    return client.post(f"/s/{code}", data={**hidden_fields(page.text), **full_answers(value)}).status_code


def test_a_submission_after_the_database_dropped_the_connection_is_stored_once(app, db, database_url):
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite is a file in the process: there is no server connection to lose")
    unit = make_unit(db.session)
    default_instrument(db.session)
    db.session.commit()
    assert _submit(app, unit.counter_code, 4) == 303
    # What a restart does to every pooled connection: the server ends their backends.
    ended = db.session.execute(text(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    db.session.commit()
    assert ended >= 1, "the lean pool kept its connection"
    assert _submit(app, unit.counter_code, 3) == 303
    assert db.session.scalar(select(func.count()).select_from(Response)) == 2
