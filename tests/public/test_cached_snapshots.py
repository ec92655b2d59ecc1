"""Submissions reuse a recently loaded touchpoint and instrument (surveys/responses/snapshots.py), yet every
rule still holds at once: the database re-checks the touchpoint, officer and service on insert."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from surveys.reporting import rollup
from surveys.db import utcnow
from surveys.models import CounterAssignment, Response, Touchpoint
from surveys.responses.snapshots import SnapshotCache
from surveys.responses.submission import submit_response
from tests.factories import full_answers, hidden_fields, make_unit, stored_responses


@pytest.fixture
def unit(db):
    return make_unit(db.session)


def two_forms(app, code: str) -> list[tuple]:
    """Two citizens' forms of one touchpoint, each with its own session cookie."""
    forms = []
    for _ in range(2):
        client = app.test_client()
        page = client.get(f"/s/{code}")
        assert page.status_code == 200
        forms.append((client, hidden_fields(page.text)))
    return forms


def test_a_code_revoked_after_a_submission_stops_counting_at_once(app, db, unit):
    (first, first_form), (second, second_form) = two_forms(app, unit.counter_code)
    counted = first.post(f"/s/{unit.counter_code}", data={**first_form, **full_answers(4)})
    assert counted.status_code == 303  # the touchpoint's snapshot is now cached
    touchpoint = db.session.scalars(
        select(Touchpoint).where(Touchpoint.public_code == unit.counter_code)).one()
    touchpoint.revoked_at = utcnow()
    db.session.commit()
    late = second.post(f"/s/{unit.counter_code}", data={**second_form, **full_answers(4)})
    assert late.status_code == 410
    assert "sudah tidak digunakan lagi" in late.text
    assert stored_responses(db) == 1


def test_an_officer_taken_off_the_counter_cannot_be_chosen_any_more(app, db, unit):
    (first, first_form), (second, second_form) = two_forms(app, unit.counter_code)
    officer = unit.officers[0]
    chosen = {**full_answers(4), "staff": str(officer.id)}
    assert first.post(f"/s/{unit.counter_code}", data={**first_form, **chosen}).status_code == 303
    assignment = db.session.scalars(
        select(CounterAssignment).where(CounterAssignment.staff_id == officer.id)).one()
    assignment.ends_on = utcnow().date() - timedelta(days=1)
    db.session.commit()
    refused = second.post(f"/s/{unit.counter_code}", data={**second_form, **chosen})
    assert refused.status_code == 422
    assert 'href="#f-staff"' in refused.text
    assert stored_responses(db) == 1


def test_another_units_officer_and_service_are_refused_with_a_cached_snapshot(app, db, unit):
    (first, first_form), (second, second_form) = two_forms(app, unit.counter_code)
    assert first.post(f"/s/{unit.counter_code}",
                      data={**first_form, **full_answers(3)}).status_code == 303
    hostile = {**second_form, **full_answers(3), "staff": str(unit.other_unit_officer.id)}
    refused = second.post(f"/s/{unit.counter_code}", data=hostile)
    assert refused.status_code == 422
    assert 'href="#f-staff"' in refused.text
    assert stored_responses(db) == 1


def test_snapshots_are_reloaded_after_their_time(db, unit):
    now = [0.0]
    cache = SnapshotCache(seconds=60, clock=lambda: now[0])
    first = cache.touchpoint(db.session, unit.counter_code)
    assert cache.touchpoint(db.session, unit.counter_code) is first
    now[0] = 61.0
    again = cache.touchpoint(db.session, unit.counter_code)
    assert again is not first and again == first
    assert again.timezone == "Asia/Makassar" and again.counter_id == unit.counter.id


def test_a_stored_time_reads_back_exactly(db, unit):
    """A submission's time stamp reads back as the same aware UTC moment, and the roll-up files it under the local day."""
    moment = utcnow().replace(hour=17, minute=30, microsecond=123456)  # 01:30 next day in WITA
    submit_response(db.session, unit.counter_code, full_answers(4), submission_key="t" * 20,
                    now=moment)
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalars(select(Response.submitted_at)).one() == moment
    from surveys.models.rollup import DailyRollup

    rollup.fold_pending(db.session)  # a submission queues its response; a read folds the queue
    day = db.session.scalars(select(DailyRollup.__table__.c.day)).one()
    assert day == moment.date() + timedelta(days=1)
    assert isinstance(day, date)
