"""The window checks run without cron: after a fold, at most every CHECK_EVERY, from where the
last check stopped (newer responses, even back-dated ones), and never when nothing is new."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from surveys.models import ResponseFlag
from surveys.responses import upkeep
from tests.admin.test_flag_review import _add
from tests.factories import make_unit

NOW = datetime(2026, 9, 10, 4, 0, tzinfo=UTC)


def _flags(db) -> int:
    return db.session.scalar(select(func.count()).select_from(ResponseFlag))


def _run(db, code, start, answer=4):
    """Eight identical answers a minute apart: an identical run the checks flag."""
    return _add(db, code, [start + timedelta(minutes=i) for i in range(8)], answer=answer)


def test_checks_run_when_due_and_only_over_what_is_new(db):
    unit = make_unit(db.session)
    assert upkeep.fold_and_check(db.session, NOW) is None  # no response at all: nothing to do
    first = _run(db, unit.counter_code, NOW - timedelta(hours=2))
    db.session.commit()
    report = upkeep.fold_and_check(db.session, NOW)
    db.session.commit()
    assert report is not None and report.ids == set(first)

    second = _run(db, unit.counter_code, NOW + timedelta(minutes=1), answer=3)
    db.session.commit()
    soon = NOW + timedelta(minutes=2)
    assert upkeep.fold_and_check(db.session, soon) is None  # checked under 5 minutes ago
    assert _flags(db) == 8
    later = NOW + upkeep.CHECK_EVERY
    assert upkeep.fold_and_check(db.session, later).ids >= set(second)
    db.session.commit()
    assert _flags(db) == 16
    assert upkeep.fold_and_check(db.session, later + timedelta(hours=1)) is None  # nothing new

    # A back-dated batch (a bulk load stores old time stamps) is looked at from its own start.
    old = _run(db, unit.counter_code, NOW - timedelta(days=5), answer=2)
    db.session.commit()
    report = upkeep.fold_and_check(db.session, later + timedelta(hours=2))
    db.session.commit()
    assert set(old) <= report.ids and _flags(db) == 24


def test_flask_stats_fold_runs_the_checks(runner, db):
    unit = make_unit(db.session)
    _run(db, unit.counter_code, datetime.now(UTC) - timedelta(hours=1))
    db.session.commit()
    result = runner.invoke(args=["stats", "fold"])
    assert result.exit_code == 0, result.output
    assert "Pemeriksaan lonjakan: 8 respons diperiksa, 8 baru ditandai mencurigakan." in result.output
    again = runner.invoke(args=["stats", "fold"])
    assert "Pemeriksaan lonjakan" not in again.output  # nothing new since


def test_the_fold_judges_too_fast_by_the_configured_threshold(runner, db):
    """An office that sets ABUSE_MIN_SECONDS gets that threshold from the window checks too,
    not only at submission (a 3-second answer is fine under 2 s, too fast under the default 10)."""
    unit = make_unit(db.session)
    [quick] = _add(db, unit.counter_code, [datetime.now(UTC) - timedelta(minutes=10)],
                   duration_seconds=3)
    db.session.commit()
    config = current_app.config  # the commands run in the test's app context (the db fixture)
    config["ABUSE_MIN_SECONDS"] = 2
    result = runner.invoke(args=["stats", "fold"])
    assert result.exit_code == 0, result.output
    assert _flags(db) == 0
    config["ABUSE_MIN_SECONDS"] = 10
    assert runner.invoke(args=["responses", "flag-bursts", "--all"]).exit_code == 0
    reasons = db.session.scalars(select(ResponseFlag.reason)
                                 .where(ResponseFlag.response_id == quick)).all()
    assert reasons == ["terlalu cepat: formulir diisi dalam 3 detik (batas wajar 10 detik)"]
