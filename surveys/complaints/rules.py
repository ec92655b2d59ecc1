"""The rules of a complaint that need no database: its due date, whether it is overdue, how a
reply's text is checked, and the personal data a public reply must not carry."""
from __future__ import annotations

import re
from datetime import date

from surveys.models.complaint import REPLY_WORKING_DAYS
from surveys.periods import after_working_days

TEXT_MAX = 2000
OPEN_STATUSES = ("baru", "diproses")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
# Dates (01-12-2026, 2026-12-01, 1/12/26), times (08.00, 16:30) and rupiah amounts (15.000.000)
# carry many digits but no person: taken out before the digits are counted.
_DATE = re.compile(r"\b(?:\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})\b")
_TIME = re.compile(r"\b\d{1,2}[.:]\d{2}\b")
_AMOUNT = re.compile(r"(?<![\d.])[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?\b")
# A run of digits with the separators people write in phone numbers, NIK and NIP.
_DIGIT_RUN = re.compile(r"\+?\d[\d \t().\-]*\d")
PERSONAL_DIGITS = 8  # the shortest Indonesian phone number without its area code


def due_on(received_day: date) -> date:
    """The last day to answer a complaint received on `received_day` (the unit's calendar)."""
    return after_working_days(received_day, REPLY_WORKING_DAYS)


def is_overdue(status: str, due: date, today: date) -> bool:
    """Open after its due day, `today` being the unit's calendar day."""
    return status in OPEN_STATUSES and today > due


def text_problem(value) -> str | None:
    """Why a reply's text cannot be stored: 'control', 'required' or 'too_long' (None: fine)."""
    text = value.strip() if isinstance(value, str) else ""
    if _CONTROL.search(text):
        return "control"
    if not text:
        return "required"
    if len(text) > TEXT_MAX:
        return "too_long"
    return None


def has_personal_data(text: str) -> bool:
    """Whether a text to publish holds an e-mail address or a phone-, NIK- or NIP-like number
    (at least PERSONAL_DIGITS digits in one run, dates and rupiah amounts aside). Names cannot
    be found this way: the manager who writes the public reply leaves them out."""
    if _EMAIL.search(text):
        return True
    rest = _TIME.sub(" ", _AMOUNT.sub(" ", _DATE.sub(" ", text)))
    return any(sum(c.isdigit() for c in run) >= PERSONAL_DIGITS
               for run in _DIGIT_RUN.findall(rest))
