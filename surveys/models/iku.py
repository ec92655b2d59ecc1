"""IKU targets (indikator kinerja utama) of a unit and period, e.g. IKM ≥ 82 (DESIGN §3).

The realisation is computed from the data with its interval (`surveys.evaluations.iku`), shown
on the unit dashboard and pulled into the SKP items that reference the target.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import UTCDateTime, db, utcnow
from surveys.models.organization import Unit

# ikm: the unit's IKM (25–100); waiting: share of respondents who waited under 15 minutes (%);
# responses: respondents as a share of the Krejcie–Morgan target (%).
IKU_INDICATORS = ("ikm", "waiting", "responses")


class IkuTarget(db.Model):
    __table_args__ = (
        UniqueConstraint("unit_id", "period", "indicator"),
        CheckConstraint("indicator IN ('ikm', 'waiting', 'responses')", name="indicator"),
        CheckConstraint("target >= 0 AND target <= 100", name="target_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    indicator: Mapped[str] = mapped_column(String(12))
    target: Mapped[float] = mapped_column(Numeric(5, 2, asdecimal=False))  # "≥ target"
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    unit: Mapped[Unit] = relationship()
