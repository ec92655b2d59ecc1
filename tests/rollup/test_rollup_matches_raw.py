"""Indices from the daily roll-up equal `compute_ikm` on the raw rows (1e-9), on SQLite and
PostgreSQL, for a unit with a sub-unit, a counter, an officer, a service and date ranges, with
blanks and flagged responses present (issue 4, must-show 4)."""
from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from sqlalchemy import select

from analysis import compute_ikm
from surveys.reporting import rollup
from surveys.demo.load import load_demo
from surveys.demo.truth import BURST
from surveys.models import Counter, Population, Response, ResponseFlag, Service, Staff, Unit
from surveys.models.rollup import DailyRollup
from surveys.reporting.aggregate import Scope, officer_frame
from surveys.reporting.service import unit_report, unit_tree_indices
from tests.rollup.grains import assert_grains_agree
from tests.rollup.raw import UNSUR, officer_raw_scores, raw_frame, select_rows

TOL = 1e-9


def assert_same_index(fast, slow):
    """Every number of the two results agrees to 1e-9 (and every label exactly)."""
    assert (fast.n, fast.mutu, fast.ci_method, fast.crosses_boundary) == (
        slow.n, slow.mutu, slow.ci_method, slow.crosses_boundary)
    assert fast.ikm == slow.ikm
    assert fast.ikm_exact == pytest.approx(slow.ikm_exact, abs=TOL)
    assert fast.ci95 == pytest.approx(slow.ci95, abs=TOL)
    assert fast.se == pytest.approx(slow.se, abs=TOL)
    assert fast.satisfied == pytest.approx(slow.satisfied, abs=TOL)
    assert fast.band_probability == pytest.approx(slow.band_probability, abs=TOL)
    for mine, theirs in zip(fast.unsur, slow.unsur, strict=True):
        assert (mine.code, mine.n) == (theirs.code, theirs.n)
        assert mine.nrr == pytest.approx(theirs.nrr, abs=TOL)
        assert mine.ci95 == pytest.approx(theirs.ci95, abs=TOL)


def _flag(db, responses, kind):
    """Flags through the service path: the roll-up moves each response to its new state."""
    for response in responses:
        before = rollup.flag_state_of(db.session, response.id)
        db.session.add(ResponseFlag(response_id=response.id, kind=kind, reason="uji"))
        rollup.refresh_flags(db.session, response, before)


def _snapshot(db):
    """The non-empty daily cells, after checking that the monthly grains equal them summed
    (so every comparison of snapshots covers every grain)."""
    assert_grains_agree(db.session)
    table = DailyRollup.__table__
    rows = db.session.execute(select(table)).mappings().all()
    return {tuple(row[c] for c in ("unit_id", "day", "service_id", "counter_id", "staff_id",
                                   "channel", "flag_state")): dict(row)
            for row in rows if row["responses"] != 0}


@pytest.fixture
def demo(db):
    load_demo(db.session, today=date(2026, 11, 23))
    db.session.commit()
    rollup.rebuild(db.session)
    session = db.session
    samsat = session.scalars(select(Unit).where(Unit.code == BURST.unit)).one()
    burst = session.scalars(select(Response).where(
        Response.unit_id == samsat.id, Response.submitted_at >= BURST.start,
        Response.staff_id == session.scalar(select(Staff.id).where(Staff.nip == BURST.staff_nip)),
        Response.u1 == 4).order_by(Response.submitted_at).limit(BURST.count)).all()
    _flag(db, burst, "suspicious")
    others = session.scalars(select(Response).where(Response.unit_id != samsat.id)
                             .order_by(Response.id).limit(25)).all()
    _flag(db, others[:15], "excluded")
    _flag(db, others[10:], "suspicious")  # 5 both excluded and suspicious: excluded wins
    db.session.commit()
    return raw_frame(session)


def test_flag_moves_keep_the_rollup_equal_to_a_rebuild(db, demo):
    incremental = _snapshot(db)
    rollup.rebuild(db.session)
    assert _snapshot(db) == incremental
    assert rollup.rollup_is_current(db.session)


def _ids(db, model, **where):
    return db.session.scalars(select(model.id).filter_by(**where)).one()


