"""The device check counts only that device's answers inside its window (the storing INSERT
returns the count, surveys/responses/store.py): older answers and kiosk answers do not count."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from surveys.db import utcnow
from surveys.models import Response, ResponseFlag
from surveys.responses.submission import Signals, submit_response
from tests.factories import full_answers, make_unit

DEVICE = Signals(device_hash="d" * 64, duration_seconds=60)


def send(db, code, when, n, signals=DEVICE, channel=None):
    for _ in range(n):
        submit_response(db.session, code, full_answers(3), submission_key=None, now=when,
                        signals=signals, channel=channel)
    db.session.commit()


def flagged_times(db) -> list:
    return list(db.session.scalars(select(Response.submitted_at).join(ResponseFlag)
                                   .order_by(Response.submitted_at)))


def test_only_answers_inside_the_window_count(db):
    unit = make_unit(db.session)
    start = utcnow().replace(microsecond=0) - timedelta(hours=2)
    send(db, unit.counter_code, start, 3)
    send(db, unit.counter_code, start + timedelta(minutes=31), 3)  # the first three are outside
    assert flagged_times(db) == []
    send(db, unit.counter_code, start + timedelta(minutes=40), 1)  # four since minute 10
    assert flagged_times(db) == [start + timedelta(minutes=40)]


def test_other_devices_and_kiosk_answers_do_not_count(db):
    unit = make_unit(db.session)
    start = utcnow().replace(microsecond=0) - timedelta(hours=1)
    send(db, unit.counter_code, start, 3, channel="kiosk")
    send(db, unit.counter_code, start, 3, signals=Signals(device_hash="e" * 64, duration_seconds=60))
    send(db, unit.counter_code, start, 3)
    assert flagged_times(db) == []
