"""The append-only audit log (DESIGN §6): every change to units, staff, rosters, users and grants,
touchpoints, flags and sign-ins, with who, when, and the values before and after.

Services call `record` in the same transaction as the change they make, so a change and its audit
row commit or roll back together. Nothing here updates or deletes a row.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.models import AuditEvent, User

SYSTEM = "sistem"  # the actor label of changes no signed-in person made (CLI, timers)


def _plain(value: Any) -> Any:
    """A JSON-safe copy of one attribute value."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def values(entity: object, *fields: str) -> dict[str, Any]:
    """The named attributes of `entity` as a JSON-safe dict: the 'before' or 'after' of a change."""
    return {field: _plain(getattr(entity, field)) for field in fields}


def record(session: Session, *, actor: User | None, action: str, entity: str,
           entity_id: int | None = None, unit_id: int | None = None,
           before: dict | None = None, after: dict | None = None,
           reason: str | None = None, actor_label: str | None = None) -> AuditEvent:
    """Appends one audit row and flushes it; `actor` None means the system (or name the actor in
    `actor_label`, e.g. the username a failed sign-in gave)."""
    label = actor_label or (actor.username if actor is not None else SYSTEM)
    event = AuditEvent(actor_id=actor.id if actor is not None else None, actor_label=label[:200],
                       action=action, entity=entity, entity_id=entity_id, unit_id=unit_id,
                       before=before, after=after, reason=reason)
    session.add(event)
    session.flush()
    return event


def changed(before: dict, after: dict) -> bool:
    """Whether an update changed anything worth a row (an unchanged save writes none)."""
    return before != after


def apply(session: Session, row, change, *, actor: User | None, action: str, entity: str,
          fields: tuple[str, ...], unit_id: int | None) -> None:
    """Applies `change` (a function of `row`), flushes, and appends one audit row with the
    `fields` before and after, when it changed any of them."""
    before = values(row, *fields)
    change(row)
    session.flush()
    after = values(row, *fields)
    if changed(before, after):
        record(session, actor=actor, action=action, entity=entity, entity_id=row.id,
               unit_id=unit_id, before=before, after=after)


def events(session: Session, *, unit_ids: set[int] | None = None, entity: str | None = None,
           action: str | None = None, actor: str | None = None,
           since: datetime | None = None, until: datetime | None = None,
           limit: int = 200, before_id: int | None = None) -> list[AuditEvent]:
    """The newest events first, filtered; `unit_ids` None means every unit (an admin's view),
    a set limits the log to those units (a manager's view)."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if unit_ids is not None:
        query = query.where(AuditEvent.unit_id.in_(unit_ids))
    if entity:
        query = query.where(AuditEvent.entity == entity)
    if action:
        query = query.where(AuditEvent.action == action)
    if actor:
        query = query.where(AuditEvent.actor_label == actor)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if until is not None:
        query = query.where(AuditEvent.at < until)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return list(session.scalars(query))
