"""The SQL that stores one response: on PostgreSQL one statement, on SQLite a short sequence.

The guarded INSERT copies its values from a SELECT whose WHERE re-checks, in the database and in
the same statement, that the touchpoint is still open and that the chosen officer is on duty at
its counter and the service is the unit's; with ON CONFLICT on the submission key it also makes a
replayed form count once. It returns the new id (nothing when a check failed or the key was
already used: the caller then finds out which) and the count the device check needs. What goes
with the response (its roll-up queue entry, comment, reply contact, ticket nonce and abuse flag)
is inserted from that result: on PostgreSQL as parts of the same statement (`WITH new AS (INSERT
… RETURNING …) INSERT …`), atomic even in autocommit; on SQLite one after the other inside a
savepoint. A used ticket nonce makes the whole statement fail (PostgreSQL) or the savepoint roll
back (SQLite): nothing is stored. Statements are built and compiled once per dialect and shape.
"""
from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    Integer,
    String,
    Text,
    and_,
    bindparam,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from surveys.responses.abuse import DEVICE_EXEMPT_CHANNELS, SUSPICIOUS, SubmitChecks, device_reason_sql
from surveys.db import upsert_insert
from surveys.driver_sql import Driver, DriverStatement
from surveys.errors import SurveyError
from surveys.models import (
    Answer,
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
            .returning(RESPONSE.c.id, _earlier_from_device().label("earlier")))


def _earlier_from_device():
    """How many other responses the new one's device sent since `device_since`, outside the
    channels left out of device checks (the abuse check's input, read in the same statement).

    Only parameters, no reference to the inserted row: SQLite's RETURNING cannot correlate one.
    The new row is left out by its receipt (SQLite's RETURNING sees it, PostgreSQL's does not).
    The window is a range of (device, time) pairs, which only the index on both columns can
    serve: a plan made once for every device (PostgreSQL's generic plans) otherwise took the
    index on the time alone and read every answer of the window (tests/public/test_lean_writes.py).
    """
    earlier = RESPONSE.alias("earlier")
    device, since = _param("device_hash"), bindparam("device_since", type_=RESPONSE.c.submitted_at.type)
    pair = tuple_(earlier.c.device_hash, earlier.c.submitted_at)
    return (select(func.count()).select_from(earlier).where(
        earlier.c.device_hash == device, earlier.c.receipt != _param("receipt"),
        pair >= tuple_(device, since), pair <= tuple_(device, _param("submitted_at")),
        # our own constants, inlined: a positional statement cannot expand an IN list
        *(earlier.c.channel != _constant(_channel_name(name)) for name in DEVICE_EXEMPT_CHANNELS))
        .scalar_subquery())


@dataclass(frozen=True)
class Shape:
    """What one submission stores besides the response: decides which statement it runs."""

    check_staff: bool
    check_service: bool
    texts: int = 0  # how many text answers (comments)
    reply: bool = False
    ticket: bool = False
    device_checked: bool = False  # the device check applies (a device, not a kiosk or paper)


@dataclass(frozen=True)
class Extras:
    """The values of the extras: text answers by item id, reply contact, ticket nonce, and the
    abuse checks the statement applies."""

    texts: dict[int, str]
    reply_contact: str | None
    nonce: str | None
    checks: SubmitChecks

    def shape(self, check_staff: bool, check_service: bool) -> Shape:
        return Shape(check_staff, check_service, len(self.texts), self.reply_contact is not None,
                     self.nonce is not None, self.checks.device_checked)

    def params(self) -> dict:
        before, after = self.checks.device_reason
        out = {"contact": self.reply_contact, "nonce": self.nonce,
               "fast_reason": self.checks.fast_reason, "device_max": self.checks.device_max,
               "device_reason_before": before, "device_reason_after": after}
        for position, (item_id, text) in enumerate(sorted(self.texts.items())):
            out[f"text_item_{position}"], out[f"text_{position}"] = item_id, text
        return out


@dataclass(frozen=True)
class Inserted:
    id: int
    earlier_from_device: int  # other responses of its device since `device_since`


class TicketUsed(SurveyError):
    """The ticket's nonce was already used: the response is not counted again."""


def _extra_inserts(dialect: str, shape: Shape, new) -> list:
    """INSERT … SELECT … FROM new for each extra; `new` has the columns id and earlier."""
    parts = [insert(RollupPending.__table__).from_select(["response_id"], select(new.c.id),
                                                          include_defaults=False)]
    if shape.texts:
        rows = [select(new.c.id, bindparam(f"text_item_{i}", type_=Integer),
                       bindparam(f"text_{i}", type_=Text)) for i in range(shape.texts)]
        parts.append(insert(Answer.__table__).from_select(
            ["response_id", "item_id", "value_text"],
            rows[0] if len(rows) == 1 else rows[0].union_all(*rows[1:]), include_defaults=False))
    if shape.reply:
        parts.append(insert(ReplyRequest.__table__).from_select(
            ["response_id", "contact", "created_at"],
            select(new.c.id, bindparam("contact", type_=String), _param("submitted_at")),
            include_defaults=False))
    if shape.ticket and dialect == "postgresql":  # a used nonce fails the whole statement
        parts.append(insert(TicketRedemption.__table__).from_select(
            ["nonce", "response_id", "redeemed_at"],
            select(bindparam("nonce", type_=String), new.c.id, _param("submitted_at")),
            include_defaults=False))
    reason = _flag_reason(shape, new)
    parts.append(insert(ResponseFlag.__table__).from_select(
        ["response_id", "kind", "reason", "created_at"],
        select(new.c.id, _constant(SUSPICIOUS), reason, _param("submitted_at"))
        .where(reason.is_not(None)), include_defaults=False))
    return parts


