"""What a QR code points at: a counter, or one officer's personal code."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import UTCDateTime, db
from surveys.models.organization import Counter, Unit
from surveys.models.staff import Staff


def new_public_code() -> str:
    """An opaque, unguessable slug for a QR URL (72 random bits, URL-safe)."""
    return secrets.token_urlsafe(9)


class Touchpoint(db.Model):
    """A public entry point to the survey; revoking it retires old posters.

    Kinds: a counter's poster, an officer's personal code, or a kiosk tablet at a counter
    (the form resets for the next citizen after each answer).
    """

    __table_args__ = (
        CheckConstraint("kind IN ('counter', 'staff', 'kiosk')", name="kind"),
        CheckConstraint(
            "(kind IN ('counter', 'kiosk') AND counter_id IS NOT NULL)"
            " OR (kind = 'staff' AND staff_id IS NOT NULL)",
            name="target",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_code: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_code)
    kind: Mapped[str] = mapped_column(String(10))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    unit: Mapped[Unit] = relationship()
    counter: Mapped[Counter | None] = relationship()
    staff: Mapped[Staff | None] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None
