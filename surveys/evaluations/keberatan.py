"""The officer's answer to a final record: acknowledge it, or within KEBERATAN_DAYS file a
keberatan (PP 30/2019 Pasal 59) to the atasan pejabat penilai, who decides with a note.

The window is counted in calendar days of the officer's unit: a record finalised on day 0 may
be objected to until the end of day 14, local time. The decision is final and stored in the
Keberatan row beside the record; the record itself never changes. Services flush only.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from surveys import audit
from surveys.errors import RecordRefused
from surveys.evaluations.access import addressed_to, is_officer
from surveys.evaluations.records import clean_text
from surveys.models import EvaluationRecord, Keberatan, User
from surveys.models.evaluation import KEBERATAN_DECISIONS

KEBERATAN_DAYS = 14
ENTITY = "keberatan"
REASONS_LIMIT = 8000


def deadline(record: EvaluationRecord) -> datetime | None:
    """The first moment a keberatan is too late: the start of local day KEBERATAN_DAYS + 1
    after the day the record became final (None while it is not final)."""
    if record.finalized_at is None:
        return None
    zone = ZoneInfo(record.staff.unit.timezone)
    day = record.finalized_at.astimezone(zone).date() + timedelta(days=KEBERATAN_DAYS + 1)
    return datetime.combine(day, time(), tzinfo=zone)


def last_day(record: EvaluationRecord):
    """The last local calendar day a keberatan may be filed (for display)."""
    end = deadline(record)
    return None if end is None else (end - timedelta(days=1)).date()


def window_open(record: EvaluationRecord, now: datetime) -> bool:
    end = deadline(record)
    return end is not None and record.finalized_at <= now < end


def _record_values(record: EvaluationRecord) -> dict:
    return audit.values(record, "status", "version", "acknowledged_at")


def acknowledge(session, actor: User, record: EvaluationRecord, now: datetime) -> None:
    """The officer confirms having received the final record."""
    if not is_officer(actor, record) or record.status == "draft":
        raise RecordRefused("not_allowed")
    if record.status != "final":
        raise RecordRefused("not_final")
    if record.acknowledged_at is not None:
        raise RecordRefused("acknowledged")
    if record.keberatan:
        raise RecordRefused("keberatan_exists")
    before = _record_values(record)
    record.acknowledged_at = now
    session.flush()
    audit.record(session, actor=actor, action="acknowledge", entity="evaluation_record",
                 entity_id=record.id, unit_id=record.staff.unit_id, before=before,
                 after=_record_values(record))


def file_keberatan(session, actor: User, record: EvaluationRecord, reasons,
                   now: datetime) -> Keberatan:
    """The officer's keberatan with reasons, once per record version, within the window, to
    the atasan named in the record (refused when the record names none)."""
    if not is_officer(actor, record) or record.status == "draft":
        raise RecordRefused("not_allowed")
    if record.status != "final":
        raise RecordRefused("not_final")
    if record.keberatan:
        raise RecordRefused("keberatan_exists")
    if record.acknowledged_at is not None:
        raise RecordRefused("acknowledged")
    if not window_open(record, now):
        raise RecordRefused("window_closed")
    if record.atasan_snapshot is None:
        raise RecordRefused("no_atasan")
    text = clean_text(reasons, "reasons", REASONS_LIMIT, required=True)
    row = Keberatan(record=record, filed_by_id=actor.id, reasons=text, filed_at=now)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="file", entity=ENTITY, entity_id=row.id,
                 unit_id=record.staff.unit_id,
                 after={"record_id": record.id, "version": record.version, "reasons": text,
                        "atasan": record.atasan_snapshot.get("name")})
    return row


def decide_keberatan(session, actor: User, row: Keberatan, decision, note,
                     now: datetime) -> None:
    """The atasan's final decision (KEBERATAN_DECISIONS) with a note; never a second one."""
    if not addressed_to(actor, row.record):
        raise RecordRefused("not_allowed")
    if row.decision is not None:
        raise RecordRefused("decided")
    if decision not in KEBERATAN_DECISIONS:
        raise RecordRefused("unknown_decision", "decision")
    text = clean_text(note, "note", REASONS_LIMIT, required=True)
    before = audit.values(row, "decision", "decision_note", "decided_at")
    row.decision, row.decision_note = decision, text
    row.decided_by_id, row.decided_at = actor.id, now
    session.flush()
    audit.record(session, actor=actor, action="decide", entity=ENTITY, entity_id=row.id,
                 unit_id=row.record.staff.unit_id, before=before,
                 after=audit.values(row, "decision", "decision_note", "decided_at"))
