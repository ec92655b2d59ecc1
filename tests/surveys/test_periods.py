"""Period codes map to calendar periods in the unit's own time zone."""
from datetime import UTC, date, datetime

import pytest

from surveys.periods import InvalidPeriod, Period


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2026", date(2026, 1, 1), date(2027, 1, 1)),
        ("2026-S1", date(2026, 1, 1), date(2026, 7, 1)),
        ("2026-S2", date(2026, 7, 1), date(2027, 1, 1)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 10, 1)),
        ("2026-Q4", date(2026, 10, 1), date(2027, 1, 1)),
        ("2026-02", date(2026, 2, 1), date(2026, 3, 1)),
        ("2026-12", date(2026, 12, 1), date(2027, 1, 1)),
    ],
)
def test_codes(code, start, end):
    period = Period.parse(code)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("code", ["", "26", "2026-Q5", "2026-S3", "2026-13", "2026-00", "2026-q3", "Q3"])
def test_unknown_codes_are_refused(code):
    with pytest.raises(InvalidPeriod):
        Period.parse(code)


@pytest.mark.parametrize(
    ("zone", "offset_hours"), [("Asia/Jakarta", 7), ("Asia/Makassar", 8), ("Asia/Jayapura", 9)]
)
def test_bounds_are_local_midnights_in_utc(zone, offset_hours):
    start, end = Period.parse("2026-Q3").utc_bounds(zone)
    assert start == datetime(2026, 6, 30, 24 - offset_hours, tzinfo=UTC)
    assert end == datetime(2026, 9, 30, 24 - offset_hours, tzinfo=UTC)


def test_quarter_of_a_day():
    assert Period.quarter_of(date(2026, 11, 23)).code == "2026-Q4"
