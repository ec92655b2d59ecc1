"""Unusual volume at a touchpoint is flagged as it is stored, with its reason, never refused
(issue 15, point 1): everyone at a counter shares it, so a refusal would silence the counter."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from surveys.db import utcnow
from surveys.models import Response, ResponseFlag
from surveys.responses.abuse import AbuseRules
from surveys.responses.submission import Signals, submit_response
from tests.factories import full_answers, make_unit


def _submit(db, code: str, when, device: int, rules: AbuseRules = AbuseRules()) -> None:
    submit_response(db.session, code, full_answers(3), submission_key=f"{device:024d}", now=when,
                    signals=Signals(device_hash=f"{device:064x}", duration_seconds=60),
                    rules=rules)
    db.session.commit()


def _flags(db) -> list[tuple[int, str]]:
    """(position in time order, reason) of every flagged response."""
    order = list(db.session.scalars(select(Response.id).order_by(Response.submitted_at,
                                                                  Response.id)))
    return [(order.index(rid), reason) for rid, reason in
            db.session.execute(select(ResponseFlag.response_id, ResponseFlag.reason)
                               .order_by(ResponseFlag.response_id))]


def test_sixty_answers_in_ten_minutes_are_all_stored_and_those_past_forty_flagged(db):
    unit = make_unit(db.session)
    start = utcnow().replace(microsecond=0) - timedelta(minutes=20)
    for device in range(60):  # 60 citizens, each on their own phone, within ten minutes
        _submit(db, unit.counter_code, start + timedelta(seconds=9 * device), device)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 60
    flags = _flags(db)
    assert [position for position, _ in flags] == list(range(40, 60))
    assert flags[0][1] == ("lonjakan di titik survei: 41 respons dalam 10 menit "
                           "(ambang 40 per 10 menit)")
    assert flags[-1][1].startswith("lonjakan di titik survei: 60 respons dalam 10 menit")


def test_only_the_touchpoints_answers_of_the_window_count(db):
    unit = make_unit(db.session)
    rules = AbuseRules(touchpoint_burst_max=3)
    start = utcnow().replace(microsecond=0) - timedelta(hours=1)
    for device in range(3):  # an earlier window, and another touchpoint now
        _submit(db, unit.counter_code, start + timedelta(seconds=device), device, rules)
        _submit(db, unit.personal_code, start + timedelta(minutes=11), 100 + device, rules)
    for device in range(3, 6):
        _submit(db, unit.counter_code, start + timedelta(minutes=11, seconds=device), device, rules)
    assert _flags(db) == []
    _submit(db, unit.counter_code, start + timedelta(minutes=12), 6, rules)
    assert [reason for _, reason in _flags(db)] == [
        "lonjakan di titik survei: 4 respons dalam 10 menit (ambang 3 per 10 menit)"]
