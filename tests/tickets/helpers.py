"""Shared helpers of the ticket tests: issue a token, open its form, count rows."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from surveys.models import Answer, Response, TicketRedemption
from surveys.responses.tickets import IssuedTicket, issue_ticket
from tests.factories import full_answers, hidden_fields

SECRET = "test-secret"  # tests/conftest.py gives every test app this SECRET_KEY


def issue(db, fixture, *, officer=None, service=None, code=None, now: datetime | None = None,
          **kwargs) -> IssuedTicket:
    issued = issue_ticket(
        db.session, SECRET, unit_id=fixture.unit.id,
        touchpoint_code=code or fixture.counter_code, officer_nip=officer, service_code=service,
        now=now, **kwargs)
    db.session.rollback()
    return issued


def counts(db) -> tuple[int, int, int]:
    db.session.expire_all()
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Response, Answer, TicketRedemption))


def ticket_form(client, token: str, **fields) -> dict[str, str]:
    page = client.get(f"/t/{token}")
    assert page.status_code == 200, page.text
    return {**hidden_fields(page.text), **full_answers(3), **fields}
