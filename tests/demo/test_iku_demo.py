"""The demo's waiting bands follow the stated model (drawn from their own random stream) and the
loader gives every unit IKU targets for 2026-Q3 and 2026-Q4 whose realisation has data."""
from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select

from surveys.demo import truth
from surveys.demo.generate import generate
from surveys.demo.load import IKU_PERIODS, IKU_TARGETS, load_demo
from surveys.evaluations.iku_targets import unit_targets
from surveys.models import Unit
from tests.demo.test_model import fake_ids

TODAY = date(2026, 11, 23)


def _split(rows):
    """(genuine rows, the planted burst's rows)."""
    touchpoint = fake_ids().counter_touchpoints[truth.BURST.unit, truth.BURST.counter]
    window = truth.BURST.minutes * 60

    def in_burst(row):
        seconds = (row["submitted_at"] - truth.BURST.start).total_seconds()
        return row["touchpoint_id"] == touchpoint and 0 <= seconds < window

    return [r for r in rows if not in_burst(r)], [r for r in rows if in_burst(r)]


def test_waiting_bands_follow_the_stated_model():
    genuine, burst = _split(generate(fake_ids(), TODAY).responses)
    assert len(burst) == truth.BURST.count
    assert all(row["waiting_band"] is None for row in burst)  # the burst says nothing of it
    blanks = sum(row["waiting_band"] is None for row in genuine) / len(genuine)
    p = truth.WAITING_BLANK
    assert abs(blanks - p) <= 4 * (p * (1 - p) / len(genuine)) ** 0.5
    for answer in (2, 3, 4):  # U3 = 1 is too rare for a check
        bands = [row["waiting_band"] for row in genuine
                 if row["u3"] == answer and row["waiting_band"] is not None]
        counts = Counter(bands)
        assert set(counts) <= {1, 2, 3, 4, 5} and len(bands) > 300
        for band, p in enumerate(truth.WAITING_GIVEN_U3[answer], start=1):
            se = (p * (1 - p) / len(bands)) ** 0.5
            assert abs(counts[band] / len(bands) - p) <= 4 * se + 1e-9, (answer, band)


def test_every_demo_unit_has_iku_targets_with_a_realisation(db):
    load_demo(db.session, TODAY)
    db.session.commit()
    units = db.session.scalars(select(Unit)).all()
    assert len(units) == len(truth.UNITS)
    for unit in units:
        for period in IKU_PERIODS:
            rows = unit_targets(db.session, unit, period)
            assert {row.indicator: row.target for row, _ in rows} == IKU_TARGETS
            for row, realised in rows:
                assert realised.problem is None and realised.value is not None, (
                    unit.code, period, row.indicator, realised)
                assert realised.n > 0
            waiting = next(r for row, r in rows if row.indicator == "waiting")
            assert 55 < waiting.value < 95  # plausible, and not all units alike
