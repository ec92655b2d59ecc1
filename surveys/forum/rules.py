"""The checks of forum input that need no database: dates, head counts, texts and whether an
action is overdue. Each failure is a ForumRefused naming the field, so a page can say what is
wrong next to it."""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from surveys.complaints.rules import TEXT_MAX, text_problem  # noqa: F401  (TEXT_MAX for forms)
from surveys.errors import ForumRefused
from surveys.models.forum import PARTICIPANT_GROUPS
from surveys.periods import MAX_YEAR, MIN_YEAR

SHORT_MAX = 200  # place and "who" (a position, never a name): String(200) columns
COUNT_MAX = 100_000  # head count of one group; no hall holds more
COUNT_DIGITS = 6  # longer input is no head count, whatever it says
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_COUNT = re.compile(r"\d+", re.ASCII)


def text(value, field: str, limit: int = TEXT_MAX) -> str:
    """A required text, stripped: 'control', 'required' or 'too_long' otherwise."""
    problem = text_problem(value)
    if problem is None and len(value.strip()) > limit:
        problem = "too_long"
    if problem is not None:
        raise ForumRefused(problem, field)
    return value.strip()


def optional_text(value, field: str, limit: int = TEXT_MAX) -> str | None:
    """A text that may be left blank (None)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return text(value, field, limit)


def day(value, field: str) -> date:
    """A calendar day given as a date or as YYYY-MM-DD, in the years periods know."""
    if isinstance(value, str):
        raw = value.strip()
        if not _DAY.fullmatch(raw):
            raise ForumRefused("bad_date", field)
        try:
            value = date.fromisoformat(raw)
        except ValueError:
            raise ForumRefused("bad_date", field) from None
    if not isinstance(value, date) or not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ForumRefused("bad_date", field)
    return value


def count(value, field: str) -> int:
    """A head count: a whole number 0..COUNT_MAX (blank is 0)."""
    if isinstance(value, bool):
        raise ForumRefused("not_a_count", field)
    if isinstance(value, str):
        raw = value.strip()
        if not raw:
            return 0
        if raw.startswith("-") and _COUNT.fullmatch(raw[1:]):
            raise ForumRefused("negative", field)
        if not _COUNT.fullmatch(raw):
            raise ForumRefused("not_a_count", field)
        if len(raw) > COUNT_DIGITS:
            raise ForumRefused("too_many", field)
        value = int(raw)
    if value is None:
        return 0
    if not isinstance(value, int):
        raise ForumRefused("not_a_count", field)
    if value < 0:
        raise ForumRefused("negative", field)
    if value > COUNT_MAX:
        raise ForumRefused("too_many", field)
    return value


def participant_field(group: str) -> str:
    """The field name of a group's head count (the form uses the same names)."""
    return f"participants_{group}"


def participants(values: Mapping) -> dict[str, int]:
    """{group: count} for every group of PARTICIPANT_GROUPS; at least one person in all."""
    unknown = set(values) - set(PARTICIPANT_GROUPS)
    if unknown:
        raise ForumRefused("unknown_group", "participants")
    counts = {group: count(values.get(group), participant_field(group))
              for group in PARTICIPANT_GROUPS}
    if sum(counts.values()) == 0:
        raise ForumRefused("no_participants", "participants")
    return counts


def is_overdue(status: str, due_on: date, today: date) -> bool:
    """Not done after its due day, `today` being the unit's calendar day."""
    return status != "selesai" and today > due_on
