"""Evaluation records (SKP) of an officer and period: opening, editing, pulling the citizen
evidence, sharing, finalising and correcting (DESIGN §5). Keberatan live in `keberatan.py`.

A final record is read-only here: every edit function refuses it with
RecordRefused('final_read_only') after writing an "edit_refused" audit row. That refusal is the
one whose audit row must survive: it is written before anything else changes, so the view
commits on it (`refusal_is_logged`) where it rolls back every other refusal. A correction is
a new draft version that supersedes the old one, which stays readable. Services flush only.
"""
from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from surveys import audit
from surveys.db import row_by_id, utcnow
from surveys.errors import RecordRefused
from surveys.evaluations import iku
from surveys.evaluations.access import atasan_user, evaluator_user, may_evaluate
from surveys.evaluations.coworker import coworker_evidence
from surveys.evaluations.evidence import build_evidence
from surveys.frozen import canonical_json, canonical_sha256
from surveys.evaluations.predikat import predikat
from surveys.models import EvaluationRecord, IkuTarget, SkpItem, Staff, User
from surveys.models.evaluation import BEHAVIOURS, RATINGS
from surveys.organization import grants
from surveys.periods import Period

ENTITY = "evaluation_record"
LOGGED_REFUSALS = frozenset({"final_read_only"})  # refusals that wrote an audit row
LIMITS = {"indicator": 500, "target": 200, "realisation": 200, "evidence_link": 500,
          "note": 4000, "feedback": 8000, "reason": 4000}
IKU_LABELS = {"ikm": "Indeks Kepuasan Masyarakat (IKM) unit",
              "waiting": "Persentase penerima layanan menunggu kurang dari 15 menit",
              "responses": "Persentase responden terhadap target sampel Krejcie-Morgan"}
ITEM_FIELDS = ("indicator", "target", "realisation", "evidence_link", "note", "iku_target_id")


def refusal_is_logged(error: RecordRefused) -> bool:
    """Whether the refusal wrote its audit row, which the caller must then commit."""
    return error.code in LOGGED_REFUSALS


def clean_text(value, field: str, limit: int | None = None, required: bool = False) -> str | None:
    """Stripped text, None when blank; refuses control characters (but line breaks and tabs),
    text over the limit and a blank required field, naming `field`."""
    text = value.strip() if isinstance(value, str) else ""
    if any((ord(char) < 0x20 and char not in "\n\r\t") or ord(char) == 0x7F for char in text):
        raise RecordRefused("control_characters", field)
    if len(text) > (limit or LIMITS[field]):
        raise RecordRefused("too_long", field)
    if not text:
        if required:
            raise RecordRefused("required", field)
        return None
    return text


def _link(value) -> str | None:
    link = clean_text(value, "evidence_link")
    if link is None:
        return None
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(
            char.isspace() for char in link):
        raise RecordRefused("invalid_link", "evidence_link")
    return link


def snapshot(session: Session, user: User | None) -> dict | None:
    """Who `user` is now: name, NIP, jabatan and unit from their linked staff record, else
    their display name alone (people move; the record keeps what was true)."""
    if user is None:
        return None
    staff = user.staff
    if staff is None and (own := grants.own_staff_id(user)) is not None:
        staff = session.get(Staff, own)
    if staff is None:
        return {"user_id": user.id, "name": user.display_name, "nip": None, "jabatan": None,
                "unit": None}
    return {"user_id": user.id, "name": staff.name, "nip": staff.nip, "jabatan": staff.position,
            "unit": staff.unit.name}


def _state(record: EvaluationRecord) -> dict:
    return audit.values(record, "staff_id", "period", "version", "status", "hasil_rating",
                        "perilaku_rating", "predikat", "evidence_sha256")


def _log(session: Session, actor: User, action: str, record: EvaluationRecord, *,
         before: dict | None = None, after: dict | None = None, reason: str | None = None):
    audit.record(session, actor=actor, action=action, entity=ENTITY, entity_id=record.id,
                 unit_id=record.staff.unit_id, before=before, after=after, reason=reason)


