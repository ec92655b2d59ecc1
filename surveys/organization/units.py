"""Use cases of the organization's structure: organizations, the unit tree, services and counters.

Every change writes one audit row in the same transaction (surveys.audit). A unit, service or
counter with history is deactivated, never deleted; only a unit created by mistake, with no
responses and nothing hanging off it, may be deleted. Functions flush, never commit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from surveys import audit
from surveys.errors import SurveyError
from surveys.models import (
    Counter,
    CounterAssignment,
    Organization,
    Population,
    Response,
    RoleGrant,
    Service,
    Staff,
    Touchpoint,
    Unit,
    UnitApiKey,
    User,
)
from surveys.models.organization import UNIT_TIMEZONES
from surveys.organization.grants import can_manage, descendant_ids, is_admin, managed_unit_ids
from surveys.organization.touchpoints import create_touchpoint, revoke_where

ORGANIZATION_FIELDS = ("code", "name")
UNIT_FIELDS = ("organization_id", "parent_id", "code", "name", "timezone", "active")
PART_FIELDS = ("unit_id", "code", "name", "active")
PARTS = {"service": Service, "counter": Counter}  # a unit's parts, by audit entity name

# Codes appear in URLs: letters, digits and - _ . only; unit and organization codes lower case.
UNIT_CODE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}", re.ASCII)
PART_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}", re.ASCII)


class Refused(SurveyError):
    """A change that would break the data; `field` names the form field, `problem` the reason:
    'code_taken', 'code_format', 'parent_required', 'parent_unknown', 'parent_cycle',
    'timezone', 'has_responses', 'has_children', 'has_staff', 'in_use', 'blank'."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field, self.problem = field, problem


@dataclass
class Node:
    """A unit in the tree, with the sub-units the viewer may see."""

    unit: Unit
    children: list[Node] = field(default_factory=list)


@dataclass
class OrganizationTree:
    organization: Organization
    roots: list[Node]


def organization_tree(session: Session, user: User) -> list[OrganizationTree]:
    """The organizations `user` sees, each with its unit tree: every organization and unit for
    an admin; for a manager, the organizations of their units with only their units."""
    managed = managed_unit_ids(session, user)
    units = list(session.scalars(select(Unit).where(Unit.id.in_(managed)).order_by(Unit.name))) \
        if managed else []
    query = select(Organization).order_by(Organization.name)
    if not is_admin(user):
        query = query.where(Organization.id.in_({unit.organization_id for unit in units}))
    nodes = {unit.id: Node(unit) for unit in units}
    roots: dict[int, list[Node]] = {}
    for unit in units:
        if unit.parent_id in nodes:
            nodes[unit.parent_id].children.append(nodes[unit.id])
        else:
            roots.setdefault(unit.organization_id, []).append(nodes[unit.id])
    return [OrganizationTree(org, roots.get(org.id, [])) for org in session.scalars(query)]


def organization_by_code(session: Session, code: str) -> Organization | None:
    return session.scalars(select(Organization).where(Organization.code == code)).one_or_none()


def _clean(text: str | None, name: str, *, pattern: re.Pattern | None = None) -> str:
    text = (text or "").strip()
    if not text:
        raise Refused(name, "blank")
    if pattern is not None and not pattern.fullmatch(text):
        raise Refused(name, "code_format")
    return text


def _unique_code(session: Session, model, code: str, skip_id: int | None, **scope) -> None:
    query = select(model.id).where(model.code == code, model.id != (skip_id or 0))
    for column, value in scope.items():
        query = query.where(getattr(model, column) == value)
    if session.scalars(query.limit(1)).first() is not None:
        raise Refused("code", "code_taken")


def create_organization(session: Session, actor: User, code: str, name: str) -> Organization:
    code = _clean(code, "code", pattern=UNIT_CODE)
    _unique_code(session, Organization, code, None)
    organization = Organization(code=code, name=_clean(name, "name"))
    session.add(organization)
    session.flush()
    audit.record(session, actor=actor, action="create", entity="organization",
                 entity_id=organization.id, after=audit.values(organization, *ORGANIZATION_FIELDS))
    return organization


