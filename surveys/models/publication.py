"""Published results of a unit and period (DESIGN §6): a frozen, versioned snapshot.

A manager prepares a draft (the figures frozen then, small counts already suppressed, so no
public format can hold what must not be shown); it is open for a factual-accuracy review until
`review_until`; then it is published. A correction is a new version with a reason that
supersedes the published one, which stays readable. The public never sees live numbers.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import UTCDateTime, db, utcnow
from surveys.models.organization import Unit

PUBLICATION_STATUSES = ("draft", "published", "superseded")


class Publication(db.Model):
    __table_args__ = (
        UniqueConstraint("unit_id", "period", "version"),
        CheckConstraint("status IN ('draft', 'published', 'superseded')", name="status"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    snapshot: Mapped[dict] = mapped_column(JSON)
    snapshot_sha256: Mapped[str] = mapped_column(String(64))
    prepared_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    prepared_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    review_until: Mapped[date] = mapped_column(Date)  # the last day of the review, inclusive
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("publication.id"))
    correction_reason: Mapped[str | None] = mapped_column(Text)

    unit: Mapped[Unit] = relationship()
    comments: Mapped[list[PublicationComment]] = relationship(
        back_populates="publication", order_by="PublicationComment.id",
        cascade="all, delete-orphan")


class PublicationComment(db.Model):
    """A remark in the factual-accuracy review, by the unit or the forum (never deleted)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    author_label: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    publication: Mapped[Publication] = relationship(back_populates="comments")
