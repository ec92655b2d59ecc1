"""The stated model and the generator, without a database: consistent, deterministic, cut by day."""
from __future__ import annotations

from datetime import date, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from surveys.demo import truth
from surveys.demo.generate import DemoIds, generate, populations, working_days
from surveys.models.staff import nip_problem


def fake_ids() -> DemoIds:
    ids = count(1)
    return DemoIds(
        instrument=next(ids),
        units={u.code: next(ids) for u in truth.UNITS},
        services={(u.code, s.code): next(ids) for u in truth.UNITS for s in u.services},
        counters={(u.code, c.code): next(ids) for u in truth.UNITS for c in u.counters},
        counter_touchpoints={(u.code, c.code): next(ids) for u in truth.UNITS for c in u.counters},
        staff={o.nip: next(ids) for o in truth.officers()},
        personal_touchpoints={o.nip: next(ids) for o in truth.officers() if o.personal_qr},
    )


def test_the_same_seed_gives_the_same_responses_and_another_seed_others():
    first = generate(fake_ids(), date(2026, 11, 23))
    again = generate(fake_ids(), date(2026, 11, 23))
    other = generate(fake_ids(), date(2026, 11, 23), seed=truth.DEFAULT_SEED + 1)

    assert first == again
    assert first.responses != other.responses


def test_a_day_has_the_same_responses_whatever_today_is():
    earlier = generate(fake_ids(), date(2026, 7, 1))
    later = generate(fake_ids(), date(2026, 11, 23))

    assert earlier.responses == later.responses[: len(earlier.responses)]
    assert later.responses[len(earlier.responses)]["submitted_at"].astimezone(
        ZoneInfo(truth.TIMEZONE)).date() >= date(2026, 7, 1)


def test_roster_is_consistent():
    nips = [o.nip for o in truth.officers()]
    assert len(nips) >= 30 and len(set(nips)) == len(nips)
    assert [nip for nip in nips if nip_problem(nip)] == []
    for unit in truth.UNITS:
        assert sum(s.share for s in unit.services) == pytest.approx(1)
        assert sum(c.share for c in unit.counters) == pytest.approx(1)
        assert {o.counter for o in unit.officers} == {c.code for c in unit.counters}
        for shifts in unit.period_shifts.values():
            assert not set(shifts) & set(truth.OFFICER_ITEMS)  # officer truth is period-free
    assert sum(truth.serving_shares(truth.unit("kupang-dukcapil")).values()) == pytest.approx(1)


def test_better_and_worse_officers_stand_out_from_their_unit():
    for o in truth.officers("better") + truth.officers("worse"):
        unit = truth.unit_of(o.nip)
        typical = [truth.officer_true_score(t.nip) for t in unit.officers if t.profile == "typical"]
        score = truth.officer_true_score(o.nip)
        if o.profile == "better":
            assert score > max(typical) + 4
        else:
            assert score < min(typical) - 4


def test_expected_answer_is_the_mean_of_the_ordered_probit():
    assert truth.expected_answer(-10) == pytest.approx(1)
    assert truth.expected_answer(10) == pytest.approx(4)
    values = [truth.expected_answer(m / 10) for m in range(-20, 21)]
    assert values == sorted(values)
    for unit in truth.UNITS:
        for period in truth.PERIODS:
            assert 65 < truth.unit_true_ikm(unit.code, period) < 92


def test_burst_is_on_a_working_day_at_its_officers_counter():
    burst = truth.BURST
    local = burst.start.astimezone(ZoneInfo(truth.TIMEZONE))
    assert local.date() in working_days(local.date(), local.date() + timedelta(days=1))
    opens, closes = truth.OFFICE_HOURS[local.weekday()]
    assert opens <= local.hour < closes
    assert truth.officer(burst.staff_nip).counter == burst.counter
    assert truth.unit_of(burst.staff_nip).code == burst.unit


def test_population_counts_service_users_on_the_working_days_before_today():
    rows = populations(date(2026, 11, 23))
    assert {period for _, period, _ in rows} == set(truth.PERIODS)
    q4_days = len(working_days(date(2026, 10, 1), date(2026, 11, 23)))
    assert ("kupang-samsat", "2026-Q4", 210 * q4_days) in rows
    assert populations(date(2026, 4, 1)) == []