def test_unit_counter_officer_service_and_ranges_agree_with_raw_rows(db, demo):
    session = db.session
    frame = demo
    dukcapil = session.scalars(select(Unit).where(Unit.code == "kupang-dukcapil")).one()
    tree = [dukcapil.id, *session.scalars(select(Unit.id).where(Unit.parent_id == dukcapil.id))]
    assert len(tree) == 2, "the demo's Disdukcapil has a sub-unit"
    samsat = _ids(db, Unit, code=BURST.unit)
    counter = _ids(db, Counter, unit_id=samsat, code=BURST.counter)
    officer = _ids(db, Staff, nip=BURST.staff_nip)
    service = session.scalars(select(Service.id).where(Service.unit_id == dukcapil.id)
                              .order_by(Service.code)).first()
    population = session.scalar(select(Population.size).where(
        Population.unit_id == dukcapil.id, Population.period == "2026-Q3"))
    assert frame[UNSUR].isna().any().any(), "the demo has blanks"

    cases = [
        ("kupang-dukcapil", dict(period="2026-Q3"), dict(units=tree), population),
        ("kupang-dukcapil", dict(start=date(2026, 6, 20), end=date(2026, 7, 10)),
         dict(units=tree), None),
        ("kupang-dukcapil", dict(period="2026-10", service_id=service),
         dict(units=tree, service_id=service), None),
        (BURST.unit, dict(start=date(2026, 9, 1), end=date(2026, 9, 30), counter_id=counter),
         dict(units=[samsat], counter_id=counter), None),
        (BURST.unit, dict(period="2026-Q3", staff_id=officer),
         dict(units=[samsat], staff_id=officer), None),
        # Whole months from the monthly grains, the edge days from the daily cells.
        ("kupang-dukcapil", dict(start=date(2026, 6, 20), end=date(2026, 9, 10)),
         dict(units=tree), None),
        (BURST.unit, dict(start=date(2026, 7, 15), end=date(2026, 9, 30), staff_id=officer),
         dict(units=[samsat], staff_id=officer), None),
    ]
    for code, query, raw_filter, pop in cases:
        report = unit_report(session, code, officers=False, **query)
        end = report.end
        for view, without in ((report.with_flagged, False), (report.without_flagged, True)):
            rows = select_rows(frame, start=report.start, end=end, without_flagged=without,
                               **raw_filter)
            assert view.responses == len(rows)
            assert_same_index(view.result, compute_ikm(rows[UNSUR], population=pop))
    # The planted burst was flagged: the counter's two views differ, and by exactly its rows.
    counter_report = unit_report(session, BURST.unit, start=date(2026, 9, 1),
                                 end=date(2026, 9, 30), counter_id=counter, officers=False)
    assert counter_report.with_flagged.responses - counter_report.without_flagged.responses == (
        BURST.count)
    assert counter_report.with_flagged.result.ikm_exact > (
        counter_report.without_flagged.result.ikm_exact)


def test_every_unit_tree_and_every_officer_of_a_quarter_agree_with_raw_rows(db, demo):
    session = db.session
    frame = demo
    start, end = date(2026, 10, 1), date(2027, 1, 1)
    parents = dict(session.execute(select(Unit.id, Unit.parent_id)).all())
    results = unit_tree_indices(session, start, end)
    assert set(results) == set(parents)
    for unit_id in parents:
        tree = [u for u in parents if u == unit_id or parents[u] == unit_id]
        rows = select_rows(frame, units=tree, start=start, end=end)
        assert_same_index(results[unit_id], compute_ikm(rows[UNSUR]))

    officers = officer_frame(session, Scope(start, end)).set_index("officer")
    expected = officer_raw_scores(select_rows(frame, start=start, end=end), session)
    assert sorted(officers.index) == sorted(expected.index)
    mean = officers["sum"] / officers["n"]
    variance = officers["sumsq"] / officers["n"] - mean**2
    assert (officers["n"] == expected["count"]).all()
    assert np.allclose(mean, expected["mean"], rtol=0, atol=TOL)
    assert np.allclose(variance, expected.iloc[:, 2], rtol=0, atol=1e-7)


def test_casemix_cells_from_the_rollup_equal_those_of_the_raw_rows(db, demo):
    from surveys.reporting.aggregate import casemix_cells

    frame = demo
    start, end = date(2026, 7, 1), date(2026, 10, 1)
    cells = casemix_cells(db.session, Scope(start, end)).set_index(
        ["officer", "service", "channel"])
    rows = select_rows(frame, start=start, end=end)
    named = rows[rows["staff_id"].notna()].copy()
    named["score"] = 25 * named[["U6", "U7", "OFFICER"]].mean(axis=1, skipna=True)
    named = named[named["score"].notna()]
    nips = dict(db.session.execute(select(Staff.id, Staff.nip)).all())
    named["officer"] = [nips[int(s)] for s in named["staff_id"]]
    named["service"] = [None if np.isnan(s) else str(int(s)) for s in named["service_id"]]
    named["sq"] = named["score"] ** 2
    expected = named.groupby(["officer", "service", "channel"], dropna=False).agg(
        n=("score", "size"), sum=("score", "sum"), sumsq=("sq", "sum"))
    assert len(cells) == len(expected)
    joined = cells.join(expected.add_suffix("_raw"), how="inner")
    assert len(joined) == len(expected)
    assert (joined["n"] == joined["n_raw"]).all()
    assert np.allclose(joined["sum"], joined["sum_raw"], rtol=1e-12, atol=0)
    assert np.allclose(joined["sumsq"], joined["sumsq_raw"], rtol=1e-12, atol=0)
