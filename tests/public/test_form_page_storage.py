"""A refused answer's summary names each question and field, and stores nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from surveys.models import Response
from tests.factories import full_answers, hidden_fields, make_unit


def test_error_summary_names_the_question_and_the_field(client, db):
    unit = make_unit(db.session)
    db.session.commit()
    form = {**hidden_fields(client.get(f"/s/{unit.counter_code}").text), **full_answers(4),
            "staff": "999999"}
    del form["U1"]
    refused = client.post(f"/s/{unit.counter_code}", data=form)
    assert refused.status_code == 422
    assert 'href="#f-U1">U1</a> (Persyaratan)' in refused.text
    assert 'href="#f-staff">staff</a> (Petugas yang melayani Anda)' in refused.text
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_form_without_errors_has_no_error_summary(client, db):
    unit = make_unit(db.session)
    db.session.commit()
    page = client.get(f"/s/{unit.counter_code}")
    assert page.status_code == 200
    assert 'id="error-summary"' not in page.text
