"""Nobody can silence a counter: junk sent to it is refused to its sender only, and the next
citizen at that counter still gets a receipt (issue 15, point 1)."""
from __future__ import annotations

import secrets

import pytest

from tests.factories import full_answers, hidden_fields, make_unit, stored_responses

ATTACKER = "203.0.113.66"
CITIZEN = "198.51.100.7"


@pytest.fixture
def unit(db):
    return make_unit(db.session)


def junk(client, code: str, number: int) -> int:
    """A POST with the form's answers but no valid token: none, a forged one, or a real-looking
    device cookie with a token it was never issued."""
    form = {**full_answers(1), "submission_key": secrets.token_urlsafe(16)}
    if number % 3 == 1:
        form["csrf_token"] = f"{secrets.token_hex(4)}.{secrets.token_urlsafe(20)}"
    if number % 3 == 2:
        client.set_cookie("sw_perangkat", secrets.token_urlsafe(16))
        form["csrf_token"] = "x" * 40
    return client.post(f"/s/{code}", data=form).status_code


def test_junk_from_one_address_never_refuses_the_next_citizen(app, db, unit):
    assert app.config.get("RATELIMIT_ENABLED", True)
    app.config["RATELIMIT_SUBMIT_PER_IP"] = "60 per hour"  # so the sender's own ceiling is seen
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = ATTACKER
    statuses = [junk(attacker, unit.counter_code, number) for number in range(100)]
    # Refused ("reload the page"); past its address's ceiling the sender alone is refused (429).
    assert statuses == [400] * 60 + [429] * 40, statuses
    assert stored_responses(db) == 0

    citizen = app.test_client()
    citizen.environ_base["REMOTE_ADDR"] = CITIZEN
    page = citizen.get(f"/s/{unit.counter_code}")
    assert page.status_code == 200
    posted = citizen.post(f"/s/{unit.counter_code}",
                          data={**hidden_fields(page.text), **full_answers(3)})
    assert posted.status_code == 303, posted.text
    assert posted.headers["Location"].startswith("/terima-kasih/SW-")
    receipt = citizen.get(posted.headers["Location"])
    assert receipt.status_code == 200
    assert posted.headers["Location"].rsplit("/", 1)[1] in receipt.text
    assert stored_responses(db) == 1

