"""Evaluation records made directly with the models, evidence pulled by `build_evidence`, for the
tests of the API and of the unit's record files (the record services live elsewhere)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from surveys.evaluations.evidence import build_evidence
from surveys.frozen import canonical_sha256
from surveys.evaluations.predikat import predikat
from surveys.models import Keberatan, Staff, User
from surveys.models.evaluation import EvaluationRecord
from surveys.periods import Period

PULLED = datetime(2026, 10, 5, 3, 0, tzinfo=UTC)


def make_record(session, staff: Staff, period: str, evaluator: User, *, status: str = "final",
                hasil: str | None = "sesuai", perilaku: str | None = "di_atas",
                supersedes: EvaluationRecord | None = None,
                pulled: datetime = PULLED) -> EvaluationRecord:
    """One record of `staff` for `period` with evidence pulled at `pulled`; flushed."""
    evidence = build_evidence(session, staff, Period.parse(period), pulled)
    record = EvaluationRecord(
        staff=staff, period=period, status=status, evaluator_id=evaluator.id,
        version=1 if supersedes is None else supersedes.version + 1,
        supersedes_id=None if supersedes is None else supersedes.id,
        correction_reason=None if supersedes is None else "Salah ketik penilaian hasil kerja.",
        evaluator_snapshot={"name": evaluator.display_name, "nip": None, "jabatan": "Kepala Seksi",
                            "unit": staff.unit.code},
        atasan_snapshot=None, hasil_rating=hasil, perilaku_rating=perilaku,
        predikat=predikat(hasil, perilaku), evidence=evidence,
        evidence_sha256=canonical_sha256(evidence),
        shared_at=None if status == "draft" else pulled + timedelta(days=1),
        finalized_at=pulled + timedelta(days=2) if status == "final" else None,
    )
    session.add(record)
    session.flush()
    return record


def file_keberatan(session, record: EvaluationRecord, officer: User, *,
                   decision: str | None = None) -> Keberatan:
    """A keberatan against `record`, decided when `decision` is given; flushed."""
    filed = record.finalized_at + timedelta(days=3)
    keberatan = Keberatan(record=record, filed_by_id=officer.id, filed_at=filed,
                          reasons="Bukti dukung pelayanan belum dipertimbangkan.")
    if decision is not None:
        keberatan.decision, keberatan.decided_at = decision, filed + timedelta(days=5)
        keberatan.decision_note = "Sudah dipertimbangkan kembali."
    session.add(keberatan)
    session.flush()
    return keberatan
