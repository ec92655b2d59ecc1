"""A form without the signed time we rendered into it, or with a forged one, is a form we did not
render: refused with the "reload the page" answer, never stored clean (issue 15, point 3)."""
from __future__ import annotations

import pytest
from itsdangerous import base64_decode, base64_encode

from tests.factories import full_answers, hidden_fields, make_unit, stored_responses
from tests.tickets.helpers import counts, issue, ticket_form


@pytest.fixture
def unit(db):
    return make_unit(db.session)


def rendered(client, code: str) -> dict[str, str]:
    return {**hidden_fields(client.get(f"/s/{code}").text), **full_answers(3)}


def backdated(stamp: str, seconds: int) -> str:
    """The stamp with its time moved back (to look slow), its signature kept: a forgery."""
    value, when, signature = stamp.split(".")
    moved = int.from_bytes(base64_decode(when), "big") - seconds
    return ".".join([value, base64_encode(moved.to_bytes(4, "big")).decode(), signature])


def refused(posted) -> bool:
    return posted.status_code == 400 and "Muat ulang halaman" in posted.text


@pytest.mark.parametrize("stamp", [
    None,  # left out
    "",
    "form",
    "form.AAAAAA.palsu",  # garbage
    "x" * 500,
    "backdated",  # a real stamp moved an hour back
])
def test_a_form_without_a_genuine_open_time_is_refused(app, client, db, unit, stamp):
    form = rendered(client, unit.counter_code)
    if stamp is None:
        del form["opened_at"]
    elif stamp == "backdated":
        form["opened_at"] = backdated(form["opened_at"], 3600)
    else:
        form["opened_at"] = stamp
    assert refused(client.post(f"/s/{unit.counter_code}", data=form))
    assert stored_responses(db) == 0
    # The same citizen reloads the page and is counted.
    assert client.post(f"/s/{unit.counter_code}",
                       data=rendered(client, unit.counter_code)).status_code == 303
    assert stored_responses(db) == 1


def test_a_ticket_form_without_its_open_time_is_refused_and_the_ticket_stays_usable(
        client, db, unit):
    issued = issue(db, unit, officer=unit.officers[0].nip)
    form = ticket_form(client, issued.token)
    stamp = form.pop("opened_at")
    assert refused(client.post(f"/s/{unit.counter_code}", data=form))
    assert counts(db) == (0, 0, 0)
    assert client.post(f"/s/{unit.counter_code}",
                       data={**form, "opened_at": stamp}).status_code == 303
    assert counts(db) == (1, 0, 1)
