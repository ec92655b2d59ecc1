"""What a touchpoint's survey form shows, as plain immutable values read in two small statements.

The values are everything the form page depends on (place names, services, officers on duty,
the instrument's id), so they are also the key of the app's rendered-page cache: a revoked code,
a roster change or a new instrument changes the key, and no stale page can be served.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, literal, or_, select
from sqlalchemy.orm import Session

from surveys.errors import InstrumentMissing, TouchpointClosed, TouchpointNotFound
from surveys.models import Counter, CounterAssignment, Instrument, Service, Staff, Touchpoint, Unit
from surveys.periods import local_day
from surveys.responses.instruments import SKM_CODE, SKM_VERSION


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class UnitContent:
    name: str
    services: tuple[Choice, ...]


@dataclass(frozen=True)
class TouchpointContent:
    """The attributes of a Touchpoint the form template reads, under the same names."""

    public_code: str
    kind: str
    unit: UnitContent
    counter: Choice | None
    staff: Choice | None


@dataclass(frozen=True)
class FormContent:
    touchpoint: TouchpointContent
    instrument_id: int
    officers: tuple[Choice, ...]


_INSTRUMENT_ID = (select(Instrument.id)
                  .where(Instrument.code == SKM_CODE, Instrument.version == SKM_VERSION)
                  .scalar_subquery())
# Built once at import, with bound parameters: every form GET runs them.
_TOUCHPOINT = (
    select(Touchpoint.public_code, Touchpoint.kind, Touchpoint.revoked_at, Touchpoint.unit_id,
           Touchpoint.counter_id, Touchpoint.staff_id, Unit.name, Unit.timezone, Counter.name,
           Staff.name, _INSTRUMENT_ID)
    .join(Unit, Unit.id == Touchpoint.unit_id)
    .outerjoin(Counter, Counter.id == Touchpoint.counter_id)
    .outerjoin(Staff, Staff.id == Touchpoint.staff_id)
    .where(Touchpoint.public_code == bindparam("public_code"))
)
_SERVICES = select(literal(0).label("part"), Service.code.label("sort"), Service.id,
                   Service.name).where(Service.unit_id == bindparam("unit_id"),
                                       Service.active.is_(True))  # a deactivated one is not offered
_OFFICERS = (
    select(literal(1), Staff.name, Staff.id, Staff.name)
    .join(CounterAssignment, CounterAssignment.staff_id == Staff.id)
    .where(CounterAssignment.counter_id == bindparam("counter_id"),
           CounterAssignment.starts_on <= bindparam("today"),
           or_(CounterAssignment.ends_on.is_(None), CounterAssignment.ends_on >= bindparam("today")),
           Staff.active.is_(True))
    .distinct()
)


def _ordered(choices):
    rows = choices.subquery()
    return select(rows.c.part, rows.c.id, rows.c.name).order_by(rows.c.part, rows.c.sort, rows.c.id)


# (0, id, name) per service of the unit by code, then for a counter (1, id, name) per active
# officer assigned to it on the day, by name (as `directory.officers_on_duty`).
_SERVICES_ONLY = _ordered(_SERVICES)
_SERVICES_AND_OFFICERS = _ordered(_SERVICES.union_all(_OFFICERS))


def form_content(session: Session, public_code: str, now: datetime) -> FormContent:
    """The form of an open touchpoint at the UTC moment `now`, with the officers on duty on the
    unit's own calendar day (TouchpointNotFound / TouchpointClosed otherwise; InstrumentMissing
    before `flask db upgrade` stored the default instrument). Reads only."""
    row = session.execute(_TOUCHPOINT, {"public_code": public_code}).one_or_none()
    if row is None:
        raise TouchpointNotFound(public_code)
    (code, kind, revoked_at, unit_id, counter_id, staff_id, unit, timezone, counter, staff,
     instrument) = row
    if revoked_at is not None:
        raise TouchpointClosed(public_code)
    if instrument is None:
        raise InstrumentMissing(SKM_CODE)
    # The unit's services and the counter's officers on duty, in one statement; a personal
    # code has no counter: its officer is the touchpoint's own.
    services, officers = [], []
    choices = session.execute(
        _SERVICES_ONLY if counter_id is None else _SERVICES_AND_OFFICERS,
        {"unit_id": unit_id, "counter_id": counter_id, "today": local_day(now, timezone)})
    for part, choice_id, name in choices:
        (services if part == 0 else officers).append(Choice(choice_id, name))
    staff_choice = Choice(staff_id, staff) if staff_id is not None else None
    return FormContent(
        TouchpointContent(code, kind, UnitContent(unit, tuple(services)),
                          Choice(counter_id, counter) if counter_id is not None else None,
                          staff_choice),
        instrument, (staff_choice,) if staff_choice else tuple(officers))