def _guard(session: Session, actor: User, record: EvaluationRecord, attempted: str) -> None:
    """Only the evaluator or an admin edits, and never a final record (that refusal logged)."""
    if not may_evaluate(actor, record.staff_id):
        raise RecordRefused("not_allowed")
    if record.status == "final":
        _log(session, actor, "edit_refused", record, before=_state(record),
             reason=f"final_read_only: {attempted}")
        raise RecordRefused("final_read_only")


def records_of(session: Session, staff_id: int, period: str) -> list[EvaluationRecord]:
    """Every version of the officer's record for the period, oldest first."""
    return list(session.scalars(select(EvaluationRecord).where(
        EvaluationRecord.staff_id == staff_id, EvaluationRecord.period == period)
        .order_by(EvaluationRecord.version)))


def latest(session: Session, staff_id: int, period: str) -> EvaluationRecord | None:
    versions = records_of(session, staff_id, period)
    return versions[-1] if versions else None


def _evaluator(session: Session, actor: User, staff: Staff) -> User:
    """The pejabat penilai of record: the actor when they evaluate the officer, else (an admin
    acting) the officer's evaluator, else the admin."""
    if staff.id in grants.evaluated_staff_ids(actor):
        return actor
    return evaluator_user(session, staff.id) or actor


def open_record(session: Session, actor: User, staff: Staff, period_code: str,
                now: datetime | None = None) -> EvaluationRecord:
    """A new draft, version 1, with who the evaluator and the atasan are now."""
    if not may_evaluate(actor, staff.id):
        raise RecordRefused("not_allowed")
    period = Period.parse(period_code).code  # InvalidPeriod for a bad code
    if session.scalar(select(func.count()).select_from(EvaluationRecord).where(
            EvaluationRecord.staff_id == staff.id, EvaluationRecord.period == period)):
        raise RecordRefused("exists")
    evaluator = _evaluator(session, actor, staff)
    record = EvaluationRecord(staff=staff, period=period, version=1, status="draft",
                              evaluator_id=evaluator.id,
                              evaluator_snapshot=snapshot(session, evaluator),
                              atasan_snapshot=snapshot(session, atasan_user(session, staff.id)),
                              behaviour_notes={}, created_at=now or utcnow())
    session.add(record)
    session.flush()
    _log(session, actor, "open", record, after=_state(record))
    return record


def _iku_target(session: Session, record: EvaluationRecord, target_id) -> IkuTarget | None:
    """The IKU target of the officer's unit and the record's period, or None for none."""
    if target_id in (None, ""):
        return None
    target = row_by_id(session, IkuTarget, target_id)
    if target is None or target.unit_id != record.staff.unit_id or target.period != record.period:
        raise RecordRefused("unknown_iku", "iku_target_id")
    return target


def iku_targets(session: Session, record: EvaluationRecord) -> list[IkuTarget]:
    """The IKU targets an item of this record may be tied to."""
    return list(session.scalars(select(IkuTarget).where(
        IkuTarget.unit_id == record.staff.unit_id, IkuTarget.period == record.period)
        .order_by(IkuTarget.indicator)))


def _pull_iku(session: Session, item: SkpItem, target: IkuTarget, now: datetime) -> None:
    result = iku.realisation(session, target)
    item.realisation = result.text[:LIMITS["realisation"]]
    item.pulled = {**result.to_dict(), "pulled_at": now.isoformat(timespec="seconds")}


def _fill_item(session: Session, record: EvaluationRecord, item: SkpItem, fields: dict,
               now: datetime) -> None:
    target = _iku_target(session, record, fields.get("iku_target_id"))
    indicator = clean_text(fields.get("indicator"), "indicator", required=target is None)
    goal = clean_text(fields.get("target"), "target", required=target is None)
    item.indicator = indicator or IKU_LABELS[target.indicator]
    item.target = goal or f">= {target.target:g}"
    item.evidence_link = _link(fields.get("evidence_link"))
    item.note = clean_text(fields.get("note"), "note")
    item.iku_target_id = None if target is None else target.id
    if target is None:  # typed by the evaluator
        item.realisation = clean_text(fields.get("realisation"), "realisation")
        item.pulled = None
    else:  # pulled from the data, never typed
        _pull_iku(session, item, target, now)


