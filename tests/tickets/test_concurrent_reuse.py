"""Two sessions using one ticket at the same time store one response: the nonce's unique key."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.models import Response, TicketRedemption
from surveys.responses.submission import submit_response
from surveys.errors import TicketUsed
from surveys.responses.tickets import read_ticket
from tests.factories import full_answers, make_unit
from tests.tickets.helpers import SECRET, counts, issue, ticket_form


@pytest.fixture
def unit(db):
    return make_unit(db.session)


def test_concurrent_sessions_redeem_a_ticket_once(db, unit):
    issued = issue(db, unit, officer=unit.officers[0].nip)
    claims = read_ticket(SECRET, issued.token)
    outcome: dict[str, object] = {}
    engine = db.engine
    first = Session(engine)
    submit_response(first, claims.touchpoint_code, full_answers(4), ticket=claims,
                    submission_key="a" * 24)
    # The first session's response and nonce are written, not yet committed.

    def second_session():
        with Session(engine) as second:
            try:
                submit_response(second, claims.touchpoint_code, full_answers(1), ticket=claims,
                                submission_key="b" * 24)
                second.commit()
                outcome["second"] = "stored"
            except TicketUsed:
                second.rollback()
                outcome["second"] = "refused"

    worker = threading.Thread(target=second_session)
    worker.start()
    time.sleep(0.5)  # the second session now waits on the nonce's unique index
    first.commit()
    first.close()
    worker.join(timeout=30)
    assert outcome == {"second": "refused"}
    assert counts(db) == (1, 0, 1)
    assert db.session.scalars(select(Response.u1)).one() == 4
    assert db.session.scalars(select(TicketRedemption.nonce)).one() == claims.nonce


def test_concurrent_posts_of_one_ticket_count_once(app, db, unit):
    issued = issue(db, unit)
    clients = [app.test_client() for _ in range(2)]
    forms = [ticket_form(client, issued.token) for client in clients]  # two phones, one ticket
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def post(client, form):
        barrier.wait()
        statuses.append(client.post(f"/s/{unit.counter_code}", data=form).status_code)

    threads = [threading.Thread(target=post, args=pair) for pair in zip(clients, forms)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [303, 410]
    assert counts(db) == (1, 0, 1)