def update_organization(session: Session, actor: User, organization: Organization, code: str,
                        name: str) -> Organization:
    code = _clean(code, "code", pattern=UNIT_CODE)
    _unique_code(session, Organization, code, organization.id)
    before = audit.values(organization, *ORGANIZATION_FIELDS)
    organization.code, organization.name = code, _clean(name, "name")
    _record_update(session, actor, "organization", organization, before, ORGANIZATION_FIELDS)
    return organization


def _record_update(session: Session, actor: User, entity: str, obj, before: dict,
                   fields: tuple[str, ...], unit_id: int | None = None) -> None:
    session.flush()
    after = audit.values(obj, *fields)
    if audit.changed(before, after):
        audit.record(session, actor=actor, action="update", entity=entity, entity_id=obj.id,
                     unit_id=unit_id, before=before, after=after)


def _parent(session: Session, actor: User, organization: Organization, parent_code: str | None,
            unit: Unit | None = None) -> Unit | None:
    """The parent unit a form names: in the same organization, one `actor` manages (or the one
    the unit already has), never the unit itself or one below it."""
    parent_code = (parent_code or "").strip()
    if not parent_code:
        if not is_admin(actor) and (unit is None or unit.parent_id is not None):
            raise Refused("parent", "parent_required")  # only admins make top-level units
        return None
    parent = session.scalars(select(Unit).where(Unit.code == parent_code,
                                                Unit.organization_id == organization.id)
                             ).one_or_none()
    if parent is None:
        raise Refused("parent", "parent_unknown")
    if unit is not None and parent.id == unit.parent_id:
        return parent
    if not can_manage(session, actor, parent):
        raise Refused("parent", "parent_unknown")
    if unit is not None and parent.id in descendant_ids(session, {unit.id}):
        raise Refused("parent", "parent_cycle")
    return parent


def _timezone(timezone: str | None) -> str:
    if timezone not in UNIT_TIMEZONES:
        raise Refused("timezone", "timezone")
    return timezone


def create_unit(session: Session, actor: User, organization: Organization, *, code: str,
                name: str, timezone: str, parent_code: str | None) -> Unit:
    """A new unit (a sub-unit when a parent is named); managers only below their own units."""
    code = _clean(code, "code", pattern=UNIT_CODE)
    name = _clean(name, "name")
    timezone = _timezone(timezone)
    parent = _parent(session, actor, organization, parent_code)
    _unique_code(session, Unit, code, None)
    unit = Unit(organization=organization, parent=parent, code=code, name=name, timezone=timezone,
                active=True)
    session.add(unit)
    session.flush()
    audit.record(session, actor=actor, action="create", entity="unit", entity_id=unit.id,
                 unit_id=unit.id, after=audit.values(unit, *UNIT_FIELDS))
    return unit


def update_unit(session: Session, actor: User, unit: Unit, *, code: str, name: str,
                timezone: str, parent_code: str | None) -> Unit:
    code = _clean(code, "code", pattern=UNIT_CODE)
    name = _clean(name, "name")
    timezone = _timezone(timezone)
    parent = _parent(session, actor, unit.organization, parent_code, unit)
    _unique_code(session, Unit, code, unit.id)
    before = audit.values(unit, *UNIT_FIELDS)
    unit.code, unit.name, unit.timezone, unit.parent = code, name, timezone, parent
    _record_update(session, actor, "unit", unit, before, UNIT_FIELDS, unit.id)
    return unit


def set_unit_active(session: Session, actor: User, unit: Unit, active: bool) -> Unit:
    """Deactivates (its QR codes are revoked: a closed unit collects no answers) or reactivates
    a unit; its history stays. Sub-units keep their own state."""
    if unit.active == active:
        return unit
    before = audit.values(unit, *UNIT_FIELDS)
    unit.active = active
    if not active:
        revoke_where(session, actor, Touchpoint.unit_id == unit.id)
    session.flush()
    audit.record(session, actor=actor, action="reactivate" if active else "deactivate",
                 entity="unit", entity_id=unit.id, unit_id=unit.id, before=before,
                 after=audit.values(unit, *UNIT_FIELDS))
    return unit


def _any(session: Session, query) -> bool:
    return bool(session.scalar(select(exists(query))))


