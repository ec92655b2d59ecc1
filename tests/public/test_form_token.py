"""The survey form's CSRF token (app/public/form_token.py): no session cookie, and a token counts
only with the device cookie and the submission key it was issued for, within its time limit."""
from __future__ import annotations

import time

import pytest
from itsdangerous import TimestampSigner

from app.public.abuse_signals import DEVICE_COOKIE
from tests.factories import full_answers, hidden_fields, make_unit, stored_responses


@pytest.fixture
def unit(db):
    return make_unit(db.session)


def filled_form(client, code: str) -> dict[str, str]:
    page = client.get(f"/s/{code}")
    assert page.status_code == 200
    return {**hidden_fields(page.text), **full_answers(3)}


def cookie_names(response) -> set[str]:
    return {header.split("=", 1)[0] for header in response.headers.getlist("Set-Cookie")}


def test_a_citizen_gets_no_session_cookie_only_the_device_cookie(client, unit):
    page = client.get(f"/s/{unit.counter_code}")
    assert cookie_names(page) == {DEVICE_COOKIE}
    device_cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in device_cookie and "SameSite=Lax" in device_cookie
    posted = client.post(f"/s/{unit.counter_code}", data={**hidden_fields(page.text),
                                                          **full_answers(3)})
    assert posted.status_code == 303
    assert cookie_names(posted) == set()
    assert client.get_cookie("session") is None


def test_a_token_counts_only_with_the_device_cookie_it_was_issued_to(app, db, unit):
    citizen, other_phone = app.test_client(), app.test_client()
    form = filled_form(citizen, unit.counter_code)
    filled_form(other_phone, unit.counter_code)  # it has a device cookie of its own
    refused = other_phone.post(f"/s/{unit.counter_code}", data=form)
    assert refused.status_code == 400
    assert "Muat ulang halaman" in refused.text
    assert stored_responses(db) == 0
    assert citizen.post(f"/s/{unit.counter_code}", data=form).status_code == 303
    assert stored_responses(db) == 1


def test_a_post_without_the_device_cookie_is_refused(client, db, unit):
    form = filled_form(client, unit.counter_code)
    client.delete_cookie(DEVICE_COOKIE)
    assert client.post(f"/s/{unit.counter_code}", data=form).status_code == 400
    assert stored_responses(db) == 0


def test_a_token_counts_only_with_the_submission_key_it_was_issued_for(client, db, unit):
    form = filled_form(client, unit.counter_code)
    other_key = hidden_fields(client.get(f"/s/{unit.counter_code}").text)["submission_key"]
    assert client.post(f"/s/{unit.counter_code}",
                       data={**form, "submission_key": other_key}).status_code == 400
    assert client.post(f"/s/{unit.counter_code}",
                       data={**form, "csrf_token": form["csrf_token"] + "x"}).status_code == 400
    assert stored_responses(db) == 0


@pytest.mark.parametrize(("margin", "status"), [(+60, 303), (-60, 400)])
def test_a_token_expires_after_the_time_limit(app, client, db, unit, monkeypatch, margin, status):
    limit = app.config["WTF_CSRF_TIME_LIMIT"]
    issued = int(time.time()) - limit + margin  # a minute inside or outside the limit
    with monkeypatch.context() as past:
        past.setattr(TimestampSigner, "get_timestamp", lambda self: issued)
        form = filled_form(client, unit.counter_code)
    assert client.post(f"/s/{unit.counter_code}", data=form).status_code == status
    assert stored_responses(db) == (1 if status == 303 else 0)


def test_a_refused_form_keeps_its_submission_key_and_gets_a_token_for_it(client, db, unit):
    form = filled_form(client, unit.counter_code)
    del form["U1"]
    refused = client.post(f"/s/{unit.counter_code}", data=form)
    assert refused.status_code == 422
    again = hidden_fields(refused.text)
    assert again["submission_key"] == form["submission_key"]
    assert client.post(f"/s/{unit.counter_code}",
                       data={**form, **again, "U1": "4"}).status_code == 303
    assert stored_responses(db) == 1
