"""Forum Konsultasi Publik: a unit's consultation sessions with the public, the decisions they
took, and the follow-up actions (rencana tindak lanjut) that carry each decision out.

A follow-up action may also stand alone (from the SKM analysis rather than a forum decision);
its status moves rencana → berjalan → selesai, and "selesai" needs evidence of completion.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import UTCDateTime, db, utcnow
from surveys.models.organization import Unit

# Who took part, by group: a session records a head count per group.
PARTICIPANT_GROUPS = ("masyarakat", "tokoh", "akademisi", "media", "lsm", "unit", "lainnya")
ACTION_STATUSES = ("rencana", "berjalan", "selesai")


class ForumSession(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    participants: Mapped[dict] = mapped_column(JSON, default=dict)  # group -> head count
    points: Mapped[str] = mapped_column(Text)  # points raised, one per line
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    unit: Mapped[Unit] = relationship()
    decisions: Mapped[list[ForumDecision]] = relationship(
        back_populates="session", order_by="ForumDecision.id", cascade="all, delete-orphan")


class ForumDecision(db.Model):
    """One decision of a forum session."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("forum_session.id"), index=True)
    text: Mapped[str] = mapped_column(Text)

    session: Mapped[ForumSession] = relationship(back_populates="decisions")
    actions: Mapped[list[FollowUpAction]] = relationship(
        back_populates="decision", order_by="FollowUpAction.id")


class FollowUpAction(db.Model):
    """Rencana tindak lanjut: what, who, by when, its status and the evidence it was done."""

    __table_args__ = (
        CheckConstraint("status IN ('rencana', 'berjalan', 'selesai')", name="status"),
        CheckConstraint("status <> 'selesai' OR evidence IS NOT NULL", name="done_has_evidence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("forum_decision.id"), index=True)
    what: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="rencana")
    evidence: Mapped[str | None] = mapped_column(Text)
    completed_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit] = relationship()
    decision: Mapped[ForumDecision | None] = relationship(back_populates="actions")
