"""How far the window checks of burst detection got (surveys/responses/upkeep.py): one row."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlalchemy.orm import Mapped, mapped_column

from surveys.db import UTCDateTime, db


class BurstCheck(db.Model):
    """When the last check ran and the newest response it saw; the next one starts from there,
    so the checks run after each fold without cron and never miss a response stored since."""

    __tablename__ = "burst_check"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_response_id: Mapped[int]
