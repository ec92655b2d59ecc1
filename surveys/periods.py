"""Calendar periods (year, semester, triwulan, month) and their UTC bounds in a unit's time zone.

Codes: `2026` (year), `2026-S1` (semester), `2026-Q3` (triwulan), `2026-07` (month). Only years
MIN_YEAR..MAX_YEAR are periods: nothing is surveyed outside them, and a year at the edge of the
calendar (0, 1, 9999) would otherwise end in a date, or a UTC bound, that Python cannot represent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from surveys.errors import InvalidPeriod

MIN_YEAR, MAX_YEAR = 2000, 2100
_CODE = re.compile(r"(?P<year>\d{4})(?:-(?:S(?P<sem>[12])|Q(?P<q>[1-4])|(?P<month>\d{2})))?",
                   re.ASCII)


def after_working_days(day: date, days: int) -> date:
    """The `days`-th working day (Monday to Friday) after `day`. National holidays are not
    known to the system; a unit that needs them can publish later."""
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def local_day(moment: datetime, timezone: str) -> date:
    """The calendar day of an aware UTC moment in a unit's time zone (WIB, WITA or WIT)."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def check_day(day: date) -> date:
    """`day` itself when its year is MIN_YEAR..MAX_YEAR (a date range's end), else InvalidPeriod."""
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InvalidPeriod(f"{day.isoformat()} is outside the years {MIN_YEAR}-{MAX_YEAR}")
    return day


@dataclass(frozen=True)
class Period:
    """A half-open range of calendar days [start, end)."""

    code: str
    start: date
    end: date

    @classmethod
    def parse(cls, code: str) -> Period:
        text = code.strip() if isinstance(code, str) else ""
        match = _CODE.fullmatch(text)
        if not match:
            raise InvalidPeriod(f"unknown period {code!r}; use 2026, 2026-S1, 2026-Q3 or 2026-07")
        year = int(match["year"])
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise InvalidPeriod(f"the year of period {code!r} is outside {MIN_YEAR}-{MAX_YEAR}")
        if match["sem"]:
            first_month, months = 6 * (int(match["sem"]) - 1) + 1, 6
        elif match["q"]:
            first_month, months = 3 * (int(match["q"]) - 1) + 1, 3
        elif match["month"]:
            first_month, months = int(match["month"]), 1
            if not 1 <= first_month <= 12:
                raise InvalidPeriod(f"unknown month in period {code!r}")
        else:
            first_month, months = 1, 12
        end_index = first_month - 1 + months
        end = date(year + end_index // 12, end_index % 12 + 1, 1)
        return cls(text, date(year, first_month, 1), end)

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        return cls.parse(f"{day.year}-Q{(day.month - 1) // 3 + 1}")

    def utc_bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """[start, end) as aware UTC datetimes, midnight to midnight in `timezone` (the years are
        bounded, so neither bound can leave Python's range of datetimes)."""
        zone = ZoneInfo(timezone)
        return tuple(
            datetime(d.year, d.month, d.day, tzinfo=zone).astimezone(UTC)
            for d in (self.start, self.end)
        )
