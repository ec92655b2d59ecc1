"""The append-only audit log: who changed what, when, with the values before and after.

No code path updates or deletes a row; on PostgreSQL and SQLite a trigger refuses both
(migration 0010), so not even a hand-written statement can rewrite history.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from surveys.db import UTCDateTime, db, utcnow


class AuditEvent(db.Model):
    __table_args__ = (
        Index("ix_audit_event_unit_id_at", "unit_id", "at"),
        Index("ix_audit_event_entity_entity_id", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # Plain ids, no foreign keys: the log outlives what it names (a unit deleted before it had
    # responses, say). The actor's label keeps the log readable whatever happens to the user.
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor_label: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40), index=True)  # create, update, deactivate, ...
    entity: Mapped[str] = mapped_column(String(40))  # unit, service, counter, staff, user, ...
    entity_id: Mapped[int | None]
    # The unit the change belongs to: a unit manager reads the log of their units only.
    unit_id: Mapped[int | None]
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
