"""The SQL that stores one response, on the session, in its transaction.

The guarded INSERT copies its values from a SELECT whose WHERE re-checks, in the database and in
the same statement, that the touchpoint is still open, that the chosen officer is on duty at its
counter and that the service is the unit's; ON CONFLICT on the submission key makes a replayed
form count once. It returns the new id (nothing when a check failed or the key was already used:
the caller then finds out which) and the two counts the abuse checks need. The parts that go with
the response (ticket nonce, roll-up queue row, comments, reply contact, complaint, flag) are plain
inserts after it; a used ticket raises TicketUsed, and the caller's rollback leaves nothing.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, bindparam, exists, func, insert, or_, select, tuple_
from sqlalchemy.orm import Session

from surveys.complaints.rules import due_on
from surveys.db import upsert_insert
from surveys.errors import TicketUsed
from surveys.models import (
    Answer,
    Complaint,
    CounterAssignment,
    ReplyRequest,
    Response,
    ResponseFlag,
    RollupPending,
    Service,
    Staff,
    TicketRedemption,
    Touchpoint,
)
from surveys.responses.abuse import DEVICE_EXEMPT_CHANNELS, SUSPICIOUS, WINDOW_EXEMPT_CHANNELS

RESPONSE = Response.__table__
ROW_COLUMNS = (
    "receipt", "submission_key", "instrument_id", "channel", "touchpoint_id", "unit_id",
    "service_id", "counter_id", "staff_id", "submitted_at",
    "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "officer_rating",
    "waiting_band", "age_band", "gender", "education", "occupation",
    "device_hash", "ip_hash", "duration_seconds",
)
_QUEUE = insert(RollupPending.__table__)
_ANSWER = insert(Answer.__table__)
_REPLY = insert(ReplyRequest.__table__)
_COMPLAINT = insert(Complaint.__table__)
_FLAG = insert(ResponseFlag.__table__)


@dataclass(frozen=True)
class Inserted:
    id: int
    device_count: int  # the device's responses in its window, this one included
    touchpoint_count: int  # the touchpoint's responses in its window, this one included


def _param(name: str):
    return bindparam(name, type_=RESPONSE.c[name].type)


@functools.cache
def guarded_insert(dialect: str, check_staff: bool, check_service: bool):
    """INSERT … SELECT <values> WHERE <checks> ON CONFLICT (submission_key) DO NOTHING
    RETURNING id, <counts>. Built once per dialect and shape.

    Besides the row's columns it takes `today` (the day the officer must be on duty),
    `device_since` and `touchpoint_since` (the starts of the two count windows).
    """
    tp, ca = Touchpoint.__table__, CounterAssignment.__table__
    checks = [exists().where(tp.c.id == _param("touchpoint_id"), tp.c.revoked_at.is_(None))]
    if check_staff:
        today = bindparam("today", type_=ca.c.starts_on.type)
        checks.append(exists().where(
            ca.c.staff_id == _param("staff_id"), ca.c.counter_id == _param("counter_id"),
            ca.c.starts_on <= today, or_(ca.c.ends_on.is_(None), ca.c.ends_on >= today),
            Staff.__table__.c.id == ca.c.staff_id, Staff.__table__.c.active.is_(True)))
    if check_service:
        service = Service.__table__
        checks.append(exists().where(service.c.id == _param("service_id"),
                                     service.c.unit_id == _param("unit_id")))
    values = select(*(_param(name) for name in ROW_COLUMNS)).where(and_(*checks))
    return (upsert_insert(dialect)(RESPONSE).from_select(list(ROW_COLUMNS), values)
            .on_conflict_do_nothing(index_elements=["submission_key"])
            .returning(RESPONSE.c.id,
                       _count_since("device_hash", "device_since", DEVICE_EXEMPT_CHANNELS),
                       _count_since("touchpoint_id", "touchpoint_since", WINDOW_EXEMPT_CHANNELS)))


def _count_since(column: str, since: str, exempt: tuple[str, ...]):
    """How many responses share the new one's `column` value from the parameter `since` to its
    time, outside the `exempt` channels, the new one included (+1).

    Only parameters, no reference to the inserted row (SQLite's RETURNING cannot correlate one);
    the new row is left out by its receipt, since SQLite's RETURNING sees it and PostgreSQL's
    does not. The window is a range of (value, time) pairs, which the index on both columns
    serves and no other: a generic plan cannot pick the index on the time alone.
    """
    earlier = RESPONSE.alias(f"by_{column}")
    value, start = _param(column), bindparam(since, type_=RESPONSE.c.submitted_at.type)
    pair = tuple_(earlier.c[column], earlier.c.submitted_at)
    return (select(func.count() + 1).select_from(earlier).where(
        earlier.c[column] == value, earlier.c.receipt != _param("receipt"),
        pair >= tuple_(value, start), pair <= tuple_(value, _param("submitted_at")),
        *(earlier.c.channel != channel for channel in exempt))  # no IN list to expand per call
        .scalar_subquery().label(f"{column}_count"))


@functools.cache
def _redeem(dialect: str):
    """The ticket's nonce, or nothing returned when it is stored already (ON CONFLICT: a
    concurrent use waits for the other transaction, then finds it)."""
    table = TicketRedemption.__table__
    return (upsert_insert(dialect)(table)
            .on_conflict_do_nothing(index_elements=["nonce"]).returning(table.c.id))


def store_response(session: Session, row: dict, *, today: date, device_since: datetime,
                   touchpoint_since: datetime, check_staff: bool,
                   check_service: bool) -> Inserted | None:
    """The guarded insert of `row`: the new response's id and counts, or None when a check failed
    or its submission key was used."""
    dialect = session.get_bind().dialect.name
    returned = session.execute(
        guarded_insert(dialect, check_staff, check_service),
        {**row, "today": today, "device_since": device_since,
         "touchpoint_since": touchpoint_since}).first()
    return None if returned is None else Inserted(*returned)


def store_parts(session: Session, response_id: int, submitted_at: datetime, *,
                texts: dict[int, str], reply_contact: str | None, nonce: str | None,
                reason: str | None, unit_id: int, today: date) -> None:
    """What goes with a new response: its ticket's nonce (TicketUsed when it was used: the caller
    rolls back), its roll-up queue row, comments, reply contact, abuse flag, and a complaint in
    the unit's inbox when a comment asked for a reply (due counted from `today`, the unit's day)."""
    if nonce is not None:
        redeemed = session.execute(_redeem(session.get_bind().dialect.name), {
            "nonce": nonce, "response_id": response_id, "redeemed_at": submitted_at}).first()
        if redeemed is None:
            raise TicketUsed(nonce)
    session.execute(_QUEUE, {"response_id": response_id})
    if texts:
        session.execute(_ANSWER, [{"response_id": response_id, "item_id": item_id,
                                   "value_text": text} for item_id, text in sorted(texts.items())])
    if reply_contact is not None:
        session.execute(_REPLY, {"response_id": response_id, "contact": reply_contact,
                                 "created_at": submitted_at})
        if texts:
            session.execute(_COMPLAINT, {"response_id": response_id, "unit_id": unit_id,
                                         "status": "baru", "received_at": submitted_at,
                                         "due_on": due_on(today)})
    if reason is not None:
        session.execute(_FLAG, {"response_id": response_id, "kind": SUSPICIOUS,
                                "reason": reason, "created_at": submitted_at})


def earlier_response(session: Session, submission_key: str) -> tuple[int, str] | None:
    """(id, receipt) of the response already stored under a submission key."""
    row = session.execute(select(RESPONSE.c.id, RESPONSE.c.receipt)
                          .where(RESPONSE.c.submission_key == submission_key)).first()
    return None if row is None else (row.id, row.receipt)
