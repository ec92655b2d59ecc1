"""The evaluator's overview of a period (`/penilaian`): per officer the evidence status for an
appraisal (n, reliability, whether it reaches 0.80 and the n needed), the record's state and
what is due next. Only reads; never suggests a rating."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.officers import FOR_EVALUATION
from surveys.evaluations.keberatan import last_day, window_open
from surveys.evaluations.records import latest
from surveys.models import EvaluationRecord, Staff, User
from surveys.organization import grants
from surveys.periods import Period
from surveys.reporting.officers import ScoreCache, officer_period

# Record states as the overview names them, and what is due next.
NONE, DRAFT, SHARED, FINAL, KEBERATAN = "none", "draft", "shared", "final", "keberatan"


@dataclass(frozen=True)
class EvidenceStatus:
    n: int
    reliability: float | None
    reliable: bool  # reliability ≥ FOR_EVALUATION: fit to enter an appraisal
    n_needed: int | None  # responses giving FOR_EVALUATION with this period's variances
    problem: str | None


@dataclass(frozen=True)
class OverviewRow:
    staff: Staff
    evidence: EvidenceStatus
    record: EvaluationRecord | None
    state: str
    due: str  # open, pull_evidence, rate, share, finalize, awaiting_officer, decide, done
    last_day: date | None  # of the keberatan window, while it is open


def evidence_status(cache: ScoreCache, staff: Staff, period: Period) -> EvidenceStatus:
    figures = officer_period(cache, staff, period)
    scores = cache.scores(staff, period)
    needed = None if scores is None else scores.n_for_reliability(FOR_EVALUATION)
    reliable = figures.reliability is not None and figures.reliability >= FOR_EVALUATION
    return EvidenceStatus(figures.n, figures.reliability, reliable, needed, figures.problem)


def state_of(record: EvaluationRecord | None) -> str:
    if record is None:
        return NONE
    if record.keberatan:
        return KEBERATAN
    return record.status


def due_of(record: EvaluationRecord | None, now: datetime) -> str:
    """The next step of the record's lifecycle."""
    if record is None:
        return "open"
    if record.status in ("draft", "shared"):
        if record.evidence is None:
            return "pull_evidence"
        if record.hasil_rating is None or record.perilaku_rating is None:
            return "rate"
        return "share" if record.status == "draft" else "finalize"
    if record.keberatan:
        return "done" if record.keberatan[-1].decision else "decide"
    if record.acknowledged_at is None and window_open(record, now):
        return "awaiting_officer"
    return "done"


def evaluator_overview(session: Session, user: User, period: Period,
                       now: datetime) -> list[OverviewRow]:
    """The officers `user` evaluates, in name order (never ranked by score)."""
    ids = grants.evaluated_staff_ids(user)
    if not ids:
        return []
    cache = ScoreCache(session)
    rows = []
    for staff in session.scalars(select(Staff).where(Staff.id.in_(ids))
                                 .order_by(Staff.name, Staff.id)):
        record = latest(session, staff.id, period.code)
        due = due_of(record, now)
        rows.append(OverviewRow(staff, evidence_status(cache, staff, period), record,
                                state_of(record), due,
                                last_day(record) if due == "awaiting_officer" else None))
    return rows


def wider_periods(period: Period) -> list[Period]:
    """The longer periods containing `period` (a triwulan's semester and year, ...): pooling
    responses over them is how thin evidence reaches the reliability an appraisal needs."""
    year, _, part = period.code.partition("-")
    codes = []
    if part and not part.startswith("S"):
        month = int(part) if part.isdigit() else 3 * int(part[1])
        if not part.startswith("Q"):
            codes.append(f"{year}-Q{(month - 1) // 3 + 1}")
        codes.append(f"{year}-S{1 if month <= 6 else 2}")
    if part:
        codes.append(year)
    return [Period.parse(code) for code in codes]


def officer_records(session: Session, staff_id: int) -> list[EvaluationRecord]:
    """The officer's shared and final records, every version, newest period first."""
    return list(session.scalars(select(EvaluationRecord).where(
        EvaluationRecord.staff_id == staff_id, EvaluationRecord.status != "draft")
        .order_by(EvaluationRecord.period.desc(), EvaluationRecord.version.desc())))
