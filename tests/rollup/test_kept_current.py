"""Each submitted response is queued for the roll-up (`submit_response`) and lands in its local
day's cell at the next fold, and the cells equal what `flask stats rollup` rebuilds from the rows."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import func, select

from analysis import compute_ikm
from surveys.reporting import rollup
from surveys.models import Instrument, Response, RollupPending
from surveys.models.rollup import DailyRollup
from surveys.responses.submission import submit_response
from tests.factories import make_unit
from tests.rollup.raw import UNSUR, raw_frame, select_rows
from tests.rollup.test_rollup_matches_raw import _snapshot, assert_same_index


def _submit_many(db, unit, count=60, seed=7, fold=True):
    """Web responses around local midnight (WITA = UTC+8: 16:00 UTC), queued for the roll-up,
    and direct ones (as an import adds them, then rebuilds) with blanks in U4 and U9; then the
    queue is folded unless `fold` is false."""
    rng = np.random.default_rng(seed)
    start = datetime(2026, 9, 29, 12, 0, tzinfo=UTC)
    for i in range(count):
        form = {code: str(rng.integers(1, 5)) for code in UNSUR}
        code = unit.counter_code if i % 3 else unit.personal_code
        if i % 3:
            form["staff"] = str(unit.officers[i % 2].id) if i % 4 else "unknown"
        if rng.random() < 0.7:
            form["OFFICER"] = str(rng.integers(1, 5))
        form["service"] = str(unit.services[i % 2].id) if i % 5 else ""
        submit_response(db.session, code, form, submission_key=f"key-{seed}-{i:04d}-abcdefgh",
                        now=start + timedelta(minutes=int(rng.integers(0, 48 * 60))))
    instrument = db.session.scalars(select(Instrument)).first()
    for i in range(count // 3):
        answers = {f"u{j}": int(rng.integers(1, 5)) for j in range(1, 10)}
        answers.update({blank: None for blank in ("u4", "u9") if rng.random() < 0.4})
        response = Response(instrument=instrument, channel="paper", unit_id=unit.unit.id,
                            staff_id=unit.officers[i % 2].id if i % 2 else None,
                            officer_rating=None, submitted_at=start + timedelta(hours=i),
                            **answers)
        db.session.add(response)
    rollup.rebuild(db.session)  # as a bulk load does: counts what is not queued
    if fold:
        rollup.fold_pending(db.session)
    db.session.commit()


def test_submitted_responses_are_in_the_rollup_as_a_rebuild_would_put_them(db):
    unit = make_unit(db.session)
    _submit_many(db, unit, fold=False)
    queued = db.session.scalar(select(func.count()).select_from(RollupPending))
    assert queued == 60, "every submission is queued, nothing else"
    assert rollup.rollup_is_current(db.session)  # counted or queued
    before_fold = sum(row["responses"] for row in _snapshot(db).values())
    assert before_fold == 20, "only the directly added rows are counted before the fold"
    rollup.fold_pending(db.session)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(RollupPending)) == 0
    assert rollup.rollup_is_current(db.session)
    incremental = _snapshot(db)
    days = {key[1] for key in incremental}
    assert len(days) >= 3, "the responses span local midnights"
    rollup.rebuild(db.session)
    assert _snapshot(db) == incremental


def test_the_same_submission_twice_counts_once_in_the_rollup(db):
    unit = make_unit(db.session)
    form = {code: "3" for code in UNSUR}
    for _ in range(2):
        submit_response(db.session, unit.counter_code, form, submission_key="same-key-0123456789")
    rollup.fold_pending(db.session)
    db.session.commit()
    total = db.session.scalar(select(DailyRollup.__table__.c.responses))
    assert total == 1


def test_rebuild_since_a_day_keeps_earlier_days(db):
    unit = make_unit(db.session)
    _submit_many(db, unit, count=40, seed=11)
    before = _snapshot(db)
    table = DailyRollup.__table__
    db.session.execute(table.delete())  # a bulk load bypassed the roll-up...
    rollup.rebuild(db.session, since=date(2026, 9, 30))  # ...and only its days are rebuilt
    after = _snapshot(db)
    assert after == {key: row for key, row in before.items() if key[1] >= date(2026, 9, 30)}
    rollup.rebuild(db.session)
    assert _snapshot(db) == before


def test_stats_report_json_agrees_with_raw_rows(runner, db):
    unit = make_unit(db.session)
    _submit_many(db, unit, count=80, seed=3)
    result = runner.invoke(args=["stats", "report", "--unit", unit.unit.code,
                                 "--from", "2026-09-29", "--to", "2026-10-01", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    rows = select_rows(raw_frame(db.session), units=[unit.unit.id], start=date(2026, 9, 29),
                       end=date(2026, 10, 2))
    expected = compute_ikm(rows[UNSUR])
    for key in ("n", "ikm", "mutu"):
        assert report[key] == getattr(expected, key)
    assert abs(report["ikm_exact"] - expected.ikm_exact) < 1e-9
    assert np.allclose(report["ci95"], expected.ci95, rtol=0, atol=1e-9)
    assert [u["code"] for u in report["unsur"]] == UNSUR
    assert report["without_flagged"]["n"] == expected.n  # nothing flagged here
    assert report["method"]
    officers = {o["nip"]: o for o in report["officers"]}
    assert set(officers) == {o.nip for o in unit.officers}
    for officer in officers.values():
        assert set(officer) >= {"nip", "n", "raw", "shrunk", "ci95", "reliability", "sufficient"}


def test_stats_report_refuses_bad_input_with_a_clear_message(runner, db):
    make_unit(db.session, code="uji")
    cases = [
        (["--unit", "tidak-ada", "--period", "2026-Q3"], "tidak ditemukan"),
        (["--unit", "uji", "--period", "2026-Q5"], "periode"),
        (["--unit", "uji", "--from", "2026-10-05", "--to", "2026-10-01"], "rentang"),
        (["--unit", "uji", "--from", "5 Oktober", "--to", "2026-10-01"], "YYYY-MM-DD"),
        (["--unit", "uji"], "--period"),
    ]
    for args, message in cases:
        result = runner.invoke(args=["stats", "report", *args])
        assert result.exit_code != 0
        assert message in result.output, result.output
    result = runner.invoke(args=["stats", "rollup", "--since", "kemarin"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output
