"""The monthly grains (issue 14, national scale): each cell equals its local month's daily cells
summed and the raw computation, after submissions, folds, a flag exclusion and its restore, an
upheld objection and a `stats rollup --since`; whole months are read from them, edge days from
the daily cells (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import select

from analysis import compute_ikm
from surveys.evaluations import objections
from surveys.models import Instrument, Response, User
from surveys.models.rollup import MONTH, UNIT_MONTH
from surveys.periods import Period
from surveys.reporting import rollup
from surveys.reporting.aggregate import Scope, grouped_stats, officer_frame, scope_grain, whole_months
from surveys.reporting.service import unit_report
from surveys.responses import flag_review
from tests.factories import add_user, make_unit
from tests.rollup.grains import assert_grains_agree, grain_cells
from tests.rollup.raw import UNSUR, officer_raw_scores, raw_frame, select_rows
from tests.rollup.test_kept_current import _submit_many
from tests.rollup.test_rollup_matches_raw import TOL, _flag, _snapshot, assert_same_index

MONTHS = ("2026-09", "2026-10")  # the submissions cross the local (WITA) month boundary


def _assert_month_figures_equal_raw(db, fixture) -> None:
    """Each month's unit index (both views), one officer's index and every officer's score, read
    from the monthly grains, equal the raw rows of that local month."""
    session, unit = db.session, fixture.unit
    session.expire_all()
    frame = raw_frame(session)
    for code in MONTHS:
        period = Period.parse(code)
        within = dict(start=period.start, end=period.end)
        assert scope_grain(Scope(period.start, period.end, (unit.id,))) is UNIT_MONTH
        report = unit_report(session, unit.code, period=code, officers=False)
        for view, without in ((report.with_flagged, False), (report.without_flagged, True)):
            rows = select_rows(frame, units=[unit.id], without_flagged=without, **within)
            assert view.responses == len(rows) > 0
            assert_same_index(view.result, compute_ikm(rows[UNSUR]))
        officer = fixture.officers[1]
        assert scope_grain(Scope(period.start, period.end, staff_id=officer.id)) is MONTH
        mine = unit_report(session, unit.code, period=code, staff_id=officer.id, officers=False)
        rows = select_rows(frame, units=[unit.id], staff_id=officer.id, **within)
        assert mine.with_flagged.responses == len(rows)
        assert_same_index(mine.with_flagged.result, compute_ikm(rows[UNSUR]))
        scores = officer_frame(session, Scope(period.start, period.end)).set_index("officer")
        expected = officer_raw_scores(select_rows(frame, **within), session)
        assert sorted(scores.index) == sorted(expected.index)
        assert (scores["n"] == expected["count"]).all()
        assert np.allclose(scores["sum"] / scores["n"], expected["mean"], rtol=0, atol=TOL)


def _assert_exact(db, fixture) -> None:
    """The grains agree with the daily cells, those with a rebuild, the figures with raw rows."""
    db.session.commit()
    kept = _snapshot(db)  # asserts every monthly grain equals the daily cells summed
    kept_months = {grain: grain_cells(db.session, grain) for grain in (MONTH, UNIT_MONTH)}
    rollup.rebuild(db.session)
    db.session.commit()
    assert _snapshot(db) == kept
    assert {grain: grain_cells(db.session, grain) for grain in (MONTH, UNIT_MONTH)} == kept_months
    assert rollup.rollup_is_current(db.session)
    _assert_month_figures_equal_raw(db, fixture)


def _user(db, username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def _direct(db, fixture, moments) -> None:
    """Responses stored as a bulk load stores them (no queue), with blanks in U4."""
    instrument = db.session.scalars(select(Instrument)).first()
    rng = np.random.default_rng(5)
    for i, moment in enumerate(moments):
        answers = {f"u{j}": int(rng.integers(1, 5)) for j in range(1, 10)}
        answers["u4"] = None if i % 3 == 0 else answers["u4"]
        db.session.add(Response(instrument=instrument, channel="paper", unit_id=fixture.unit.id,
                                staff_id=fixture.officers[i % 2].id, officer_rating=3,
                                submitted_at=moment, **answers))
    db.session.commit()


def test_monthly_grains_stay_exact_through_folds_flags_objections_and_rebuilds(app, db, runner):
    fixture = make_unit(db.session)
    _submit_many(db, fixture, count=90, seed=21, fold=False)
    assert_grains_agree(db.session)  # the direct rows only, before the fold
    rollup.fold_pending(db.session)
    _assert_exact(db, fixture)
    months = {key[1] for key in grain_cells(db.session, UNIT_MONTH)}
    assert months == {date(2026, 9, 1), date(2026, 10, 1)}

    # A flag exclusion and its restore, through the flag review service.
    responses = db.session.scalars(select(Response).where(Response.unit_id == fixture.unit.id)
                                   .order_by(Response.submitted_at)).all()
    suspicious = responses[::9]
    _flag(db, suspicious, "suspicious")
    _assert_exact(db, fixture)
    ids = [response.id for response in suspicious]
    assert flag_review.decide(db.session, None, [fixture.unit.id], ids, exclude=True,
                              reason="uji") == len(ids)
    _assert_exact(db, fixture)
    assert flag_review.decide(db.session, None, [fixture.unit.id], ids, exclude=False,
                              reason="keliru") == len(ids)
    _assert_exact(db, fixture)

    # An upheld objection in each month: the response leaves its officer's cells only.
    officer = fixture.officers[1]
    add_user(db, "petugas.uji", "staff", staff_id=officer.id)
    add_user(db, "manajer.uji", "unit_manager", fixture.unit.id)
    named = db.session.scalars(select(Response).where(Response.staff_id == officer.id)
                               .order_by(Response.submitted_at)).all()
    for response in (named[0], named[-1]):
        objection = objections.file_objection(db.session, _user(db, "petugas.uji"), response.id,
                                              "Bukan saya yang melayani")
        objections.decide_objection(db.session, _user(db, "manajer.uji"), objection.id,
                                    "upheld", "Benar, petugas lain")
    db.session.commit()
    _assert_exact(db, fixture)

    # A bulk load from the middle of September on, then `stats rollup --since` that day.
    since = datetime(2026, 9, 30, tzinfo=UTC) - timedelta(hours=8)  # local midnight (WITA)
    _direct(db, fixture, [since + timedelta(hours=5 * i) for i in range(12)])
    assert not rollup.rollup_is_current(db.session)
    result = runner.invoke(args=["stats", "rollup", "--since", "2026-09-30"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert rollup.rollup_is_current(db.session)
    _assert_exact(db, fixture)


def test_month_groups_and_ranges_made_of_months_and_edge_days_equal_raw_rows(db):
    fixture = make_unit(db.session)
    _submit_many(db, fixture, count=60, seed=4)
    _direct(db, fixture, [datetime(2026, 8, 10, 3, tzinfo=UTC) + timedelta(days=3 * i)
                          for i in range(20)])  # August into the middle of October
    rollup.rebuild(db.session)
    db.session.commit()
    unit, frame = fixture.unit, raw_frame(db.session)
    by_month = grouped_stats(db.session, Scope(date(2026, 8, 1), date(2026, 11, 1), (unit.id,)),
                             by="month")
    assert sorted(by_month) == [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]
    for first, stats in by_month.items():
        after = (first + timedelta(days=32)).replace(day=1)
        rows = select_rows(frame, units=[unit.id], start=first, end=after)
        assert stats.n == len(rows)
    # 20 August - 10 October: edge days of August and October, September whole.
    start, end = date(2026, 8, 20), date(2026, 10, 11)
    assert whole_months(start, end) == (date(2026, 9, 1), date(2026, 10, 1))
    report = unit_report(db.session, unit.code, start=start, end=end - timedelta(days=1),
                         officers=False)
    rows = select_rows(frame, units=[unit.id], start=start, end=end)
    assert report.with_flagged.responses == len(rows)
    assert_same_index(report.with_flagged.result, compute_ikm(rows[UNSUR]))
    # Grouped by month over that range: the edge months hold their edge days only.
    edges = grouped_stats(db.session, Scope(start, end, (unit.id,)), by="month")
    for first, stats in edges.items():
        low, high = max(first, start), min((first + timedelta(days=32)).replace(day=1), end)
        assert stats.n == len(select_rows(frame, units=[unit.id], start=low, end=high))
    officers = officer_frame(db.session, Scope(start, end)).set_index("officer")
    expected = officer_raw_scores(select_rows(frame, start=start, end=end), db.session)
    assert (officers["n"] == expected["count"]).all()
    assert np.allclose(officers["sum"] / officers["n"], expected["mean"], rtol=0, atol=TOL)


@pytest.mark.parametrize(("scope", "keys", "grain"), [
    (Scope(date(2026, 7, 1), date(2026, 10, 1)), ("unit_id",), UNIT_MONTH),
    (Scope(date(2026, 7, 1), date(2026, 10, 1)), ("month",), UNIT_MONTH),
    (Scope(date(2026, 7, 1), date(2026, 10, 1), (1,)), ("service_id",), MONTH),
    (Scope(date(2026, 7, 1), date(2026, 10, 1), staff_id=3), (), MONTH),
    (Scope(date(2026, 7, 1), date(2026, 10, 1)), ("staff_id",), MONTH),
    (Scope(date(2026, 7, 1), date(2026, 10, 1), counter_id=2), (), None),
    (Scope(date(2026, 7, 1), date(2026, 10, 1)), ("staff_id", "service_id", "channel"), None),
])
def test_each_read_takes_the_coarsest_grain_that_has_its_keys(scope, keys, grain):
    assert scope_grain(scope, keys) is grain


def test_whole_months_of_a_span():
    assert whole_months(date(2026, 7, 1), date(2026, 10, 1)) == (date(2026, 7, 1), date(2026, 10, 1))
    assert whole_months(date(2026, 12, 2), date(2027, 2, 1)) == (date(2027, 1, 1), date(2027, 2, 1))
    assert whole_months(date(2026, 9, 2), date(2026, 9, 30)) is None
    assert whole_months(date(2026, 9, 15), date(2026, 10, 15)) is None

