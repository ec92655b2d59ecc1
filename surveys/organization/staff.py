"""Use cases of a unit's staff (pegawai): listing, creating, editing, deactivating, reactivating.

A unit's page covers the unit and its sub-units. Staff are never deleted (responses and
evaluations name them): a deactivated officer leaves the survey form's "who served you" list.
Every change writes one audit row in the same transaction. Functions flush, never commit.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from surveys import audit
from surveys.errors import StaffNotFound, StaffRefused
from surveys.models import Staff, Touchpoint, Unit, User
from surveys.models.staff import nip_problem_code
from surveys.organization.grants import descendant_ids
from surveys.organization.touchpoints import revoke_where

STAFF_FIELDS = ("nip", "name", "position", "unit_id", "active")


@dataclass(frozen=True)
class StaffData:
    """What a staff form gives, already parsed."""

    nip: str
    name: str
    position: str
    unit_id: int


def tree_ids(session: Session, unit: Unit) -> set[int]:
    """`unit` and every unit below it."""
    return descendant_ids(session, {unit.id})


def placeable_units(session: Session, unit: Unit) -> list[Unit]:
    """Active units of `unit`'s tree a staff member may be placed in: `unit` first, then by name."""
    units = session.scalars(select(Unit).where(Unit.id.in_(tree_ids(session, unit)),
                                               Unit.active.is_(True)).order_by(Unit.name))
    return sorted(units, key=lambda candidate: candidate.id != unit.id)


def unit_staff(session: Session, unit: Unit, search: str = "") -> list[Staff]:
    """Staff of `unit` and its sub-units, active first, by name; `search` filters by name or NIP."""
    query = (select(Staff).where(Staff.unit_id.in_(tree_ids(session, unit)))
             .options(selectinload(Staff.unit))
             .order_by(Staff.active.desc(), Staff.name, Staff.id))
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(Staff.name.ilike(pattern, escape="\\"),
                                Staff.nip.like(pattern, escape="\\")))
    return list(session.scalars(query))


def unit_member(session: Session, unit: Unit, staff_id: int) -> Staff:
    """One staff member of `unit`'s tree; StaffNotFound for anyone else (another unit's too)."""
    staff = session.get(Staff, staff_id)
    if staff is None or staff.unit_id not in tree_ids(session, unit):
        raise StaffNotFound(str(staff_id))
    return staff


def _check(session: Session, unit: Unit, data: StaffData, staff: Staff | None) -> None:
    if nip_problem_code(data.nip) is not None:
        raise StaffRefused("nip", "nip_invalid")
    if data.unit_id not in {candidate.id for candidate in placeable_units(session, unit)}:
        raise StaffRefused("unit", "unit_not_managed")
    holder = session.scalars(select(Staff).where(Staff.nip == data.nip)).one_or_none()
    if holder is not None and holder is not staff:
        raise StaffRefused("nip", "nip_taken")


def create_staff(session: Session, actor: User | None, unit: Unit, data: StaffData) -> Staff:
    """A new staff member in `unit`'s tree; StaffRefused for a NIP already used."""
    _check(session, unit, data, None)
    staff = Staff(nip=data.nip, name=data.name, position=data.position, unit_id=data.unit_id)
    session.add(staff)
    session.flush()
    audit.record(session, actor=actor, action="create", entity="staff", entity_id=staff.id,
                 unit_id=staff.unit_id, after=audit.values(staff, *STAFF_FIELDS))
    return staff


def update_staff(session: Session, actor: User | None, unit: Unit, staff: Staff,
                 data: StaffData) -> bool:
    """Saves the form's values; whether anything changed (an unchanged save writes no audit row)."""
    _check(session, unit, data, staff)
    before = audit.values(staff, *STAFF_FIELDS)
    staff.nip, staff.name, staff.position, staff.unit_id = (
        data.nip, data.name, data.position, data.unit_id)
    after = audit.values(staff, *STAFF_FIELDS)
    if not audit.changed(before, after):
        return False
    session.flush()
    audit.record(session, actor=actor, action="update", entity="staff", entity_id=staff.id,
                 unit_id=staff.unit_id, before=before, after=after)
    return True


def set_active(session: Session, actor: User | None, staff: Staff, active: bool) -> bool:
    """Deactivates (the officer's personal QR codes are revoked: they collect no more answers)
    or reactivates `staff`; whether it changed (a repeated click changes nothing)."""
    if staff.active == active:
        return False
    before = audit.values(staff, *STAFF_FIELDS)
    staff.active = active
    if not active:
        revoke_where(session, actor, Touchpoint.staff_id == staff.id)
    session.flush()
    audit.record(session, actor=actor, action="reactivate" if active else "deactivate",
                 entity="staff", entity_id=staff.id, unit_id=staff.unit_id, before=before,
                 after=audit.values(staff, *STAFF_FIELDS))
    return True
