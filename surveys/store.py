"""The SQL that stores one response in few round trips: a guarded INSERT, then its extras.

The guarded INSERT copies its values from a SELECT whose WHERE re-checks, in the database and in
the same statement, that the touchpoint is still open and that the chosen officer is on duty at
its counter and the service is the unit's; with ON CONFLICT on the submission key it also makes a
replayed form count once. It returns the new id, or nothing when a check failed or the key was
already used (the caller then finds out which); with the id it returns the count the device
check needs. Statements are built once per dialect and shape,
so SQLAlchemy compiles each once.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, bindparam, exists, func, insert, literal_column, or_, select
from sqlalchemy.orm import Session

from surveys.abuse import DEVICE_EXEMPT_CHANNELS
from surveys.db import upsert_insert
from surveys.driver_sql import DriverStatement
from surveys.models import (
    Answer,
    CounterAssignment,
    ReplyRequest,
    Response,
    ResponseFlag,
    Service,
    Staff,
    TicketRedemption,
    Touchpoint,
)

RESPONSE = Response.__table__
ROW_COLUMNS = (
    "receipt", "submission_key", "instrument_id", "channel", "touchpoint_id", "unit_id",
    "service_id", "counter_id", "staff_id", "submitted_at",
    "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "officer_rating",
    "waiting_band", "age_band", "gender", "education", "occupation",
    "device_hash", "ip_hash", "duration_seconds",
)
_CHANNEL_NAME = re.compile(r"^[a-z_]+$")
def _param(name: str):
    return bindparam(name, type_=RESPONSE.c[name].type)


def guarded_insert(dialect: str, check_staff: bool, check_service: bool):
    """INSERT … SELECT <values> WHERE <checks> ON CONFLICT (submission_key) DO NOTHING RETURNING id.

    Besides the row's columns it takes `today` (the day the officer must be on duty) and
    `device_since` (the start of the device check's window).
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
            .returning(RESPONSE.c.id, _earlier_from_device()))


def _earlier_from_device():
    """How many other responses the new one's device sent since `device_since`, outside the
    channels left out of device checks (the abuse check's input, read in the same statement).

    Only parameters, no reference to the inserted row: SQLite's RETURNING cannot correlate one.
    The new row is left out by its receipt (SQLite's RETURNING sees it, PostgreSQL's does not).
    """
    earlier = RESPONSE.alias("earlier")
    return (select(func.count()).select_from(earlier).where(
        earlier.c.device_hash == _param("device_hash"), earlier.c.receipt != _param("receipt"),
        earlier.c.submitted_at >= bindparam("device_since", type_=RESPONSE.c.submitted_at.type),
        earlier.c.submitted_at <= _param("submitted_at"),
        # our own constants, inlined: a positional statement cannot expand an IN list
        *(earlier.c.channel != literal_column(f"'{_channel_name(name)}'")
          for name in DEVICE_EXEMPT_CHANNELS))
        .scalar_subquery())


# The statements every submission runs go straight to the driver (surveys/driver_sql.py).
_GUARDED_INSERTS = {
    (staff, service): DriverStatement(functools.partial(
        guarded_insert, check_staff=staff, check_service=service))
    for staff in (False, True) for service in (False, True)
}


@dataclass(frozen=True)
class Inserted:
    id: int
    earlier_from_device: int  # other responses of its device since `device_since`


def insert_response(session: Session, row: dict, *, today: date, device_since: datetime,
                    check_staff: bool, check_service: bool) -> Inserted | None:
    """The new response, or None when a check failed or its submission key was used."""
    returned = _GUARDED_INSERTS[check_staff, check_service].execute(
        session, {**row, "today": today, "device_since": device_since})
    return None if returned is None else Inserted(*returned)


def earlier_response(session: Session, submission_key: str) -> tuple[int, str] | None:
    """(id, receipt) of the response already stored under a submission key."""
    row = session.execute(select(RESPONSE.c.id, RESPONSE.c.receipt)
                          .where(RESPONSE.c.submission_key == submission_key)).first()
    return None if row is None else (row.id, row.receipt)


def insert_texts(session: Session, response_id: int, texts: dict[int, str]) -> None:
    session.execute(insert(Answer.__table__), [
        {"response_id": response_id, "item_id": item_id, "value_text": text}
        for item_id, text in texts.items()])


def insert_reply_request(session: Session, response_id: int, contact: str,
                         given_at: datetime) -> None:
    """The contact a citizen gave for a reply; `given_at` starts its retention period."""
    session.execute(insert(ReplyRequest.__table__).values(
        response_id=response_id, contact=contact, created_at=given_at))


@functools.cache
def _redemption(dialect: str):
    table = TicketRedemption.__table__
    return (upsert_insert(dialect)(table).on_conflict_do_nothing(index_elements=["nonce"])
            .returning(table.c.id))


def redeem_ticket(session: Session, response_id: int, nonce: str) -> bool:
    """Stores a ticket's nonce for a response; False when it was already used."""
    statement = _redemption(session.get_bind().dialect.name)
    return session.execute(statement, {"nonce": nonce, "response_id": response_id}).scalar() is not None


def insert_flag(session: Session, response_id: int, kind: str, reason: str) -> None:
    session.execute(insert(ResponseFlag.__table__).values(
        response_id=response_id, kind=kind, reason=reason))


def _channel_name(name: str) -> str:
    if not _CHANNEL_NAME.match(name):
        raise ValueError(f"not a channel name: {name!r}")
    return name


