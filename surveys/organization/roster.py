"""The duty roster: which officer serves at which counter from one date to another (open-ended
when no end is given). The survey form's "who served you" list reads it
(`directory.officers_on_duty`). Dates are the unit's calendar days. Every change writes one
audit row; assignments are ended, never deleted. Functions flush, never commit.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from surveys import audit
from surveys.db import utcnow
from surveys.errors import StaffRefused
from surveys.models import Counter, CounterAssignment, Staff, Unit, User
from surveys.organization.staff import tree_ids
from surveys.periods import local_day

ASSIGNMENT_FIELDS = ("staff_id", "counter_id", "starts_on", "ends_on")


def unit_today(unit: Unit, now: datetime | None = None) -> date:
    """Today's date in the unit's time zone (WIB, WITA or WIT)."""
    return local_day(now or utcnow(), unit.timezone)


def unit_assignments(session: Session, unit: Unit, today: date,
                     *, past: bool = False) -> list[CounterAssignment]:
    """The roster of `unit`'s counters: in force or upcoming on `today` (by counter, start,
    officer), or with `past` those that ended before it (latest first, at most 100)."""
    query = (select(CounterAssignment).join(CounterAssignment.counter)
             .join(CounterAssignment.staff)
             .where(Counter.unit_id == unit.id)
             .options(selectinload(CounterAssignment.counter),
                      selectinload(CounterAssignment.staff)))
    if past:
        return list(session.scalars(query.where(CounterAssignment.ends_on < today)
                                    .order_by(CounterAssignment.ends_on.desc(), Staff.name)
                                    .limit(100)))
    return list(session.scalars(
        query.where(or_(CounterAssignment.ends_on.is_(None), CounterAssignment.ends_on >= today))
        .order_by(Counter.code, CounterAssignment.starts_on, Staff.name)))


def unit_assignment(session: Session, unit: Unit, assignment_id: int) -> CounterAssignment | None:
    """One assignment at a counter of `unit`, or None (another unit's, or no such id)."""
    assignment = session.get(CounterAssignment, assignment_id)
    if assignment is None or assignment.counter.unit_id != unit.id:
        return None
    return assignment


def assignable_counters(unit: Unit) -> list[Counter]:
    return [counter for counter in unit.counters if counter.active]


def assignable_staff(session: Session, unit: Unit) -> list[Staff]:
    """Active staff of `unit` and its sub-units, by name."""
    return list(session.scalars(select(Staff).where(Staff.unit_id.in_(tree_ids(session, unit)),
                                                    Staff.active.is_(True))
                                .order_by(Staff.name, Staff.id)))


def _check_dates(session: Session, staff_id: int, counter_id: int, starts_on: date,
                 ends_on: date | None, ignore: CounterAssignment | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise StaffRefused("ends_on", "date_order")
    overlapping = select(CounterAssignment.id).where(
        CounterAssignment.staff_id == staff_id, CounterAssignment.counter_id == counter_id,
        or_(CounterAssignment.ends_on.is_(None), CounterAssignment.ends_on >= starts_on))
    if ends_on is not None:
        overlapping = overlapping.where(CounterAssignment.starts_on <= ends_on)
    if ignore is not None:
        overlapping = overlapping.where(CounterAssignment.id != ignore.id)
    if session.scalars(overlapping.limit(1)).first() is not None:
        raise StaffRefused("starts_on", "overlap")


def assign(session: Session, actor: User | None, unit: Unit, staff_id: int, counter_id: int,
           starts_on: date, ends_on: date | None) -> CounterAssignment:
    """Puts an active officer of `unit`'s tree on duty at an active counter of `unit`;
    StaffRefused for anyone or anything else, and for a period overlapping their own at it."""
    if counter_id not in {counter.id for counter in assignable_counters(unit)}:
        raise StaffRefused("counter", "unknown_counter")
    if staff_id not in {staff.id for staff in assignable_staff(session, unit)}:
        raise StaffRefused("staff", "unknown_staff")
    _check_dates(session, staff_id, counter_id, starts_on, ends_on, None)
    assignment = CounterAssignment(staff_id=staff_id, counter_id=counter_id,
                                   starts_on=starts_on, ends_on=ends_on)
    session.add(assignment)
    session.flush()
    audit.record(session, actor=actor, action="create", entity="assignment",
                 entity_id=assignment.id, unit_id=unit.id,
                 after=audit.values(assignment, *ASSIGNMENT_FIELDS))
    return assignment


def change_dates(session: Session, actor: User | None, unit: Unit, assignment: CounterAssignment,
                 starts_on: date, ends_on: date | None) -> bool:
    """New dates for an assignment (an end date ends it); whether anything changed."""
    _check_dates(session, assignment.staff_id, assignment.counter_id, starts_on, ends_on,
                 assignment)
    before = audit.values(assignment, *ASSIGNMENT_FIELDS)
    assignment.starts_on, assignment.ends_on = starts_on, ends_on
    after = audit.values(assignment, *ASSIGNMENT_FIELDS)
    if not audit.changed(before, after):
        return False
    session.flush()
    audit.record(session, actor=actor, action="update", entity="assignment",
                 entity_id=assignment.id, unit_id=unit.id, before=before, after=after)
    return True
