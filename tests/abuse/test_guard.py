"""Honeypot, form timing, device signals and rate limits of the public form."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.public.abuse_signals import DEVICE_COOKIE
from surveys.models import Response, ResponseFlag, Touchpoint
from tests.factories import full_answers, hidden_fields, make_unit, stored_responses


@pytest.fixture
def unit(db):
    return make_unit(db.session)


def answer(client, code: str, **fields):
    form = {**hidden_fields(client.get(f"/s/{code}").text), **full_answers(3), **fields}
    return client.post(f"/s/{code}", data=form)


def test_form_carries_the_honeypot_and_a_signed_open_time(client, unit):
    page = client.get(f"/s/{unit.counter_code}")
    assert 'name="website"' in page.text and "Jangan diisi" in page.text
    assert hidden_fields(page.text)["opened_at"].startswith("form.")
    assert page.headers.get("Set-Cookie", "").startswith(f"{DEVICE_COOKIE}=")


def test_filled_honeypot_looks_accepted_but_stores_nothing(client, db, unit):
    posted = answer(client, unit.counter_code, website="http://spam.example")
    assert posted.status_code == 200
    assert "Terima kasih" in posted.text
    assert "SW-" not in posted.text  # no receipt: nothing was counted
    assert stored_responses(db) == 0


def test_signals_are_stored_as_rotating_hashes_with_the_duration(app, client, db, unit):
    app.config["ABUSE_MIN_SECONDS"] = 0
    assert answer(client, unit.counter_code).status_code == 303
    saved = db.session.scalars(select(Response)).one()
    device = client.get_cookie(DEVICE_COOKIE).value
    assert len(saved.device_hash) == 64 and device not in saved.device_hash
    assert len(saved.ip_hash) == 64 and "127.0.0.1" not in saved.ip_hash
    assert saved.duration_seconds is not None and 0 <= saved.duration_seconds < 60
    assert db.session.scalar(select(func.count()).select_from(ResponseFlag)) == 0


def test_impossibly_fast_answer_is_kept_and_flagged_with_a_reason(client, db, unit):
    assert answer(client, unit.counter_code).status_code == 303  # posted right after opening
    saved = db.session.scalars(select(Response)).one()
    flag = db.session.scalars(select(ResponseFlag)).one()
    assert (flag.response_id, flag.kind) == (saved.id, "suspicious")
    assert "terlalu cepat" in flag.reason


def test_one_device_sending_many_gets_its_later_answers_flagged(app, client, db, unit):
    app.config["ABUSE_MIN_SECONDS"] = 0
    for _ in range(4):
        assert answer(client, unit.counter_code).status_code == 303
    flagged = db.session.execute(
        select(Response.id, ResponseFlag.reason).join(ResponseFlag).order_by(Response.id)).all()
    ids = db.session.scalars(select(Response.id).order_by(Response.id)).all()
    assert [row.id for row in flagged] == ids[3:]  # the 4th within 30 minutes
    assert "satu perangkat mengirim 4 respons" in flagged[0].reason


def test_device_limit_blocks_one_phone_but_not_the_office_behind_its_ip(app, db, unit):
    app.config["RATELIMIT_SUBMIT_PER_DEVICE"] = "2 per minute"
    phone, neighbour = app.test_client(), app.test_client()
    assert [answer(phone, unit.counter_code).status_code for _ in range(2)] == [303, 303]
    refused = answer(phone, unit.counter_code)
    assert refused.status_code == 429
    assert "Terlalu banyak jawaban" in refused.text
    assert "Retry-After" in refused.headers
    # Same IP (127.0.0.1), another device: not blocked.
    assert answer(neighbour, unit.counter_code).status_code == 303
    assert stored_responses(db) == 3


def test_nothing_is_counted_per_touchpoint(app, db, unit):
    """Citizens at one counter never share a limit (the old per-touchpoint setting does nothing)."""
    app.config.update(RATELIMIT_SUBMIT_PER_TOUCHPOINT="3 per minute",
                      RATELIMIT_SUBMIT_PER_DEVICE="1 per minute")
    statuses = [answer(app.test_client(), unit.counter_code).status_code for _ in range(6)]
    assert statuses == [303] * 6
    assert stored_responses(db) == 6


def test_ip_ceiling_is_a_backstop_for_clients_that_drop_cookies(app, db, unit):
    app.config["RATELIMIT_SUBMIT_PER_IP"] = "3 per minute"
    statuses = [answer(app.test_client(), unit.counter_code).status_code for _ in range(4)]
    assert statuses == [303, 303, 303, 429]


def test_kiosk_is_not_limited_per_device(app, client, db, unit):
    app.config["RATELIMIT_SUBMIT_PER_DEVICE"] = "1 per minute"
    kiosk = Touchpoint(kind="kiosk", unit_id=unit.unit.id, counter_id=unit.counter.id)
    db.session.add(kiosk)
    db.session.commit()
    statuses = [answer(client, kiosk.public_code).status_code for _ in range(3)]
    assert statuses == [303, 303, 303]


def test_limits_can_be_switched_off(app, client, db, unit):
    app.config.update(RATELIMIT_ENABLED=False, RATELIMIT_SUBMIT_PER_DEVICE="1 per minute")
    statuses = [answer(client, unit.counter_code).status_code for _ in range(3)]
    assert statuses == [303, 303, 303]

