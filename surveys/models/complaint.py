"""A complaint: a comment whose citizen asked for a reply, as a case in the unit's inbox.

It has a status (baru → diproses → selesai), a due date (default 5 working days after it came
in) and a handler. The reply to the citizen's contact stays inside the unit; a moderated reply
without personal data can be published on the portal. The citizen follows the case with the
receipt number of their response. The contact itself lives in `ReplyRequest`, deleted when its
retention period ends; the case outlives it.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import UTCDateTime, db, utcnow
from surveys.models.organization import Unit
from surveys.models.response import Response
from surveys.models.user import User

COMPLAINT_STATUSES = ("baru", "diproses", "selesai")
REPLY_WORKING_DAYS = 5


class Complaint(db.Model):
    __table_args__ = (
        CheckConstraint("status IN ('baru', 'diproses', 'selesai')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="baru")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_on: Mapped[date] = mapped_column(Date)  # the last day to answer, inclusive
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reply: Mapped[str | None] = mapped_column(Text)  # sent to the citizen's contact; unit only
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    public_reply: Mapped[str | None] = mapped_column(Text)  # moderated, no personal data
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    response: Mapped[Response] = relationship()
    unit: Mapped[Unit] = relationship()
    handler: Mapped[User | None] = relationship()
