"""Number of service users of a unit in a period: sample adequacy and the finite-population correction."""
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from surveys.db import db


class Population(db.Model):
    __table_args__ = (
        UniqueConstraint("unit_id", "period"),
        CheckConstraint("size > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    period: Mapped[str] = mapped_column(String(10))  # a period code, e.g. 2026-Q3
    size: Mapped[int]
