"""Read-only look-ups for the public pages: units with their survey links, touchpoints, officers on duty."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from surveys.errors import TouchpointClosed, TouchpointNotFound
from surveys.models import (
    Counter,
    CounterAssignment,
    Organization,
    Response,
    Staff,
    Touchpoint,
    Unit,
)


def public_units(session: Session, offset: int = 0, limit: int | None = None) -> list[Unit]:
    """Every unit with its organization, ordered by organization then unit name (a page of
    them with `offset` and `limit`)."""
    return list(
        session.scalars(
            select(Unit)
            .join(Unit.organization)
            .options(selectinload(Unit.organization))
            .order_by(Organization.name, Unit.name, Unit.id)
            .offset(offset).limit(limit)
        )
    )


def unit_count(session: Session) -> int:
    return int(session.scalar(select(func.count(Unit.id))))


def counter_touchpoints(session: Session, unit_ids: list[int]) -> dict[int, list[Touchpoint]]:
    """Active counter touchpoints of the given units, grouped by unit id, in counter order."""
    rows = session.scalars(
        select(Touchpoint)
        .join(Touchpoint.counter)
        .where(
            Touchpoint.unit_id.in_(unit_ids),
            Touchpoint.kind == "counter",
            Touchpoint.revoked_at.is_(None),
        )
        .options(selectinload(Touchpoint.counter))
        .order_by(Counter.code)
    )
    grouped: dict[int, list[Touchpoint]] = {unit_id: [] for unit_id in unit_ids}
    for touchpoint in rows:
        grouped[touchpoint.unit_id].append(touchpoint)
    return grouped


def open_touchpoint(session: Session, public_code: str) -> Touchpoint:
    """The touchpoint behind a QR code, refusing unknown and revoked codes.

    One joined query loads its unit with the unit's services, its counter and its officer.
    """
    touchpoint = session.scalars(
        select(Touchpoint)
        .where(Touchpoint.public_code == public_code)
        .options(
            joinedload(Touchpoint.unit).joinedload(Unit.services),
            joinedload(Touchpoint.counter),
            joinedload(Touchpoint.staff),
        )
    ).unique().one_or_none()
    if touchpoint is None:
        raise TouchpointNotFound(public_code)
    if not touchpoint.active:
        raise TouchpointClosed(public_code)
    return touchpoint


def officers_on_duty(session: Session, touchpoint: Touchpoint, day: date) -> list[Staff]:
    """Who a citizen may say served them: the personal code's officer, or those assigned to the counter."""
    if touchpoint.staff is not None:
        return [touchpoint.staff]
    return list(
        session.scalars(
            select(Staff)
            .join(CounterAssignment, CounterAssignment.staff_id == Staff.id)
            .where(
                CounterAssignment.counter_id == touchpoint.counter_id,
                CounterAssignment.starts_on <= day,
                (CounterAssignment.ends_on.is_(None)) | (CounterAssignment.ends_on >= day),
                Staff.active.is_(True),
            )
            .order_by(Staff.name)
            .distinct()
        )
    )


@dataclass(frozen=True)
class Receipt:
    """What the thank-you page shows of a response, and the touchpoint it came through (or None)."""

    receipt: str
    submitted_at: datetime
    touchpoint_kind: str | None
    touchpoint_code: str | None


_RECEIPT = (  # built once: every citizen's visit ends with it
    select(Response.receipt, Response.submitted_at, Touchpoint.kind, Touchpoint.public_code)
    .outerjoin(Touchpoint, Touchpoint.id == Response.touchpoint_id)
    .where(Response.receipt == bindparam("receipt"))
)


def response_by_receipt(session: Session, receipt: str) -> Receipt | None:
    """The response a receipt number names, for the thank-you page: one row, one statement."""
    row = session.execute(_RECEIPT, {"receipt": receipt}).one_or_none()
    return None if row is None else Receipt(*row)
