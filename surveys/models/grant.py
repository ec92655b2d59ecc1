"""Role grants: what a signed-in person may do, each grant with its scope (DESIGN §3).

admin: the whole installation; unit_manager: a unit and its sub-units; evaluator: one named
officer (pejabat penilai of that staff member; one grant per officer evaluated); staff: the
user's own staff record; atasan: the atasan pejabat penilai of one named officer, who decides
that officer's keberatan. A head of unit typically holds several kinds at once.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import UTCDateTime, db, utcnow
from surveys.models.organization import Unit
from surveys.models.staff import Staff

if TYPE_CHECKING:
    from surveys.models.user import User

ROLES = ("admin", "unit_manager", "evaluator", "staff", "atasan")


class RoleGrant(db.Model):
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'unit_manager', 'evaluator', 'staff', 'atasan')",
                        name="role"),
        CheckConstraint(
            "(role = 'admin' AND unit_id IS NULL AND staff_id IS NULL)"
            " OR (role = 'unit_manager' AND unit_id IS NOT NULL AND staff_id IS NULL)"
            " OR (role IN ('evaluator', 'staff', 'atasan') AND unit_id IS NULL AND staff_id IS NOT NULL)",
            name="scope",
        ),
        UniqueConstraint("user_id", "role", "unit_id", "staff_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="grants")
    unit: Mapped[Unit | None] = relationship()
    staff: Mapped[Staff | None] = relationship()
