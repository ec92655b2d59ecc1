"""The form page is rendered once per content and language (app/public/form_page.py), yet a revoked
code, a roster change or a renamed service shows at once, and every visitor gets their own tokens."""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from flask import template_rendered
from sqlalchemy import event, select

from app.public import form_page
from app.public.forms import survey_page
from surveys.db import db, utcnow
from surveys.models import CounterAssignment, Service, Staff, Touchpoint
from surveys.organization.touchpoints import revoke
from surveys.responses.submission import survey_form
from tests.factories import full_answers, hidden_fields, make_unit, stored_responses


@pytest.fixture
def unit(db):
    return make_unit(db.session)


@contextmanager
def renders(app):
    """The templates rendered meanwhile, by name."""
    names: list[str] = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


def cached_form(app, client, code: str):
    """A form GET once the page is cached (the first one ever stores the instrument, the next
    one renders into the cache)."""
    for _ in range(2):
        assert client.get(f"/s/{code}").status_code == 200
    with renders(app) as rendered:
        page = client.get(f"/s/{code}")
    assert page.status_code == 200
    assert rendered == []  # served from the cache
    return page


def without_tokens(html: str) -> str:
    return re.sub(r'name="(csrf_token|submission_key|opened_at)" value="[^"]*"', r"\1", html)


def test_a_revoked_code_answers_410_at_once(app, db, client, unit):
    cached_form(app, client, unit.counter_code)
    touchpoint = db.session.scalars(
        select(Touchpoint).where(Touchpoint.public_code == unit.counter_code)).one()
    revoke(db.session, touchpoint)
    db.session.commit()
    gone = client.get(f"/s/{unit.counter_code}")
    assert gone.status_code == 410
    assert "sudah tidak digunakan lagi" in gone.text


def test_a_roster_change_shows_on_the_next_page(app, db, client, unit):
    assert "Maria Ndun" in cached_form(app, client, unit.counter_code).text
    newcomer = Staff(nip="199203152019022004", name="Dewi Baru", position="Pelaksana",
                     unit=unit.unit)
    db.session.add_all([newcomer, CounterAssignment(staff=newcomer, counter=unit.counter,
                                                    starts_on=date(2026, 1, 1))])
    leaving = db.session.scalars(
        select(CounterAssignment).where(CounterAssignment.staff_id == unit.officers[0].id)).one()
    leaving.ends_on = utcnow().date() - timedelta(days=1)
    db.session.commit()
    page = client.get(f"/s/{unit.counter_code}")
    assert "Dewi Baru" in page.text
    assert "Maria Ndun" not in page.text


def test_a_renamed_service_shows_on_the_next_page(app, db, client, unit):
    cached_form(app, client, unit.counter_code)
    service = db.session.scalars(select(Service).where(Service.code == "ktp")).one()
    service.name = "KTP Elektronik"
    db.session.commit()
    assert "KTP Elektronik" in client.get(f"/s/{unit.counter_code}").text


def test_two_visitors_of_the_cached_page_get_their_own_tokens(app, db, unit):
    first, second = app.test_client(), app.test_client()
    forms = [hidden_fields(cached_form(app, visitor, unit.counter_code).text)
             for visitor in (first, second)]
    assert forms[0]["submission_key"] != forms[1]["submission_key"]
    assert forms[0]["csrf_token"] != forms[1]["csrf_token"]
    assert first.get_cookie("sw_perangkat").value != second.get_cookie("sw_perangkat").value
    for visitor, fields in zip((first, second), forms):
        assert visitor.post(f"/s/{unit.counter_code}",
                            data={**fields, **full_answers(3)}).status_code == 303
    # each token is bound to its own visitor's device cookie: swapped, they are refused
    swapped = second.post(f"/s/{unit.counter_code}", data={**forms[0], **full_answers(3)})
    assert swapped.status_code == 400
    assert stored_responses(db) == 2


@pytest.mark.parametrize("query", ["", "?lang=en"])
@pytest.mark.parametrize("which", ["counter_code", "personal_code"])
def test_the_cached_page_is_the_page_the_form_renderer_makes(app, db, unit, which, query):
    """The cached page equals the one `app.public.forms.survey_page` renders from the domain's
    `survey_form` (the renderer of refused answers and ticket forms)."""
    code = getattr(unit, which)
    cached = cached_form(app, app.test_client(), f"{code}{query}").text
    with app.test_request_context(f"/s/{code}{query}"):
        page = survey_form(db.session, code, utcnow())
        rendered, status = survey_page(page, {})
    assert status == 200
    assert without_tokens(cached) == without_tokens(rendered)


@contextmanager
def statements(app):
    """The SQL statements the app (not the test's side) sends meanwhile."""
    sent: list[str] = []

    def record(conn, cursor, statement, *args):
        sent.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_cached_form_reads_two_statements_and_the_receipt_page_one(app, client, unit):
    fields = hidden_fields(cached_form(app, client, unit.counter_code).text)
    with statements(app) as form_reads:
        assert client.get(f"/s/{unit.counter_code}").status_code == 200
    assert len(form_reads) == 2, form_reads
    stored = client.post(f"/s/{unit.counter_code}", data={**fields, **full_answers(4)})
    assert stored.status_code == 303
    with statements(app) as receipt_reads:
        thanks = client.get(stored.location)
    assert thanks.status_code == 200
    assert stored.location.rsplit("/", 1)[1] in thanks.text
    assert len(receipt_reads) == 1, receipt_reads
