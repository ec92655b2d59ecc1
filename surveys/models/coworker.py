"""Co-worker input (rekan kerja): a short anonymous round on one officer and period (DESIGN §5).

Invitations are one-time links for named co-workers; only a hash of each token is stored. An
answer is not linked to its invitation (the invitation only records that it was used), so no
one can tell who said what. Results are shown from 3 answers, never with names.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import UTCDateTime, db, utcnow
from surveys.models.evaluation import BEHAVIOURS
from surveys.models.staff import Staff


class CoworkerRound(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    staff: Mapped[Staff] = relationship()
    invitations: Mapped[list[CoworkerInvitation]] = relationship(
        back_populates="round", order_by="CoworkerInvitation.id")


class CoworkerInvitation(db.Model):
    __table_args__ = (UniqueConstraint("round_id", "invitee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("coworker_round.id"), index=True)
    invitee_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))  # the named co-worker
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    round: Mapped[CoworkerRound] = relationship(back_populates="invitations")
    invitee: Mapped[Staff] = relationship()


class CoworkerAnswer(db.Model):
    """One co-worker's anonymous answer: each BerAKHLAK behaviour 1–4 (or blank) and a comment."""

    __table_args__ = tuple(
        CheckConstraint(f"{code} IS NULL OR {code} BETWEEN 1 AND 4", name=f"{code}_range")
        for code in BEHAVIOURS)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("coworker_round.id"), index=True)
    berorientasi_pelayanan: Mapped[int | None]
    akuntabel: Mapped[int | None]
    kompeten: Mapped[int | None]
    harmonis: Mapped[int | None]
    loyal: Mapped[int | None]
    adaptif: Mapped[int | None]
    kolaboratif: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(Text)
    # The day only, not the time: a time could be matched to whoever opened their link then.
    submitted_on: Mapped[date] = mapped_column(default=lambda: utcnow().date())
