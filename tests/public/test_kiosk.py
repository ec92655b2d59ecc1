"""Kiosk mode: a shared tablet at the counter returns to an empty form after each citizen,
and keeps nothing of theirs on screen, in the URL, in cookies or in the browser's cache."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from surveys.db import utcnow
from surveys.models import ReplyRequest, Response, Touchpoint
from tests.factories import full_answers, hidden_fields, make_unit

PERSONAL = {"COMMENT": "Petugas loket lambat sekali", "reply_wanted": "1",
            "reply_contact": "0812 9988 7766", "age_band": "25-34", "gender": "P"}


@pytest.fixture
def kiosk(db):
    unit = make_unit(db.session)
    touchpoint = Touchpoint(kind="kiosk", unit=unit.unit, counter=unit.counter)
    db.session.add(touchpoint)
    db.session.commit()
    return unit, touchpoint.public_code


def submit(client, code: str, **fields):
    form = {**hidden_fields(client.get(f"/s/{code}").text), **full_answers(4), **fields}
    return client.post(f"/s/{code}", data=form)


def test_kiosk_form_is_not_cached_and_not_autofilled(client, kiosk):
    unit, code = kiosk
    page = client.get(f"/s/{code}")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert re.search(r'<form method="post"[^>]* autocomplete="off">', page.text)
    assert "Maria Ndun" in page.text  # officers on duty at the kiosk's counter
    # A phone scanning a counter poster keeps the browser's ordinary behaviour.
    counter_page = client.get(f"/s/{unit.counter_code}")
    assert "no-store" not in counter_page.headers.get("Cache-Control", "")
    assert 'autocomplete="off"' not in counter_page.text


def test_kiosk_submission_is_counted_on_the_kiosk_channel(client, db, kiosk):
    unit, code = kiosk
    assert submit(client, code, staff=str(unit.officers[0].id), **PERSONAL).status_code == 303
    saved = db.session.scalars(select(Response)).one()
    assert (saved.channel, saved.counter_id, saved.staff_id) == ("kiosk", unit.counter.id,
                                                                unit.officers[0].id)
    assert saved.reply_request.contact == "0812 9988 7766"


def test_kiosk_thanks_shows_the_receipt_and_returns_to_a_fresh_form(client, db, kiosk):
    _unit, code = kiosk
    fields = hidden_fields(client.get(f"/s/{code}").text)
    posted = client.post(f"/s/{code}", data={**fields, **full_answers(4), **PERSONAL})
    thanks = client.get(posted.headers["Location"])
    receipt = db.session.scalars(select(Response.receipt)).one()
    assert thanks.status_code == 200
    assert thanks.headers["Cache-Control"] == "no-store"
    assert receipt in thanks.text
    fresh = f"/s/{code}?lang=id"
    assert f'<meta http-equiv="refresh" content="10;url={fresh}">' in thanks.text
    assert re.search(rf'<a class="btn" id="new-survey" href="{re.escape(fresh)}">Isi survei baru</a>',
                     thanks.text)
    # Nothing the citizen wrote or chose is on the page, in its URL or in a cookie.
    set_cookies = " ".join(posted.headers.getlist("Set-Cookie") + thanks.headers.getlist("Set-Cookie"))
    with client.session_transaction() as session:
        stored = set_cookies + json.dumps(dict(session))
    for value in PERSONAL.values():
        if len(value) > 2:
            assert value not in thanks.text
            assert value not in posted.headers["Location"]
            assert value not in stored
    # The next citizen gets an empty form with a new one-time key.
    next_form = client.get(fresh)
    assert next_form.status_code == 200
    assert not re.search(r" (checked|selected)[ >]", next_form.text)
    assert "Petugas loket lambat" not in next_form.text and "0812 9988" not in next_form.text
    assert hidden_fields(next_form.text)["submission_key"] != fields["submission_key"]


def test_kiosk_resets_to_bahasa_indonesia_for_the_next_citizen(client, kiosk):
    _unit, code = kiosk
    client.get(f"/s/{code}?lang=en")
    posted = submit(client, code)
    thanks = client.get(posted.headers["Location"])
    assert '<html lang="en">' in thanks.text  # the citizen reads the receipt in their language
    fresh = re.search(r'id="new-survey" href="([^"]+)"', thanks.text).group(1)
    assert '<html lang="id">' in client.get(fresh).text
    assert '<html lang="id">' in client.get(f"/s/{code}").text  # the choice is not passed on


def test_kiosk_receipt_is_shown_only_briefly(client, db, kiosk):
    _unit, code = kiosk
    thanks_url = submit(client, code).headers["Location"]
    assert client.get(thanks_url).status_code == 200
    response = db.session.scalars(select(Response)).one()
    response.submitted_at = utcnow() - timedelta(minutes=3)
    db.session.commit()
    later = client.get(thanks_url)
    assert later.status_code == 303
    assert later.headers["Location"] == f"/s/{code}?lang=id"
    assert response.receipt not in later.text


def test_two_citizens_on_one_kiosk_are_two_responses(client, db, kiosk):
    _unit, code = kiosk
    submit(client, code, **PERSONAL)
    submit(client, code, COMMENT="Ruang tunggu nyaman")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 2
    assert db.session.scalar(select(func.count()).select_from(ReplyRequest)) == 1


def test_thanks_on_a_phone_has_no_refresh(client, kiosk):
    unit, _code = kiosk
    thanks = client.get(submit(client, unit.counter_code).headers["Location"])
    assert thanks.status_code == 200
    assert "http-equiv" not in thanks.text and "new-survey" not in thanks.text


def test_revoked_kiosk_refuses_and_saves_nothing(client, db, kiosk):
    _unit, code = kiosk
    fields = hidden_fields(client.get(f"/s/{code}").text)
    touchpoint = db.session.scalars(select(Touchpoint).where(Touchpoint.public_code == code)).one()
    touchpoint.revoked_at = utcnow()
    db.session.commit()
    late = client.post(f"/s/{code}", data={**fields, **full_answers(4), **PERSONAL})
    assert late.status_code == 410
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    assert db.session.scalar(select(func.count()).select_from(ReplyRequest)) == 0
