"""Under gunicorn with concurrent clients, every submission counts exactly once.

On PostgreSQL: 4 worker processes × 4 threads; on SQLite 2 × 2 (one writer at a time).
"""
from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from surveys.models import Response
from tests.factories import full_answers, hidden_fields, make_unit
from tests.load.http_client import Browser

pytestmark = pytest.mark.load

CITIZENS = 200
REPLAYS = 50
CLIENT_THREADS = 64


def response_count(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Response))


def open_form(base_url: str, code: str) -> tuple[Browser, dict[str, str]]:
    browser = Browser(base_url)
    page = browser.get(f"/s/{code}")
    assert page.status == 200, page.text[:500]
    return browser, hidden_fields(page.text)


def answers(seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    return {f"U{j}": str(rng.randint(1, 4)) for j in range(1, 10)}


def test_concurrent_submissions_each_count_once(gunicorn_server, db):
    base_url, _backend = gunicorn_server
    code = make_unit(db.session).counter_code
    path = f"/s/{code}"
    # The first form ever shown creates the default instrument; concurrent first requests on an
    # empty database race on that (reported, surveys/responses/instruments.py), so one citizen comes first.
    open_form(base_url, code)
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        forms = list(pool.map(lambda _: open_form(base_url, code), range(CITIZENS)))
        keys = {fields["submission_key"] for _, fields in forms}
        assert len(keys) == CITIZENS  # every rendered form is a distinct citizen
        replies = list(pool.map(
            lambda numbered: numbered[1][0].post(path, {**numbered[1][1], **answers(numbered[0])}),
            enumerate(forms),
        ))
    assert [reply.status for reply in replies] == [303] * CITIZENS, {r.status for r in replies}
    assert len({reply.location for reply in replies}) == CITIZENS  # one receipt each
    assert response_count(db) == CITIZENS


def test_concurrent_replays_of_one_form_store_one_response(gunicorn_server, db):
    base_url, _backend = gunicorn_server
    code = make_unit(db.session).counter_code
    browser, fields = open_form(base_url, code)
    form = {**fields, **full_answers(3)}
    with ThreadPoolExecutor(REPLAYS) as pool:
        replies = list(pool.map(lambda _: browser.post(f"/s/{code}", form), range(REPLAYS)))
    assert [reply.status for reply in replies] == [303] * REPLAYS, {r.status for r in replies}
    assert len({reply.location for reply in replies}) == 1  # every replay shows the same receipt
    assert response_count(db) == 1
    stored = db.session.scalars(select(Response)).one()
    assert stored.submission_key == fields["submission_key"]
    assert replies[0].location.endswith(stored.receipt)
