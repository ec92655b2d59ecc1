"""A unit's API keys (queue machines, integrators): issue one (its plain text is shown once and
never stored), list, revoke; each change with its audit row. Functions flush, never commit."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys import audit
from surveys.db import utcnow
from surveys.models import Unit, UnitApiKey, User

FIELDS = ("unit_id", "name", "created_at", "revoked_at")
MAX_NAME = 100


def unit_keys(session: Session, unit: Unit) -> list[UnitApiKey]:
    """The unit's keys, active ones first, newest first."""
    return list(session.scalars(select(UnitApiKey).where(UnitApiKey.unit_id == unit.id)
                                .order_by(UnitApiKey.revoked_at.is_not(None),
                                          UnitApiKey.id.desc())))


def issue_key(session: Session, actor: User | None, unit: Unit,
              name: str) -> tuple[UnitApiKey, str]:
    """A new key for `unit`: (row, plain key). ValueError for a blank or too long name."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise ValueError("key name")
    key, plain = UnitApiKey.issue(unit, name)
    session.add(key)
    session.flush()
    audit.record(session, actor=actor, action="create", entity="api_key", entity_id=key.id,
                 unit_id=unit.id, after=audit.values(key, *FIELDS))
    return key, plain


def unit_key(session: Session, unit: Unit | None, key_id: int) -> UnitApiKey | None:
    """Key `key_id` (of `unit` when given), or None."""
    key = session.get(UnitApiKey, key_id)
    return key if key is not None and (unit is None or key.unit_id == unit.id) else None


def revoke_key(session: Session, actor: User | None, key: UnitApiKey) -> UnitApiKey:
    """Revokes the key: machines using it are refused from now on. Idempotent."""
    if key.revoked_at is None:
        before = audit.values(key, *FIELDS)
        key.revoked_at = utcnow()
        session.flush()
        audit.record(session, actor=actor, action="revoke", entity="api_key", entity_id=key.id,
                     unit_id=key.unit_id, before=before, after=audit.values(key, *FIELDS))
    return key
