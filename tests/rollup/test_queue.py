"""The roll-up queue: submissions only queue their response; a fold (an explicit write, committed
by whoever folds) adds the queue to the cells exactly once and leaves only what arrived after it
began, even while submissions, flag changes and rebuilds go on (SQLite and PostgreSQL)."""
from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis import compute_ikm
from surveys.reporting import rollup
from surveys.responses.instruments import default_instrument
from surveys.models import Response, ResponseFlag, RollupPending
from surveys.models.rollup import FLAG_SUSPICIOUS
from surveys.reporting.aggregate import Scope
from surveys.reporting.service import index_view
from surveys.responses.submission import submit_response
from tests.factories import full_answers, hidden_fields, make_unit
from tests.rollup.raw import UNSUR, raw_frame
from tests.rollup.test_kept_current import _snapshot
from tests.rollup.test_rollup_matches_raw import assert_same_index


@pytest.fixture
def unit(db):
    fixture = make_unit(db.session)
    default_instrument(db.session)  # in service the instrument exists before any citizen answers
    db.session.commit()
    return fixture


def _queued(db) -> int:
    return db.session.scalar(select(func.count()).select_from(RollupPending))


def _form(i: int) -> dict[str, str]:
    return {code: str(1 + (i * (j + 3)) % 4) for j, code in enumerate(UNSUR)}


def _assert_equals_rebuild(db):
    """Nothing queued, every response counted once, and the cells equal a rebuild's."""
    db.session.commit()
    assert _queued(db) == 0
    folded = _snapshot(db)
    assert sum(row["responses"] for row in folded.values()) == db.session.scalar(
        select(func.count()).select_from(Response))
    rollup.rebuild(db.session)
    db.session.commit()
    assert _snapshot(db) == folded


def test_a_fold_then_a_report_counts_submissions_the_moment_they_are_stored(app, db, unit):
    """Through the real form: nothing waits for a job; reads only read, the fold before counts."""
    for i in range(12):
        client = app.test_client()  # twelve citizens' phones
        page = client.get(f"/s/{unit.counter_code}")
        posted = client.post(f"/s/{unit.counter_code}",
                             data={**hidden_fields(page.text), **_form(i)})
        assert posted.status_code == 303
    assert _queued(db) == 12
    today = datetime.now(UTC).date()
    scope = Scope(today - timedelta(days=1), today + timedelta(days=2), (unit.unit.id,))
    assert index_view(db.session, scope).responses == 0, "a read never folds"
    assert _queued(db) == 12
    rollup.fold_pending(db.session)
    db.session.commit()
    view = index_view(db.session, scope)
    assert view.responses == 12
    assert_same_index(view.result, compute_ikm(raw_frame(db.session)[UNSUR]))
    assert _queued(db) == 0
    _assert_equals_rebuild(db)


