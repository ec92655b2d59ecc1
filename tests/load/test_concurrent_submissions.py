"""Under gunicorn with concurrent clients, every submission counts exactly once, and views of the
public unit page that fold the roll-up queue while citizens submit leave in it only what arrived
after each fold began.

On PostgreSQL: 4 worker processes × 4 threads; on SQLite 2 × 2 (one writer at a time). The
citizens' visits run against the app as shipped (rate limits and abuse checks on), each from its
own loopback address with its own device cookie; the replays run with the limits off, so that
all 50 reach the database (the per-device limit would let only the first 5 through).
"""
from __future__ import annotations

import random
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from surveys.models import Response, RollupPending
from surveys.reporting import rollup
from tests.factories import full_answers, hidden_fields, make_unit
from tests.load.http_client import Browser
from tests.rollup.test_rollup_matches_raw import _snapshot

pytestmark = pytest.mark.load

CITIZENS = 200
REPLAYS = 50
CLIENT_THREADS = 64
WAVE = 40  # submissions sent at once while the public page is viewed


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


def visit(base_url: str, number: int, code: str) -> tuple[int, int, int, str]:
    """One citizen from 127.0.0.<number>: form, submission, receipt; the statuses and receipt."""
    browser = Browser(base_url, source=f"127.0.{number // 250}.{number % 250 + 2}")
    page = browser.get(f"/s/{code}")
    if page.status != 200:
        return page.status, 0, 0, ""
    posted = browser.post(f"/s/{code}", {**hidden_fields(page.text), **answers(number)})
    if posted.status != 303:
        return 200, posted.status, 0, ""
    receipt = urllib.parse.urlsplit(posted.location).path
    thanks = browser.get(receipt)
    shown = receipt.rsplit("/", 1)[1]
    return 200, 303, thanks.status, shown if shown in thanks.text else ""


def test_concurrent_visits_each_count_once(shipped_gunicorn_server, db):
    base_url, _backend = shipped_gunicorn_server
    code = make_unit(db.session).counter_code  # all at one counter: a shared limit refuses none
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        visits = list(pool.map(lambda number: visit(base_url, number, code), range(CITIZENS)))
    statuses = [status for *status, _ in visits]
    assert statuses == [[200, 303, 200]] * CITIZENS, {tuple(s) for s in statuses}
    receipts = {receipt for *_, receipt in visits}
    assert len(receipts) == CITIZENS and "" not in receipts  # each shown its own receipt
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


def test_page_views_racing_submissions_keep_the_queue_to_one_folds_worth(gunicorn_server, db):
    base_url, _backend = gunicorn_server
    fixture = make_unit(db.session)
    code, unit_page = fixture.counter_code, f"/unit/{fixture.unit.code}"
    engine, stop, statuses, leftovers, folded = db.engine, threading.Event(), [], [], []

    def viewer():
        public = Browser(base_url)
        with Session(engine) as session:
            while not stop.is_set():
                before = set(session.scalars(select(RollupPending.response_id)))
                session.commit()  # what was queued when this view began
                statuses.append(public.get(unit_page).status)
                left = set(session.scalars(select(RollupPending.response_id)))
                session.commit()
                folded.append(len(before))
                leftovers.append(before & left)

    def wait_for_views(count: int) -> None:
        deadline = time.monotonic() + 120
        while len(folded) < count and time.monotonic() < deadline:
            time.sleep(0.05)

    viewing = threading.Thread(target=viewer)
    viewing.start()
    replies = []
    try:
        with ThreadPoolExecutor(CLIENT_THREADS) as pool:
            forms = list(pool.map(lambda _: open_form(base_url, code), range(CITIZENS)))
            for wave in range(0, CITIZENS, WAVE):  # each wave races the views, then two more
                replies += pool.map(
                    lambda numbered: numbered[1][0].post(
                        f"/s/{code}", {**numbered[1][1], **answers(numbered[0])}),
                    list(enumerate(forms))[wave:wave + WAVE])
                wait_for_views(len(folded) + 2)
    finally:
        stop.set()
        viewing.join(timeout=120)
    assert [reply.status for reply in replies] == [303] * CITIZENS, {r.status for r in replies}
    assert set(statuses) == {200}
    # How many views find rows queued depends on timing; that some do, and none leaves an
    # earlier row behind, does not.
    assert any(folded), "no view found submissions to fold"
    assert not any(leftovers), "a view left rows queued before it began"
    assert Browser(base_url).get(unit_page).status == 200
    assert response_count(db) == CITIZENS
    assert db.session.scalar(select(func.count()).select_from(RollupPending)) == 0
    cells = _snapshot(db)
    assert sum(row["responses"] for row in cells.values()) == CITIZENS
    rollup.rebuild(db.session)
    db.session.commit()
    assert _snapshot(db) == cells
