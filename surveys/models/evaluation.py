"""Evaluation records (SKP, PermenPANRB 6/2022): one officer × period, in versions (DESIGN §5).

A record goes draft → shared (with the officer) → final. A final record never changes: the
service layer refuses every edit (`surveys.evaluations.records`); a correction is a new version
whose `supersedes_id` names the old one, which stays readable. The evaluator and the atasan are
copied in (`evaluator_snapshot`, `atasan_snapshot`) because people move and the record must not.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import UTCDateTime, db, utcnow
from surveys.models.staff import Staff

RECORD_STATUSES = ("draft", "shared", "final")
RATINGS = ("di_atas", "sesuai", "di_bawah")  # Di Atas / Sesuai / Di Bawah Ekspektasi
# The seven BerAKHLAK behaviours (perilaku kerja), in the order of the regulation.
BEHAVIOURS = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal",
              "adaptif", "kolaboratif")
KEBERATAN_DECISIONS = ("dikabulkan", "ditolak")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class EvaluationRecord(db.Model):
    __table_args__ = (
        UniqueConstraint("staff_id", "period", "version"),
        CheckConstraint(_in("status", RECORD_STATUSES), name="status"),
        CheckConstraint(f"hasil_rating IS NULL OR {_in('hasil_rating', RATINGS)}", name="hasil"),
        CheckConstraint(f"perilaku_rating IS NULL OR {_in('perilaku_rating', RATINGS)}",
                        name="perilaku"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("(version = 1) = (supersedes_id IS NULL)", name="correction_supersedes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    period: Mapped[str] = mapped_column(String(10))  # a period code, e.g. 2026-Q3
    version: Mapped[int] = mapped_column(default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_record.id"),
                                                      unique=True)
    correction_reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    # {"name", "nip", "jabatan", "unit"} at the time the record was made; atasan may be None.
    evaluator_snapshot: Mapped[dict] = mapped_column(JSON)
    atasan_snapshot: Mapped[dict | None] = mapped_column(JSON)
    hasil_rating: Mapped[str | None] = mapped_column(String(10))
    perilaku_rating: Mapped[str | None] = mapped_column(String(10))
    predikat: Mapped[str | None] = mapped_column(String(40))
    feedback: Mapped[str | None] = mapped_column(Text)  # umpan balik
    behaviour_notes: Mapped[dict] = mapped_column(JSON, default=dict)  # BEHAVIOURS code → note
    # The citizen evidence copied in (one JSON object) and SHA-256 over its canonical JSON.
    evidence: Mapped[dict | None] = mapped_column(JSON)
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    # Co-worker (rekan kerja) results, a second, separately labelled piece of evidence.
    coworker_evidence: Mapped[dict | None] = mapped_column(JSON)
    coworker_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    staff: Mapped[Staff] = relationship()
    items: Mapped[list[SkpItem]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="SkpItem.position")
    keberatan: Mapped[list[Keberatan]] = relationship(
        back_populates="record", order_by="Keberatan.id")
    supersedes: Mapped[EvaluationRecord | None] = relationship(remote_side=[id])


class SkpItem(db.Model):
    """One hasil kerja item: indicator, target, realisation, evidence link, evaluator's note.
    Tied to a unit IKU target, its realisation is pulled from the data, not typed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("evaluation_record.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    indicator: Mapped[str] = mapped_column(String(500))
    target: Mapped[str] = mapped_column(String(200))
    realisation: Mapped[str | None] = mapped_column(String(200))
    evidence_link: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(Text)
    iku_target_id: Mapped[int | None] = mapped_column(ForeignKey("iku_target.id"), index=True)
    # What was pulled from the IKU target (value, interval, n, time), when tied to one.
    pulled: Mapped[dict | None] = mapped_column(JSON)

    record: Mapped[EvaluationRecord] = relationship(back_populates="items")


class Keberatan(db.Model):
    """An officer's objection to a final record (PP 30/2019 Pasal 59), filed within 14 days to
    the atasan pejabat penilai; the decision is stored beside the record, never over it."""

    __table_args__ = (
        CheckConstraint(f"decision IS NULL OR {_in('decision', KEBERATAN_DECISIONS)}",
                        name="decision"),
        CheckConstraint("(decision IS NULL) = (decided_at IS NULL)", name="decided_together"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("evaluation_record.id"), index=True)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    reasons: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decision: Mapped[str | None] = mapped_column(String(12))
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    record: Mapped[EvaluationRecord] = relationship(back_populates="keberatan")
