"""What the pages read of complaints: the unit's inbox and one case with its context (managers
only), the open and overdue counts of the dashboard, the citizen's tracking by receipt number, and
the published replies of the portal (moderated text, service and date: nothing personal).

Overdue is judged on each complaint's own unit calendar: today there is later than its due day.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from surveys.complaints.rules import OPEN_STATUSES, is_overdue
from surveys.complaints.service import handler_candidates
from surveys.db import row_by_id
from surveys.models import (
    Answer,
    Complaint,
    InstrumentItem,
    Response,
    ResponseObjection,
    Service,
    Unit,
    User,
)
from surveys.models.complaint import COMPLAINT_STATUSES
from surveys.organization.grants import descendant_ids, may_see_officer
from surveys.periods import local_day

INBOX_LIMIT = 200
EXCERPT_CHARS = 120
OVERDUE = "terlambat"  # the inbox's filter of open complaints past their due day
FILTERS = (*COMPLAINT_STATUSES, OVERDUE)
_RECEIPT = re.compile(r"SW-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}")
RECEIPT_MAX = 40  # longer input is no receipt, however it is spaced


@dataclass(frozen=True)
class InboxRow:
    id: int
    unit: str
    received_at: datetime  # in the unit's time zone
    due_on: date
    status: str
    overdue: bool
    handler: str | None
    service: str | None
    excerpt: str
    replied: bool
    published: bool


@dataclass(frozen=True)
class Inbox:
    rows: tuple[InboxRow, ...]
    total: int  # matching the filter, of which at most INBOX_LIMIT are in rows


@dataclass(frozen=True)
class CaseView:
    """One complaint as its unit's managers see it, with the response's context as the dashboard
    shows comments: service, counter, time, the respondent's score and flags, and the officer
    only for a viewer who may see them and unless an upheld objection said it was not about them."""

    complaint: Complaint
    received_at: datetime
    overdue: bool
    comments: tuple[str, ...]
    service: str | None
    counter: str | None
    officer: str | None
    score: float | None
    flags: tuple[str, ...]
    contact: str | None  # None once the retention period deleted it
    candidates: tuple[User, ...]


@dataclass(frozen=True)
class Tracked:
    """What the citizen sees with their receipt number; `complaint` None: no reply was asked."""

    receipt: str
    unit: str
    submitted_on: date
    complaint: Complaint | None
    received_on: date | None = None
    overdue: bool = False
    replied_on: date | None = None


@dataclass(frozen=True)
class PublishedReply:
    text: str
    published_on: date
    service: str | None


def unit_tree(session: Session, unit: Unit) -> set[int]:
    return descendant_ids(session, {unit.id})


def _today(zone: str, now: datetime) -> date:
    return local_day(now, zone)


def _comments(session: Session, response_ids: list[int]) -> dict[int, list[str]]:
    """The text answers of these responses, in item order."""
    found: dict[int, list[str]] = {}
    if not response_ids:
        return found
    for response_id, text in session.execute(
            select(Answer.response_id, Answer.value_text)
            .join(InstrumentItem, InstrumentItem.id == Answer.item_id)
            .where(Answer.response_id.in_(response_ids), InstrumentItem.kind == "text",
                   Answer.value_text.is_not(None))
            .order_by(Answer.response_id, InstrumentItem.position, Answer.id)):
        found.setdefault(response_id, []).append(text)
    return found


def _excerpt(texts: list[str]) -> str:
    text = " ".join(" ".join(texts).split())
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS - 1].rstrip() + "…"


def inbox(session: Session, unit: Unit, wanted: str | None, now: datetime) -> Inbox:
    """The complaints of the unit and its sub-units: open ones first, by due day, then the closed
    ones, newest first; `wanted` is a status or OVERDUE (None: all)."""
    tree = unit_tree(session, unit)
    zones = dict(session.execute(select(Unit.id, Unit.timezone).where(Unit.id.in_(tree))).all())
    query = select(Complaint).where(Complaint.unit_id.in_(tree))
    if wanted in COMPLAINT_STATUSES:
        query = query.where(Complaint.status == wanted)
    elif wanted == OVERDUE:  # past due somewhere in the tree; each row is judged on its own day
        latest = max(_today(zone, now) for zone in set(zones.values()))
        query = query.where(Complaint.status.in_(OPEN_STATUSES), Complaint.due_on < latest)
    rows = list(session.scalars(
        query.options(selectinload(Complaint.unit), selectinload(Complaint.handler),
                      selectinload(Complaint.response).selectinload(Response.service))
        .order_by((Complaint.status == "selesai"), Complaint.due_on,
                  Complaint.received_at.desc(), Complaint.id.desc())))
    days = {unit_id: _today(zone, now) for unit_id, zone in zones.items()}
    if wanted == OVERDUE:
        rows = [row for row in rows if is_overdue(row.status, row.due_on, days[row.unit_id])]
    shown = rows[:INBOX_LIMIT]
    texts = _comments(session, [row.response_id for row in shown])
    return Inbox(tuple(InboxRow(
        row.id, row.unit.name, row.received_at.astimezone(ZoneInfo(row.unit.timezone)),
        row.due_on, row.status, is_overdue(row.status, row.due_on, days[row.unit_id]),
        row.handler.display_name if row.handler else None,
        row.response.service.name if row.response.service else None,
        _excerpt(texts.get(row.response_id, [])), row.reply is not None,
        row.published_at is not None) for row in shown), len(rows))


def complaint_in(session: Session, unit: Unit, complaint_id) -> Complaint | None:
    """The complaint with this id when it is of the unit or a sub-unit (None otherwise, and for
    an id no row can have)."""
    row = row_by_id(session, Complaint, complaint_id)
    return row if row is not None and row.unit_id in unit_tree(session, unit) else None


def case_view(session: Session, complaint: Complaint, viewer: User, now: datetime) -> CaseView:
    """One complaint with its response's context and the citizen's contact, for its managers."""
    response = complaint.response
    zone = complaint.unit.timezone
    upheld = session.scalar(select(func.count(ResponseObjection.id)).where(
        ResponseObjection.response_id == response.id, ResponseObjection.status == "upheld")) > 0
    staff = None if upheld else response.staff
    answers = [value for value in response.unsur().values() if value is not None]
    return CaseView(
        complaint=complaint, received_at=complaint.received_at.astimezone(ZoneInfo(zone)),
        overdue=is_overdue(complaint.status, complaint.due_on, _today(zone, now)),
        comments=tuple(_comments(session, [response.id]).get(response.id, [])),
        service=response.service.name if response.service else None,
        counter=response.counter.name if response.counter else None,
        officer=staff.name if staff is not None and may_see_officer(viewer, staff.id) else None,
        score=25.0 * sum(answers) / len(answers) if answers else None,
        flags=tuple(sorted(flag.kind for flag in response.flags)),
        contact=response.reply_request.contact if response.reply_request else None,
        candidates=tuple(handler_candidates(session, complaint.unit)))


def open_counts(session: Session, unit: Unit, now: datetime) -> tuple[int, int]:
    """(open, overdue) complaints of the unit and its sub-units, counted per due day in SQL."""
    tree = unit_tree(session, unit)
    rows = session.execute(
        select(Unit.timezone, Complaint.due_on, func.count(Complaint.id))
        .join(Unit, Unit.id == Complaint.unit_id)
        .where(Complaint.unit_id.in_(tree), Complaint.status.in_(OPEN_STATUSES))
        .group_by(Unit.timezone, Complaint.due_on)).all()
    total = sum(count for _zone, _due, count in rows)
    late = sum(count for zone, due, count in rows if _today(zone, now) > due)
    return total, late


def normal_receipt(text) -> str | None:
    """A receipt number as typed by a citizen (any case, spaces around or inside), or None when it
    cannot be one."""
    if not isinstance(text, str) or len(text) > RECEIPT_MAX:
        return None
    receipt = "".join(text.split()).upper()
    return receipt if _RECEIPT.fullmatch(receipt) else None


def tracked(session: Session, receipt: str, now: datetime) -> Tracked | None:
    """The response of a (normal) receipt number with its complaint, or None when none has it."""
    response = session.scalars(select(Response).where(Response.receipt == receipt)
                               .options(selectinload(Response.unit))).one_or_none()
    if response is None:
        return None
    zone = response.unit.timezone
    complaint = session.scalars(select(Complaint).where(
        Complaint.response_id == response.id)).one_or_none()
    submitted_on = local_day(response.submitted_at, zone)
    if complaint is None:
        return Tracked(response.receipt, response.unit.name, submitted_on, None)
    return Tracked(response.receipt, response.unit.name, submitted_on, complaint,
                   local_day(complaint.received_at, zone),
                   is_overdue(complaint.status, complaint.due_on, _today(zone, now)),
                   complaint.replied_at and local_day(complaint.replied_at, zone))


def published_replies(session: Session, unit: Unit, limit: int) -> list[PublishedReply]:
    """The unit's published replies, newest first: the moderated text, its day and the service
    (never the comment, the contact, the officer or the receipt)."""
    rows = session.execute(
        select(Complaint.public_reply, Complaint.published_at, Service.name)
        .join(Response, Response.id == Complaint.response_id)
        .outerjoin(Service, Service.id == Response.service_id)
        .where(Complaint.unit_id == unit.id, Complaint.published_at.is_not(None),
               Complaint.public_reply.is_not(None))
        .order_by(Complaint.published_at.desc(), Complaint.id.desc()).limit(limit)).all()
    return [PublishedReply(text, local_day(published_at, unit.timezone), service)
            for text, published_at, service in rows]