def delete_unit(session: Session, actor: User, unit: Unit) -> None:
    """Deletes a unit made by mistake, with its services, counters and codes; refused (Refused)
    when it has responses (deactivate it instead), sub-units, staff, users or API keys."""
    checks = (
        ("has_responses", select(Response.id).where(Response.unit_id == unit.id)),
        ("has_children", select(Unit.id).where(Unit.parent_id == unit.id)),
        ("has_staff", select(Staff.id).where(Staff.unit_id == unit.id)),
        ("in_use", select(RoleGrant.id).where(RoleGrant.unit_id == unit.id)),
        ("in_use", select(UnitApiKey.id).where(UnitApiKey.unit_id == unit.id)),
    )
    for problem, query in checks:
        if _any(session, query):
            raise Refused("unit", problem)
    before = audit.values(unit, *UNIT_FIELDS)
    counters = select(Counter.id).where(Counter.unit_id == unit.id)
    for statement in (
        delete(Touchpoint).where(Touchpoint.unit_id == unit.id),
        delete(CounterAssignment).where(CounterAssignment.counter_id.in_(counters)),
        delete(Counter).where(Counter.unit_id == unit.id),
        delete(Service).where(Service.unit_id == unit.id),
        delete(Population).where(Population.unit_id == unit.id),
    ):
        session.execute(statement.execution_options(synchronize_session=False))
    unit_id = unit.id
    session.delete(unit)
    session.flush()
    audit.record(session, actor=actor, action="delete", entity="unit", entity_id=unit_id,
                 unit_id=unit_id, before=before)


def response_count(session: Session, unit: Unit) -> int:
    return session.scalar(select(func.count()).select_from(Response)
                          .where(Response.unit_id == unit.id)) or 0


# Services (jenis layanan) and counters (loket): the same shape, told apart by `entity`.

def unit_parts(session: Session, unit: Unit, entity: str, *, active_only: bool = False) -> list:
    """The unit's services or counters, active ones first, by code."""
    model = PARTS[entity]
    query = select(model).where(model.unit_id == unit.id)
    if active_only:
        query = query.where(model.active.is_(True))
    return list(session.scalars(query.order_by(model.active.desc(), model.code)))


def unit_officers(session: Session, unit: Unit) -> list[Staff]:
    """The unit's active officers, by name: who may get a personal QR code."""
    return list(session.scalars(select(Staff).where(Staff.unit_id == unit.id,
                                                    Staff.active.is_(True)).order_by(Staff.name)))


def unit_part(session: Session, unit: Unit, entity: str, part_id: int):
    """One service or counter of `unit`, or None (another unit's, or no such id)."""
    part = session.get(PARTS[entity], part_id)
    return part if part is not None and part.unit_id == unit.id else None


def create_part(session: Session, actor: User, unit: Unit, entity: str, *, code: str,
                name: str):
    """A new service or counter; a new counter gets its QR code at once, ready to print."""
    model = PARTS[entity]
    code = _clean(code, "code", pattern=PART_CODE)
    name = _clean(name, "name")
    _unique_code(session, model, code, None, unit_id=unit.id)
    part = model(unit_id=unit.id, code=code, name=name, active=True)
    session.add(part)
    session.flush()
    audit.record(session, actor=actor, action="create", entity=entity, entity_id=part.id,
                 unit_id=unit.id, after=audit.values(part, *PART_FIELDS))
    if entity == "counter":
        create_touchpoint(session, actor, unit, "counter", counter_id=part.id)
    return part


def update_part(session: Session, actor: User, part, entity: str, *, code: str, name: str):
    code = _clean(code, "code", pattern=PART_CODE)
    name = _clean(name, "name")
    _unique_code(session, PARTS[entity], code, part.id, unit_id=part.unit_id)
    before = audit.values(part, *PART_FIELDS)
    part.code, part.name = code, name
    _record_update(session, actor, entity, part, before, PART_FIELDS, part.unit_id)
    return part


def set_part_active(session: Session, actor: User, part, entity: str, active: bool):
    """Deactivates or reactivates a service or counter; a deactivated counter's QR codes are
    revoked, a deactivated service is no longer offered on the form."""
    if part.active == active:
        return part
    before = audit.values(part, *PART_FIELDS)
    part.active = active
    if entity == "counter" and not active:
        revoke_where(session, actor, Touchpoint.counter_id == part.id)
    session.flush()
    audit.record(session, actor=actor, action="reactivate" if active else "deactivate",
                 entity=entity, entity_id=part.id, unit_id=part.unit_id, before=before,
                 after=audit.values(part, *PART_FIELDS))
    return part
