"""The demo responses follow the stated model in `surveys.demo.truth` (one load per backend)."""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import func, select

from surveys.demo import truth
from surveys.demo.load import demo_loaded, load_demo
from surveys.models import (
    Answer,
    Counter,
    InstrumentItem,
    Response,
    ResponseFlag,
    Staff,
    Touchpoint,
    Unit,
)
from surveys.periods import Period

TODAY = date(2026, 11, 23)
COLUMNS = ["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "officer_rating"]


def _responses(session) -> pd.DataFrame:
    rows = session.execute(select(
        Response.id, Response.unit_id, Response.staff_id, Response.touchpoint_id,
        Response.channel, Response.submitted_at, *(getattr(Response, c) for c in COLUMNS)))
    frame = pd.DataFrame(rows.all(), columns=list(rows.keys()))
    frame[COLUMNS] = frame[COLUMNS].astype("float")
    return frame


def _officer_score(rows: pd.DataFrame) -> float:
    """25 x the mean over U6, U7 and the officer rating of each item's mean (blanks skipped)."""
    return 25 * rows[["u6", "u7", "officer_rating"]].mean().mean()


def test_demo_responses_follow_the_stated_truth(db):
    session = db.session
    summary = load_demo(session, TODAY)

    assert summary.created and summary.responses >= 10_000
    frame = _responses(session)
    assert len(frame) == summary.responses

    # The planted burst is there exactly as recorded, and nothing is flagged.
    touchpoint_id = session.scalar(
        select(Touchpoint.id).join(Counter, Touchpoint.counter_id == Counter.id)
        .join(Unit, Counter.unit_id == Unit.id)
        .where(Unit.code == truth.BURST.unit, Counter.code == truth.BURST.counter,
               Touchpoint.kind == "counter"))
    end = truth.BURST.start + timedelta(minutes=truth.BURST.minutes)
    in_burst = ((frame.touchpoint_id == touchpoint_id) & (frame.submitted_at >= truth.BURST.start)
                & (frame.submitted_at < end))
    burst = frame[in_burst]
    assert len(burst) == truth.BURST.count
    assert (burst[COLUMNS] == truth.BURST.answer).all().all()
    burst_officer = session.get(Staff, int(burst.staff_id.iloc[0]))
    assert burst.staff_id.nunique() == 1 and burst_officer.nip == truth.BURST.staff_nip
    assert session.scalar(select(func.count()).select_from(ResponseFlag)) == 0
    genuine = frame[~in_burst]

    # Officers: better ones score higher than worse ones; scores match the closed-form truth.
    nip_of = dict(session.execute(select(Staff.id, Staff.nip)).all())
    named = genuine.dropna(subset=["staff_id"])
    by_nip = {nip_of[int(staff_id)]: rows for staff_id, rows in named.groupby("staff_id")}
    u67 = {nip: rows[["u6", "u7"]].mean().mean() for nip, rows in by_nip.items()}
    better = [o.nip for o in truth.officers("better")]
    worse = [o.nip for o in truth.officers("worse")]
    assert min(u67[nip] for nip in better) > max(u67[nip] for nip in worse) + 0.3
    for rare in truth.officers("rare"):
        assert 1 <= len(by_nip[rare.nip]) <= 10
    busiest = max(by_nip, key=lambda nip: len(by_nip[nip]))
    assert len(by_nip[busiest]) >= 300
    assert abs(_officer_score(by_nip[busiest]) - truth.officer_true_score(busiest)) < 2.0
    for nip, rows in by_nip.items():
        if len(rows) >= 150:
            assert abs(_officer_score(rows) - truth.officer_true_score(nip)) < 3.0, nip

    # Units: the IKM of each unit and quarter is near its true expected IKM.
    code_of = dict(session.execute(select(Unit.id, Unit.code)).all())
    local_days = genuine.submitted_at.dt.tz_convert(truth.TIMEZONE).dt.date
    genuine = genuine.assign(period=[Period.quarter_of(day).code for day in local_days])
    for (unit_id, period), rows in genuine.groupby(["unit_id", "period"]):
        ikm = 25 * rows[COLUMNS[:9]].mean().mean()
        assert abs(ikm - truth.unit_true_ikm(code_of[unit_id], period)) < 3.0, (unit_id, period)

    # Some blanks, some responses without an officer, every channel, a few hundred comments.
    for column in ("u4", "u9"):
        assert 0.01 < frame[column].isna().mean() < 0.10
    assert frame[["u1", "u2", "u3", "u5", "u6", "u7", "u8"]].notna().all().all()
    assert 0.05 < frame.staff_id.isna().mean() < 0.40
    assert set(frame.channel) == {"counter_qr", "staff_qr", "kiosk", "paper"}
    comments = session.scalars(
        select(Answer.value_text).join(InstrumentItem).where(InstrumentItem.code == "COMMENT")
    ).all()
    assert 200 <= len(comments) <= 1000 and all(text.strip() for text in comments)

    # The loader flushes and never commits.
    session.rollback()
    assert not demo_loaded(session)