def _item_values(item: SkpItem) -> dict:
    return audit.values(item, "id", *ITEM_FIELDS)


def add_item(session: Session, actor: User, record: EvaluationRecord, fields: dict,
             now: datetime | None = None) -> SkpItem:
    """A hasil kerja item from `fields` (the keys of ITEM_FIELDS; missing ones blank)."""
    _guard(session, actor, record, "add_item")
    position = max((item.position for item in record.items), default=0) + 1
    item = SkpItem(position=position)
    _fill_item(session, record, item, fields, now or utcnow())
    record.items.append(item)
    session.flush()
    _log(session, actor, "add_item", record, after=_item_values(item))
    return item


def _item(record: EvaluationRecord, item_id) -> SkpItem:
    item = next((each for each in record.items if str(each.id) == str(item_id)), None)
    if item is None:
        raise RecordRefused("unknown_item", "item")
    return item


def edit_item(session: Session, actor: User, record: EvaluationRecord, item_id, fields: dict,
              now: datetime | None = None) -> SkpItem:
    _guard(session, actor, record, "edit_item")
    item = _item(record, item_id)
    before = _item_values(item)
    _fill_item(session, record, item, fields, now or utcnow())
    session.flush()
    _log(session, actor, "edit_item", record, before=before, after=_item_values(item))
    return item


def remove_item(session: Session, actor: User, record: EvaluationRecord, item_id) -> None:
    _guard(session, actor, record, "remove_item")
    item = _item(record, item_id)
    before = _item_values(item)
    record.items.remove(item)
    session.flush()
    _log(session, actor, "remove_item", record, before=before)