def test_folds_racing_submissions_count_each_once_and_leave_only_later_rows(db, unit):
    engine, stop, errors, folds = db.engine, threading.Event(), [], []

    def submitter(worker: int):
        try:
            for i in range(15):
                with Session(engine) as session:
                    submit_response(session, unit.counter_code, _form(i + worker),
                                    submission_key=f"race-{worker}-{i:03d}-abcdefgh")
                    session.commit()
        except Exception as error:  # reported below: a thread's failure must fail the test
            errors.append(error)

    def folder():
        try:
            while not stop.is_set():
                with Session(engine) as session:
                    before = set(session.scalars(select(RollupPending.response_id)))
                    session.commit()  # what was queued when this fold began
                    rollup.fold_pending(session)
                    session.commit()
                    left = set(session.scalars(select(RollupPending.response_id)))
                    session.commit()
                    folds.append(len(before))
                    assert not before & left, "a fold left rows queued before it began"
        except Exception as error:
            errors.append(error)

    submit_response(db.session, unit.counter_code, _form(0), submission_key="warm-up-" * 3)
    rollup.fold_pending(db.session)  # compiles the fold (~0.25 s) before the race, not during it
    db.session.commit()
    folding = threading.Thread(target=folder)
    folding.start()
    workers = [threading.Thread(target=submitter, args=(w,)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    stop.set()
    folding.join(timeout=60)
    assert errors == []
    assert sum(1 for queued in folds if queued) >= 2, "the folds raced the submissions"
    rollup.fold_pending(db.session)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 61
    _assert_equals_rebuild(db)


def test_a_flag_on_a_queued_response_is_counted_by_the_fold(db, unit):
    submit_response(db.session, unit.counter_code, full_answers(4), submission_key="q" * 20)
    db.session.commit()
    response = db.session.scalars(select(Response)).one()
    before = rollup.flag_state_of(db.session, response.id)
    db.session.add(ResponseFlag(response_id=response.id, kind="suspicious", reason="uji"))
    rollup.refresh_flags(db.session, response, before)  # queued: nothing to move yet
    rollup.fold_pending(db.session)
    db.session.commit()
    states = {key[-1]: row["responses"] for key, row in _snapshot(db).items()}
    assert states == {FLAG_SUSPICIOUS: 1}
    _assert_equals_rebuild(db)


def test_a_flag_on_a_folded_response_moves_it(db, unit):
    submit_response(db.session, unit.counter_code, full_answers(3), submission_key="m" * 20)
    rollup.fold_pending(db.session)
    db.session.commit()
    response = db.session.scalars(select(Response)).one()
    before = rollup.flag_state_of(db.session, response.id)
    db.session.add(ResponseFlag(response_id=response.id, kind="suspicious", reason="uji"))
    rollup.refresh_flags(db.session, response, before)
    db.session.commit()
    states = {key[-1]: row["responses"] for key, row in _snapshot(db).items()}
    assert states == {FLAG_SUSPICIOUS: 1}
    _assert_equals_rebuild(db)


def test_a_rebuild_leaves_queued_responses_to_the_fold(db, unit):
    for i in range(5):
        submit_response(db.session, unit.counter_code, _form(i), submission_key=f"r{i}" * 10)
    db.session.commit()
    rollup.rebuild(db.session)  # e.g. after a paper import, while citizens answer
    db.session.commit()
    assert _snapshot(db) == {}, "queued responses are not counted by the rebuild"
    assert _queued(db) == 5
    rollup.fold_pending(db.session)
    _assert_equals_rebuild(db)


def test_a_rebuild_since_a_day_and_a_fold_agree(db, unit):
    start = datetime(2026, 9, 29, 12, 0, tzinfo=UTC)
    for i in range(8):
        submit_response(db.session, unit.counter_code, _form(i), submission_key=f"d{i}" * 10,
                        now=start + timedelta(hours=6 * i))
    rollup.fold_pending(db.session)
    db.session.commit()
    rollup.rebuild(db.session, since=date(2026, 9, 30))
    _assert_equals_rebuild(db)


def _hundred_submissions(db, unit) -> None:
    for i in range(100):
        submit_response(db.session, unit.counter_code, _form(i), submission_key=f"h{i:04d}" * 4)
    db.session.commit()
    assert _queued(db) == 100


def test_flask_stats_report_folds_and_commits_the_queue(db, unit, runner):
    _hundred_submissions(db, unit)
    today = datetime.now(UTC).date()
    result = runner.invoke(args=["stats", "report", "--unit", unit.unit.code, "--json",
                                 "--from", (today - timedelta(days=1)).isoformat(),
                                 "--to", (today + timedelta(days=1)).isoformat()])
    assert result.exit_code == 0, result.output
    assert '"responses": 100' in result.output
    db.session.expire_all()
    _assert_equals_rebuild(db)


def test_flask_stats_fold_empties_the_queue(db, unit, runner):
    _hundred_submissions(db, unit)
    result = runner.invoke(args=["stats", "fold"])
    assert result.exit_code == 0, result.output
    assert "100 respons menunggu, kini 0" in result.output
    db.session.expire_all()
    _assert_equals_rebuild(db)
    again = runner.invoke(args=["stats", "fold"])
    assert "0 respons menunggu, kini 0" in again.output
