"""Burst detection flags the planted burst with a reason and leaves normal traffic alone."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from scipy import stats
from sqlalchemy import func, select

from surveys.responses.abuse import AbuseRules, flag_bursts, poisson_threshold
from surveys.demo.load import load_demo
from surveys.demo.truth import BURST
from surveys.responses.instruments import default_instrument
from surveys.models import Counter, Response, ResponseFlag, Touchpoint, Unit
from tests.factories import make_unit


def test_demo_burst_is_flagged_and_nothing_else(db, runner):
    load_demo(db.session, date(2026, 11, 23))
    db.session.commit()
    # The burst, found from the truth (not from the detector): its counter's QR, its ten minutes.
    burst_touchpoint = db.session.scalars(
        select(Touchpoint.id).join(Counter, Touchpoint.counter_id == Counter.id)
        .join(Unit, Counter.unit_id == Unit.id)
        .where(Unit.code == BURST.unit, Counter.code == BURST.counter,
               Touchpoint.kind == "counter")).one()
    burst = set(db.session.scalars(select(Response.id).where(
        Response.touchpoint_id == burst_touchpoint,
        Response.submitted_at >= BURST.start,
        Response.submitted_at < BURST.start + timedelta(minutes=BURST.minutes))))
    assert len(burst) == BURST.count
    total = db.session.scalar(select(func.count()).select_from(Response))
    assert total > 11_000

    result = runner.invoke(args=["responses", "flag-bursts", "--all"])
    assert result.exit_code == 0, result.output
    assert "Ditandai mencurigakan: 40 respons (40 baru" in result.output
    db.session.expire_all()
    flags = db.session.execute(select(ResponseFlag.response_id, ResponseFlag.kind,
                                      ResponseFlag.reason)).all()
    assert {flag.response_id for flag in flags} == burst  # all 40, and none of the ~11,800 others
    assert {flag.kind for flag in flags} == {"suspicious"}
    for flag in flags:
        assert "lonjakan: 40 respons dalam 10 menit" in flag.reason
        assert "40 jawaban identik berturut-turut" in flag.reason

    again = runner.invoke(args=["responses", "flag-bursts", "--all"])
    assert "(0 baru" in again.output  # idempotent
    assert db.session.scalar(select(func.count()).select_from(ResponseFlag)) == BURST.count


def test_poisson_threshold_matches_scipy():
    for mean in (0.05, 0.3, 1.0, 4.2, 12.0):
        k = poisson_threshold(mean, 1e-6)
        # P(X >= k) = sf(k - 1) is below the tail, P(X >= k - 1) is not.
        assert stats.poisson.sf(k - 1, mean) < 1e-6 <= stats.poisson.sf(k - 2, mean)


def _responses(db, touchpoint_code, times, answers=None, device=None, duration=None,
               channel="counter_qr"):
    touchpoint = db.session.scalars(
        select(Touchpoint).where(Touchpoint.public_code == touchpoint_code)).one()
    instrument = default_instrument(db.session)
    rows = []
    for i, moment in enumerate(times):
        values = answers(i) if answers else {f"u{j}": 1 + (i + j) % 4 for j in range(1, 10)}
        rows.append(Response(instrument=instrument, channel=channel,
                             touchpoint_id=touchpoint.id, unit_id=touchpoint.unit_id,
                             counter_id=touchpoint.counter_id, submitted_at=moment,
                             device_hash=device, duration_seconds=duration, **values))
    db.session.add_all(rows)
    db.session.commit()
    return [row.id for row in rows]


START = datetime(2026, 9, 1, 1, 0, tzinfo=UTC)


@pytest.fixture
def unit(db):
    return make_unit(db.session)


def test_steady_busy_counter_is_not_flagged(db, unit):
    # 60 a day, every 8 minutes, for 20 working days, with varied answers.
    times = [START + timedelta(days=d, minutes=8 * i) for d in range(20) for i in range(60)]
    _responses(db, unit.counter_code, times)
    report = flag_bursts(db.session)
    assert report.inspected == len(times) and report.ids == set()


def test_volume_burst_with_varied_answers_is_flagged(db, unit):
    usual = [START + timedelta(days=d, hours=h) for d in range(10) for h in range(4)]
    normal = _responses(db, unit.counter_code, usual)
    burst_start = START + timedelta(days=10, hours=2)
    burst = _responses(db, unit.counter_code,
                       [burst_start + timedelta(seconds=20 * i) for i in range(12)])
    report = flag_bursts(db.session)
    assert report.ids == set(burst) and not report.ids & set(normal)
    assert report.by_check["identical_run"] == 0  # the answers vary: volume alone found it


def test_identical_run_is_flagged_even_at_a_normal_pace(db, unit):
    times = [START + timedelta(minutes=9 * i) for i in range(5)]
    same = _responses(db, unit.counter_code, times, answers=lambda i: {
        f"u{j}": 4 for j in range(1, 10)})
    report = flag_bursts(db.session)
    assert report.ids == set(same)
    assert report.by_check == {"touchpoint_volume": 0, "device_volume": 0,
                               "identical_run": 5, "too_fast": 0}


def test_one_device_many_answers_across_touchpoints(db, unit):
    times = [START + timedelta(minutes=3 * i) for i in range(4)]
    first = _responses(db, unit.counter_code, times[:2], device="d" * 64)
    second = _responses(db, unit.personal_code, times[2:], device="d" * 64)
    _responses(db, unit.counter_code, times, device="e" * 64, channel="kiosk")  # a kiosk: exempt
    report = flag_bursts(db.session)
    assert report.ids == set(first + second)


def test_since_limits_what_is_flagged(db, unit):
    old = _responses(db, unit.counter_code, [START + timedelta(seconds=i) for i in range(3)],
                     duration=2)
    new = _responses(db, unit.counter_code,
                     [START + timedelta(days=9, seconds=i) for i in range(3)], duration=2)
    report = flag_bursts(db.session, since=START + timedelta(days=5),
                         rules=AbuseRules(min_seconds=5))
    assert report.ids == set(new) and not report.ids & set(old)
