"""Responses out, as CSV: one row per response, streamed in batches so any number of them can be
written without loading them all. Its layout is also what a paper import reads (`surveys.exchange.paper`).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from surveys.exchange.csv_answers import UNSUR_CODES
from surveys.errors import UnitNotFound
from surveys.models import (
    Answer,
    Counter,
    InstrumentItem,
    Response,
    ResponseFlag,
    Service,
    Staff,
    Unit,
)
from surveys.models.organization import UNIT_TIMEZONES
from surveys.models.response import FLAG_KINDS, PROFILE
EXPORT_COLUMNS: tuple[str, ...] = (
    "id", "submitted_at", "unit", "service", "counter", "nip", "channel", "flags",
    *UNSUR_CODES, "OFFICER", "waiting_band", *PROFILE, "COMMENT",
)


def _since_filter(since: date):
    """Submitted on or after `since`, midnight in each response's unit time zone."""
    return or_(*(
        and_(Unit.timezone == zone,
             Response.submitted_at >= datetime.combine(since, time(0), ZoneInfo(zone)))
        for zone in UNIT_TIMEZONES
    ))


def export_rows(
    session: Session, unit_code: str | None = None, since: date | None = None, batch: int = 1000
) -> Iterator[list[str]]:
    """The header, then one row per response (by id), streamed `batch` rows at a time.

    Raises UnitNotFound for an unknown `unit_code` before yielding anything.
    """
    query = (
        select(Response.id, Response.submitted_at, Unit.code, Service.code, Counter.code,
               Staff.nip, Response.channel,
               *(getattr(Response, code.lower()) for code in UNSUR_CODES),
               Response.officer_rating, Response.waiting_band,
               *(getattr(Response, column) for column in PROFILE))
        .join(Unit, Unit.id == Response.unit_id)
        .outerjoin(Service, Service.id == Response.service_id)
        .outerjoin(Counter, Counter.id == Response.counter_id)
        .outerjoin(Staff, Staff.id == Response.staff_id)
        .order_by(Response.id)
        .execution_options(yield_per=batch)
    )
    if unit_code is not None:
        unit_id = session.scalar(select(Unit.id).where(Unit.code == unit_code))
        if unit_id is None:
            raise UnitNotFound(unit_code)
        query = query.where(Response.unit_id == unit_id)
    if since is not None:
        query = query.where(_since_filter(since))
    return _stream(session, query)


# A cell a spreadsheet would run as a formula (OWASP "CSV injection"): =, +, -, @, tab or CR first,
# maybe behind quotes already. Export puts one more quote in front, which Excel and LibreOffice show
# as text; import takes exactly one off again, so a comment round-trips unchanged.
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")


def spreadsheet_safe(text: str) -> str:
    """`text` as a CSV cell that no spreadsheet runs as a formula."""
    return f"'{text}" if _FORMULA_START.match(text) else text


def from_spreadsheet_safe(text: str) -> str:
    """The text `spreadsheet_safe` was given (cells it did not change come back as they are)."""
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text[1:]) else text


def _stream(session: Session, query) -> Iterator[list[str]]:
    yield list(EXPORT_COLUMNS)
    for chunk in session.execute(query).partitions():
        ids = [row[0] for row in chunk]
        flags: dict[int, set[str]] = {}
        for response_id, kind in session.execute(
            select(ResponseFlag.response_id, ResponseFlag.kind)
            .where(ResponseFlag.response_id.in_(ids))
        ):
            flags.setdefault(response_id, set()).add(kind)
        comments = dict(session.execute(
            select(Answer.response_id, Answer.value_text)
            .join(InstrumentItem, InstrumentItem.id == Answer.item_id)
            .where(InstrumentItem.code == "COMMENT", Answer.response_id.in_(ids))
        ).all())
        for row in chunk:
            response_id, submitted_at, *codes = row[:7]
            rest = row[7:]
            kinds = flags.get(response_id, ())
            yield [
                str(response_id), submitted_at.isoformat(timespec="seconds"),
                *(spreadsheet_safe(value or "") for value in codes),
                ";".join(kind for kind in FLAG_KINDS if kind in kinds),
                *("" if value is None else spreadsheet_safe(str(value)) for value in rest),
                spreadsheet_safe(comments.get(response_id) or ""),
            ]
