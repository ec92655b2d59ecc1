"""One-time tickets: counted once; forged, expired and reused tokens refused and not counted."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from surveys.db import utcnow
from surveys.models import Response, TicketRedemption, Touchpoint
from surveys.errors import TicketExpired, TicketInvalid
from surveys.responses.tickets import read_ticket
from tests.factories import full_answers, hidden_fields, make_unit
from tests.tickets.helpers import SECRET, counts, issue, ticket_form


@pytest.fixture
def unit(db):
    return make_unit(db.session)


def test_ticket_opens_its_form_with_officer_and_service_fixed(client, db, unit):
    officer, service = unit.officers[0], unit.services[1]
    issued = issue(db, unit, officer=officer.nip, service=service.code)
    page = client.get(f"/t/{issued.token}")
    assert page.status_code == 200
    assert f"<strong>{officer.name}</strong>" in page.text  # shown as fixed, not a choice
    assert 'name="staff"' not in page.text
    assert unit.services[0].name not in page.text  # only the ticket's service is offered
    assert hidden_fields(page.text)["ticket"] == issued.token


def test_ticket_counts_once_with_its_officer_and_service(client, db, unit):
    officer, service = unit.officers[0], unit.services[1]
    issued = issue(db, unit, officer=officer.nip, service=service.code)
    # The form's own choices cannot override what the ticket fixes.
    form = ticket_form(client, issued.token, staff=str(unit.officers[1].id),
                       service=str(unit.services[0].id))
    posted = client.post(f"/s/{unit.counter_code}", data=form)
    assert posted.status_code == 303
    assert client.get(posted.headers["Location"]).status_code == 200
    saved = db.session.scalars(select(Response)).one()
    assert (saved.channel, saved.staff_id, saved.service_id) == ("ticket", officer.id, service.id)
    redemption = db.session.scalars(select(TicketRedemption)).one()
    assert (redemption.nonce, redemption.response_id) == (issued.claims.nonce, saved.id)

    # A double tap of the same form is the same response, not a refusal.
    again = client.post(f"/s/{unit.counter_code}", data=form)
    assert again.status_code == 303 and again.headers["Location"] == posted.headers["Location"]
    # Opening the ticket again, or posting it on a freshly rendered form, is refused.
    reopened = client.get(f"/t/{issued.token}")
    assert reopened.status_code == 410
    assert "sudah dipakai" in reopened.text
    fresh = {**hidden_fields(client.get(f"/s/{unit.counter_code}").text), **full_answers(1),
             "ticket": issued.token}
    reused = client.post(f"/s/{unit.counter_code}", data=fresh)
    assert reused.status_code == 410
    assert "sudah dipakai" in reused.text
    assert counts(db) == (1, 0, 1)


def test_ticket_without_officer_lets_the_citizen_choose(client, db, unit):
    issued = issue(db, unit)
    form = ticket_form(client, issued.token, staff=str(unit.officers[1].id))
    assert 'name="staff"' in client.get(f"/t/{issued.token}").text
    assert client.post(f"/s/{unit.counter_code}", data=form).status_code == 303
    saved = db.session.scalars(select(Response)).one()
    assert (saved.channel, saved.staff_id) == ("ticket", unit.officers[1].id)
    assert saved.service_id is None


def test_personal_code_ticket_names_its_officer(client, db, unit):
    issued = issue(db, unit, code=unit.personal_code)
    assert issued.officer_nip == unit.officers[1].nip
    assert issued.claims.officer_ref == unit.officers[1].public_ref
    assert client.post(f"/s/{unit.personal_code}",
                       data=ticket_form(client, issued.token)).status_code == 303
    assert db.session.scalars(select(Response.staff_id)).one() == unit.officers[1].id


def test_invalid_answers_on_a_ticket_keep_the_ticket_and_save_nothing(client, db, unit):
    issued = issue(db, unit, officer=unit.officers[0].nip)
    form = ticket_form(client, issued.token)
    del form["U3"]
    refused = client.post(f"/s/{unit.counter_code}", data=form)
    assert refused.status_code == 422
    assert hidden_fields(refused.text)["ticket"] == issued.token
    assert f"<strong>{unit.officers[0].name}</strong>" in refused.text
    assert counts(db) == (0, 0, 0)
    # The ticket is still good once the answer is complete.
    assert client.post(f"/s/{unit.counter_code}", data={**form, "U3": "2"}).status_code == 303
    assert counts(db) == (1, 0, 1)


def _tampered(token: str) -> list[str]:
    body, _, signature = token.rpartition(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return [f"{body}.{flipped}", token[:-3], token[1:], "bukan-tiket", f"{token}x"]


def test_forged_tokens_are_refused_and_not_counted(client, db, unit):
    issued = issue(db, unit)
    for forged in _tampered(issued.token):
        page = client.get(f"/t/{forged}")
        assert page.status_code == 400, forged
        assert "tidak sah" in page.text
        form = {**hidden_fields(client.get(f"/s/{unit.counter_code}").text), **full_answers(4),
                "ticket": forged}
        posted = client.post(f"/s/{unit.counter_code}", data=form)
        assert posted.status_code == 400, forged
    # Signed with another secret: as forged.
    with pytest.raises(TicketInvalid):
        read_ticket("another-secret", issued.token)
    assert counts(db) == (0, 0, 0)


def test_ticket_of_one_touchpoint_cannot_be_posted_to_another(client, db, unit):
    issued = issue(db, unit)
    form = ticket_form(client, issued.token)
    assert client.post(f"/s/{unit.personal_code}", data=form).status_code == 400
    assert counts(db) == (0, 0, 0)


def test_expired_tokens_are_refused_and_not_counted(client, db, unit):
    old = issue(db, unit, now=utcnow() - timedelta(days=3, minutes=1))
    page = client.get(f"/t/{old.token}")
    assert page.status_code == 410
    assert "Masa berlaku" in page.text
    form = {**hidden_fields(client.get(f"/s/{unit.counter_code}").text), **full_answers(4),
            "ticket": old.token}
    assert client.post(f"/s/{unit.counter_code}", data=form).status_code == 410
    assert counts(db) == (0, 0, 0)
    with pytest.raises(TicketExpired):
        read_ticket(SECRET, old.token, max_age_seconds=3 * 24 * 3600)


def test_ticket_lifetime_is_configurable(app, client, db, unit):
    app.config["TICKET_MAX_AGE_SECONDS"] = 60
    issued = issue(db, unit, now=utcnow() - timedelta(seconds=90))
    assert client.get(f"/t/{issued.token}").status_code == 410
    app.config["TICKET_MAX_AGE_SECONDS"] = 3600
    assert client.get(f"/t/{issued.token}").status_code == 200


def test_ticket_of_a_revoked_code_is_refused(client, db, unit):
    issued = issue(db, unit)
    form = ticket_form(client, issued.token)
    touchpoint = db.session.scalars(
        select(Touchpoint).where(Touchpoint.public_code == unit.counter_code)).one()
    touchpoint.revoked_at = utcnow()
    db.session.commit()
    assert client.get(f"/t/{issued.token}").status_code == 410
    assert client.post(f"/s/{unit.counter_code}", data=form).status_code == 410
    assert counts(db) == (0, 0, 0)


def test_printable_ticket_shows_an_inline_qr(client, db, unit):
    issued = issue(db, unit, officer=unit.officers[0].nip)
    page = client.get(f"/t/{issued.token}/cetak")
    assert page.status_code == 200
    assert 'src="data:image/png;base64,' in page.text
    assert unit.officers[0].name in page.text
    assert counts(db) == (0, 0, 0)
