"""Evaluation records and live evidence as plain data, for the JSON API and the unit's files.

Only reads. Records listed are the shared and final versions (`LISTED_STATUSES`): a draft is the
evaluator's work in progress, not yet a record anyone else relies on. Every version is listed,
superseded ones too, each naming the version it corrects (`supersedes_version`).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, selectinload

from surveys.errors import NotAllowed, StaffNotFound, StaffOfAnotherUnit, UnitNotFound
from surveys.evaluations.evidence import build_evidence
from surveys.frozen import canonical_sha256
from surveys.models import Staff, Unit
from surveys.models.evaluation import EvaluationRecord
from surveys.periods import Period
from surveys.reporting.service import unit_and_descendant_ids

LISTED_STATUSES = ("shared", "final")
MAX_CODE_CHARS = 64  # longer unit codes or NIPs exist nowhere: not found, without a query


def _lookup_text(value: str) -> bool:
    """Whether `value` can name a stored row at all (PostgreSQL text holds no NUL)."""
    return 0 < len(value) <= MAX_CODE_CHARS and "\x00" not in value


def staff_in_tree(session: Session, unit_id: int, nip: str) -> Staff:
    """The officer with this NIP if they work in unit `unit_id` or below it.
    Raises StaffNotFound, or StaffOfAnotherUnit outside the tree."""
    staff = None
    if _lookup_text(nip):
        staff = session.scalars(select(Staff).where(Staff.nip == nip)).one_or_none()
    if staff is None:
        raise StaffNotFound(nip)
    if staff.unit_id not in unit_and_descendant_ids(session, session.get(Unit, unit_id)):
        raise StaffOfAnotherUnit(nip)
    return staff


def live_evidence(session: Session, unit_id: int, nip: str, period: Period,
                  now: datetime) -> dict:
    """The officer's evidence object as a record would pull it now, with `evidence_sha256`."""
    evidence = build_evidence(session, staff_in_tree(session, unit_id, nip), period, now)
    return {**evidence, "evidence_sha256": canonical_sha256(evidence)}


def unit_in_tree(session: Session, unit_id: int, code: str) -> Unit:
    """The unit `code` if it is unit `unit_id` or below it. Raises UnitNotFound, NotAllowed."""
    unit = None
    if _lookup_text(code):
        unit = session.scalars(select(Unit).where(Unit.code == code)).one_or_none()
    if unit is None:
        raise UnitNotFound(code)
    if unit.id not in unit_and_descendant_ids(session, session.get(Unit, unit_id)):
        raise NotAllowed(code)
    return unit


def unit_records(session: Session, unit: Unit, period: Period,
                 staff_ids: set[int] | None = None) -> list[EvaluationRecord]:
    """The listed record versions of the officers of `unit` and its sub-units for `period`
    (exactly that period code), by officer name, NIP and version; only `staff_ids` when given."""
    query = (
        select(EvaluationRecord).join(Staff, Staff.id == EvaluationRecord.staff_id)
        .where(Staff.unit_id.in_(unit_and_descendant_ids(session, unit)),
               EvaluationRecord.period == period.code,
               EvaluationRecord.status.in_(LISTED_STATUSES))
        .options(selectinload(EvaluationRecord.keberatan),
                 selectinload(EvaluationRecord.staff).selectinload(Staff.unit))
        .order_by(Staff.name, Staff.nip, EvaluationRecord.version)
    )
    if staff_ids is not None:
        query = query.where(Staff.id.in_(staff_ids or {-1}))
    return list(session.scalars(query))


def supersedes_versions(session: Session, records: list[EvaluationRecord]) -> dict[int, int]:
    """Record id → the version number it supersedes, in one query."""
    old = aliased(EvaluationRecord)
    ids = [record.id for record in records if record.supersedes_id is not None]
    if not ids:
        return {}
    return dict(session.execute(
        select(EvaluationRecord.id, old.version)
        .join(old, old.id == EvaluationRecord.supersedes_id)
        .where(EvaluationRecord.id.in_(ids))).all())


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds").replace("+00:00", "Z")


def _keberatan(record: EvaluationRecord) -> list[dict]:
    """The keberatan filed against the record and their decisions (the officer's reasons stay
    out: the decision and its note are what the personnel system records)."""
    return [{"filed_at": _time(k.filed_at), "decision": k.decision,
             "decision_note": k.decision_note, "decided_at": _time(k.decided_at)}
            for k in record.keberatan]


def record_dict(record: EvaluationRecord, supersedes_version: int | None) -> dict:
    """One record version as the API gives it."""
    return {
        "nip": record.staff.nip, "name": record.staff.name, "unit": record.staff.unit.code,
        "period": record.period, "version": record.version,
        "supersedes_version": supersedes_version, "correction_reason": record.correction_reason,
        "status": record.status, "hasil_rating": record.hasil_rating,
        "perilaku_rating": record.perilaku_rating, "predikat": record.predikat,
        "evaluator": record.evaluator_snapshot, "atasan": record.atasan_snapshot,
        "evidence": record.evidence, "evidence_sha256": record.evidence_sha256,
        "coworker_evidence": record.coworker_evidence, "coworker_sha256": record.coworker_sha256,
        "shared_at": _time(record.shared_at), "finalized_at": _time(record.finalized_at),
        "acknowledged_at": _time(record.acknowledged_at), "keberatan": _keberatan(record),
    }


def api_unit_records(session: Session, key_unit_id: int, code: str, period: Period) -> dict:
    """The listed records of unit `code` (and below) for a key of unit `key_unit_id`.
    Raises UnitNotFound, or NotAllowed for a unit outside the key's tree."""
    unit = unit_in_tree(session, key_unit_id, code)
    records = unit_records(session, unit, period)
    versions = supersedes_versions(session, records)
    return {"unit": unit.code, "records": [record_dict(r, versions.get(r.id)) for r in records]}