def _rating(value, field: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in RATINGS:
        raise RecordRefused("unknown_rating", field)
    return value


def _assessment(record: EvaluationRecord) -> dict:
    return audit.values(record, "behaviour_notes", "hasil_rating", "perilaku_rating",
                        "predikat", "feedback")


def set_ratings(session: Session, actor: User, record: EvaluationRecord, hasil, perilaku) -> None:
    """The two ratings (codes of RATINGS, or blank); the predikat follows the matrix."""
    _guard(session, actor, record, "set_ratings")
    before = _assessment(record)
    record.hasil_rating = _rating(hasil, "hasil_rating")
    record.perilaku_rating = _rating(perilaku, "perilaku_rating")
    record.predikat = predikat(record.hasil_rating, record.perilaku_rating)
    session.flush()
    _log(session, actor, "set_ratings", record, before=before, after=_assessment(record))


def save_assessment(session: Session, actor: User, record: EvaluationRecord, *,
                    behaviour_notes: dict, hasil, perilaku, feedback) -> None:
    """The behaviour notes (BEHAVIOURS code → note), both ratings and the feedback at once."""
    _guard(session, actor, record, "save_assessment")
    notes = {}
    for code in BEHAVIOURS:
        note = clean_text(behaviour_notes.get(code), f"behaviour_{code}", LIMITS["note"])
        if note is not None:
            notes[code] = note
    before = _assessment(record)
    record.hasil_rating = _rating(hasil, "hasil_rating")
    record.perilaku_rating = _rating(perilaku, "perilaku_rating")
    record.predikat = predikat(record.hasil_rating, record.perilaku_rating)
    record.feedback = clean_text(feedback, "feedback")
    record.behaviour_notes = notes
    session.flush()
    after = _assessment(record)
    if audit.changed(before, after):
        _log(session, actor, "save_assessment", record, before=before, after=after)


def pull_evidence(session: Session, actor: User, record: EvaluationRecord,
                  now: datetime) -> dict:
    """Copies the officer's citizen evidence as of `now` into the record with its digest, and
    beside it, separately labelled and digested, the co-worker evidence (replacing an earlier
    pull); refreshes the IKU-tied items' realisation."""
    _guard(session, actor, record, "pull_evidence")
    period = Period.parse(record.period)
    # Through canonical JSON and back: what is stored is exactly what was hashed.
    evidence = json.loads(canonical_json(build_evidence(session, record.staff, period, now)))
    colleagues = json.loads(canonical_json(
        coworker_evidence(session, record.staff, period.code, now)))
    before = {"evidence_sha256": record.evidence_sha256, "coworker_sha256": record.coworker_sha256}
    record.evidence = evidence
    record.evidence_sha256 = canonical_sha256(evidence)
    record.coworker_evidence = colleagues
    record.coworker_sha256 = canonical_sha256(colleagues)
    for item in record.items:
        if item.iku_target_id is not None:
            _pull_iku(session, item, session.get(IkuTarget, item.iku_target_id), now)
    session.flush()
    _log(session, actor, "pull_evidence", record, before=before,
         after={"evidence_sha256": record.evidence_sha256,
                "coworker_sha256": record.coworker_sha256, "pulled_at": evidence["pulled_at"]})
    return evidence


def share(session: Session, actor: User, record: EvaluationRecord, now: datetime) -> None:
    """Draft → shared: the officer can now read it."""
    _guard(session, actor, record, "share")
    if record.status != "draft":
        raise RecordRefused("not_draft")
    before = _state(record)
    record.status, record.shared_at = "shared", now
    session.flush()
    _log(session, actor, "share", record, before=before, after=_state(record))


def finalize(session: Session, actor: User, record: EvaluationRecord, now: datetime) -> None:
    """Shared → final, with both ratings set and the evidence pulled; never changes again."""
    _guard(session, actor, record, "finalize")
    if record.status != "shared":
        raise RecordRefused("not_shared")
    if record.hasil_rating is None or record.perilaku_rating is None:
        raise RecordRefused("incomplete", "ratings")
    if record.evidence is None:
        raise RecordRefused("incomplete", "evidence")
    before = _state(record)
    record.status, record.finalized_at = "final", now
    session.flush()
    _log(session, actor, "finalize", record, before=before, after=_state(record))


def successor(session: Session, record: EvaluationRecord) -> EvaluationRecord | None:
    """The version that supersedes `record`, if any."""
    return session.scalars(select(EvaluationRecord).where(
        EvaluationRecord.supersedes_id == record.id)).first()


def correct(session: Session, actor: User, record: EvaluationRecord, reason,
            now: datetime | None = None) -> EvaluationRecord:
    """Version n+1 of a final record, a draft with its items, notes, ratings and feedback;
    the evidence must be pulled again. The old version stays as it is."""
    if not may_evaluate(actor, record.staff_id):
        raise RecordRefused("not_allowed")
    if record.status != "final":
        raise RecordRefused("not_final")
    if successor(session, record) is not None:
        raise RecordRefused("superseded")
    why = clean_text(reason, "reason", required=True)
    evaluator = _evaluator(session, actor, record.staff)
    new = EvaluationRecord(
        staff=record.staff, period=record.period, version=record.version + 1,
        supersedes_id=record.id, correction_reason=why, status="draft",
        evaluator_id=evaluator.id, evaluator_snapshot=snapshot(session, evaluator),
        atasan_snapshot=snapshot(session, atasan_user(session, record.staff_id)),
        hasil_rating=record.hasil_rating, perilaku_rating=record.perilaku_rating,
        predikat=record.predikat, feedback=record.feedback,
        behaviour_notes=dict(record.behaviour_notes or {}), created_at=now or utcnow())
    for item in record.items:
        new.items.append(SkpItem(position=item.position, indicator=item.indicator,
                                 target=item.target, realisation=item.realisation,
                                 evidence_link=item.evidence_link, note=item.note,
                                 iku_target_id=item.iku_target_id, pulled=item.pulled))
    session.add(new)
    session.flush()
    _log(session, actor, "correct", new, before={"supersedes": record.id,
                                                 "version": record.version},
         after=_state(new), reason=why)
    return new