def _flag_reason(shape: Shape, new):
    """The abuse flag's reason: too fast (decided before), too many from one device, or both."""
    fast = bindparam("fast_reason", type_=String)
    if not shape.device_checked:
        return fast
    device = device_reason_sql(new.c.earlier + literal_column("1", Integer))
    return func.coalesce(fast + _constant("; ") + device, fast, device)


@functools.cache
def _one_statement(shape: Shape) -> DriverStatement:
    """PostgreSQL: WITH new AS (<guarded insert>), <extras> SELECT id, earlier FROM new."""
    def build(_dialect: str):
        new = guarded_insert("postgresql", shape.check_staff, shape.check_service).cte("new")
        extras = _extra_inserts("postgresql", shape, new)
        return select(new.c.id, new.c.earlier).add_cte(
            *(extra.cte(f"extra_{position}") for position, extra in enumerate(extras)))
    return DriverStatement(build)


@functools.cache
def _sequence(shape: Shape) -> tuple[DriverStatement, ...]:
    """SQLite: the extras, each from a one-row SELECT of the new id and count."""
    new = select(bindparam("response_id", type_=Integer).label("id"),
                 bindparam("earlier", type_=Integer).label("earlier")).subquery("new")
    return tuple(DriverStatement(lambda _dialect, part=part: part)
                 for part in _extra_inserts("sqlite", shape, new))


_GUARDED_INSERTS = {
    (staff, service): DriverStatement(functools.partial(
        guarded_insert, check_staff=staff, check_service=service))
    for staff in (False, True) for service in (False, True)
}


def _redeem(dialect: str):
    """SQLite: the ticket's nonce, or nothing returned when it is stored already."""
    table = TicketRedemption.__table__
    values = select(bindparam("nonce", type_=String), bindparam("response_id", type_=Integer),
                    _param("submitted_at"))
    return (upsert_insert(dialect)(table)
            .from_select(["nonce", "response_id", "redeemed_at"], values.where(true()),
                         include_defaults=False)
            .on_conflict_do_nothing(index_elements=["nonce"]).returning(table.c.id))


_REDEEM = DriverStatement(_redeem)


def store_response(driver: Driver, row: dict, extras: Extras, *, today: date,
                   device_since: datetime, check_staff: bool, check_service: bool) -> Inserted | None:
    """The new response with its extras, or None when a check failed or its submission key was
    used. Raises TicketUsed when its ticket was, and then stores nothing (on PostgreSQL
    the failed statement spoils an open transaction: its owner rolls back, as after any error)."""
    shape = extras.shape(check_staff, check_service)
    params = {**row, **extras.params(), "today": today, "device_since": device_since}
    if driver.name != "postgresql":
        return _store_in_sequence(driver, params, shape)
    try:
        returned = _one_statement(shape).execute(driver, params)
    except driver.dialect.loaded_dbapi.IntegrityError as error:
        if shape.ticket and "uq_ticket_redemption_nonce" in str(error):
            raise TicketUsed(extras.nonce) from error
        raise
    return None if returned is None else Inserted(*returned)


def _store_in_sequence(driver: Driver, params: dict, shape: Shape) -> Inserted | None:
    """SQLite: the guarded insert, the ticket's nonce, then the extras, in one savepoint."""
    driver.savepoint("store_response")
    try:
        returned = _GUARDED_INSERTS[shape.check_staff, shape.check_service].execute(driver, params)
        if returned is not None:
            inserted = Inserted(*returned)
            params = {**params, "response_id": inserted.id, "earlier": inserted.earlier_from_device}
            if shape.ticket and _REDEEM.execute(driver, params) is None:
                raise TicketUsed(params["nonce"])
            for part in _sequence(shape):
                part.execute(driver, params)
    except BaseException:
        driver.savepoint("store_response", "ROLLBACK TO")
        driver.savepoint("store_response", "RELEASE")
        raise
    driver.savepoint("store_response", "RELEASE")
    return None if returned is None else inserted


def compile_statements(dialect: Dialect) -> None:
    """Compiles ahead of use the statements of a citizen's everyday forms (officer and service
    chosen or not, a comment or not, device checked or not): ~14 ms each, else paid by the
    first such submission of each process. Rarer shapes compile on first use."""
    for staff, service, texts, device in itertools.product((False, True), (False, True), (0, 1),
                                                           (False, True)):
        shape = Shape(staff, service, texts, device_checked=device)
        if dialect.name == "postgresql":
            _one_statement(shape).compile_for(dialect)
        else:
            for statement in (_GUARDED_INSERTS[staff, service], *_sequence(shape)):
                statement.compile_for(dialect)


def earlier_response(session: Session, submission_key: str) -> tuple[int, str] | None:
    """(id, receipt) of the response already stored under a submission key."""
    row = session.execute(select(RESPONSE.c.id, RESPONSE.c.receipt)
                          .where(RESPONSE.c.submission_key == submission_key)).first()
    return None if row is None else (row.id, row.receipt)


def _constant(text: str):
    """One of our own constant strings, inlined (driver statements take named parameters only)."""
    if "'" in text:
        raise ValueError(f"not a plain constant: {text!r}")
    return literal_column(f"'{text}'", type_=String)


def _channel_name(name: str) -> str:
    if not _CHANNEL_NAME.match(name):
        raise ValueError(f"not a channel name: {name!r}")
    return name
