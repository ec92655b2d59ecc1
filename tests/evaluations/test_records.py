"""Evaluation records in the service layer: the predikat matrix cell by cell, the lifecycle and
its audit rows, a final record read-only (refusals logged), corrections as new versions, and
evidence frozen byte for byte against new responses, a rebuilt roll-up and a changed flag."""
from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from surveys.errors import RecordRefused
from surveys.evaluations import records
from surveys.evaluations.evidence import build_evidence
from surveys.models import (
    AuditEvent,
    EvaluationRecord,
    IkuTarget,
    Response,
    ResponseFlag,
    RoleGrant,
)
from surveys.periods import Period
from surveys.reporting import rollup
from tests.evaluations.data import CURRENT, STARTS, rate_one
from tests.evaluations.records_data import (
    FINALIZED,
    PULLED,
    SHARED,
    final_record,
    people,
    stored_evidence,
    user,
)

# PermenPANRB 6/2022, typed from the regulation's table (rows hasil kerja, columns perilaku).
MATRIX = {
    ("di_atas", "di_bawah"): "Kurang/Misconduct", ("di_atas", "sesuai"): "Baik",
    ("di_atas", "di_atas"): "Sangat Baik",
    ("sesuai", "di_bawah"): "Kurang/Misconduct", ("sesuai", "sesuai"): "Baik",
    ("sesuai", "di_atas"): "Baik",
    ("di_bawah", "di_bawah"): "Sangat Kurang", ("di_bawah", "sesuai"): "Butuh Perbaikan",
    ("di_bawah", "di_atas"): "Butuh Perbaikan",
}


@pytest.fixture
def cast_with_data(db):
    return people(db)


def audit_actions(db, record_id: int, entity: str = "evaluation_record") -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity == entity, AuditEvent.entity_id == record_id)
        .order_by(AuditEvent.id)))


def draft(db, staff):
    record = records.open_record(db.session, user(db, "penilai"), staff, CURRENT)
    db.session.commit()
    return record


@pytest.mark.parametrize(("hasil", "perilaku"), [*MATRIX, (None, None), ("sesuai", None),
                                                 (None, "di_atas")])
def test_predikat_follows_the_matrix_cell_by_cell(db, cast_with_data, hasil, perilaku):
    record = draft(db, cast_with_data.well)
    records.set_ratings(db.session, user(db, "penilai"), record, hasil, perilaku)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(EvaluationRecord, record.id)
    assert stored.predikat == MATRIX.get((hasil, perilaku))  # None until both are set
    assert (stored.hasil_rating, stored.perilaku_rating) == (hasil, perilaku)


def test_open_record_keeps_who_evaluator_and_atasan_were(db, cast_with_data):
    record = draft(db, cast_with_data.well)
    assert (record.version, record.status, record.supersedes_id) == (1, "draft", None)
    assert record.evaluator_id == user(db, "penilai").id
    assert record.evaluator_snapshot["name"] == "Penilai"  # no staff record: the display name
    assert record.atasan_snapshot["user_id"] == user(db, "atasan").id
    with pytest.raises(RecordRefused) as refused:
        records.open_record(db.session, user(db, "penilai"), cast_with_data.well, CURRENT)
    assert refused.value.code == "exists"
    for other in ("staf", "atasan", "manajer"):  # not the officer's evaluator
        with pytest.raises(RecordRefused) as refused:
            records.open_record(db.session, user(db, other), cast_with_data.well, "2026-Q4")
        assert refused.value.code == "not_allowed"


def test_snapshot_takes_the_evaluators_staff_record(db, cast_with_data):
    evaluator = user(db, "penilai")
    evaluator.staff_id = cast_with_data.cast.unit.other_unit_officer.id
    db.session.commit()
    record = draft(db, cast_with_data.well)
    assert {key: record.evaluator_snapshot[key] for key in ("name", "nip", "jabatan", "unit")} == {
        "name": "Petugas Lain", "nip": "198807072012011003", "jabatan": "Staf",
        "unit": "Unit Lain"}


def test_the_atasan_snapshot_is_none_when_nobody_is_atasan(db, cast_with_data):
    atasan = user(db, "atasan")
    atasan.grants.clear()
    db.session.commit()
    assert draft(db, cast_with_data.well).atasan_snapshot is None


def test_lifecycle_writes_an_audit_row_per_step(db, cast_with_data):
    record = final_record(db, cast_with_data.well)
    assert audit_actions(db, record.id) == ["open", "add_item", "pull_evidence",
                                            "save_assessment", "share", "finalize"]
    units = set(db.session.scalars(select(AuditEvent.unit_id).where(
        AuditEvent.entity == "evaluation_record", AuditEvent.entity_id == record.id)))
    assert units == {cast_with_data.well.unit_id}
    stored = db.session.get(EvaluationRecord, record.id)
    assert (stored.status, stored.predikat) == ("final", "Baik")
    assert (stored.shared_at, stored.finalized_at) == (SHARED, FINALIZED)


def test_finalising_needs_sharing_both_ratings_and_evidence(db, cast_with_data):
    evaluator = user(db, "penilai")
    record = draft(db, cast_with_data.well)
    with pytest.raises(RecordRefused) as refused:
        records.finalize(db.session, evaluator, record, FINALIZED)
    assert refused.value.code == "not_shared"
    records.share(db.session, evaluator, record, SHARED)
    with pytest.raises(RecordRefused) as refused:
        records.share(db.session, evaluator, record, SHARED)
    assert refused.value.code == "not_draft"
    records.set_ratings(db.session, evaluator, record, "sesuai", None)
    with pytest.raises(RecordRefused) as refused:
        records.finalize(db.session, evaluator, record, FINALIZED)
    assert (refused.value.code, refused.value.field) == ("incomplete", "ratings")
    records.set_ratings(db.session, evaluator, record, "sesuai", "sesuai")
    with pytest.raises(RecordRefused) as refused:
        records.finalize(db.session, evaluator, record, FINALIZED)
    assert (refused.value.code, refused.value.field) == ("incomplete", "evidence")
    records.pull_evidence(db.session, evaluator, record, PULLED)
    records.finalize(db.session, evaluator, record, FINALIZED)
    assert record.status == "final"


EDITS = {
    "add_item": lambda s, a, r: records.add_item(s, a, r, {"indicator": "x", "target": "y"}),
    "edit_item": lambda s, a, r: records.edit_item(s, a, r, r.items[0].id,
                                                   {"indicator": "x", "target": "y"}),
    "remove_item": lambda s, a, r: records.remove_item(s, a, r, r.items[0].id),
    "set_ratings": lambda s, a, r: records.set_ratings(s, a, r, "di_bawah", "di_bawah"),
    "save_assessment": lambda s, a, r: records.save_assessment(
        s, a, r, behaviour_notes={}, hasil="di_atas", perilaku="di_atas", feedback="baru"),
    "pull_evidence": lambda s, a, r: records.pull_evidence(s, a, r, datetime.now(UTC)),
    "share": lambda s, a, r: records.share(s, a, r, datetime.now(UTC)),
    "finalize": lambda s, a, r: records.finalize(s, a, r, datetime.now(UTC)),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_final_record_refuses_every_edit_and_the_audit_log_says_so(db, cast_with_data, edit):
    record = final_record(db, cast_with_data.well)
    before = records.audit.values(record, "status", "hasil_rating", "perilaku_rating",
                                  "predikat", "feedback", "evidence_sha256", "behaviour_notes")
    items = [(item.id, item.indicator) for item in record.items]
    with pytest.raises(RecordRefused) as refused:
        EDITS[edit](db.session, user(db, "penilai"), record)
    assert refused.value.code == "final_read_only"
    assert records.refusal_is_logged(refused.value)
    db.session.commit()  # what the view does with a logged refusal
    db.session.expire_all()
    stored = db.session.get(EvaluationRecord, record.id)
    assert records.audit.values(stored, *before) == before
    assert [(item.id, item.indicator) for item in stored.items] == items
    refusal = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "edit_refused", AuditEvent.entity_id == record.id)).one()
    assert refusal.reason == f"final_read_only: {edit}"
    assert refusal.unit_id == cast_with_data.well.unit_id


def canonical(evidence: dict) -> bytes:
    return json.dumps(evidence, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def test_final_evidence_never_changes_and_its_digest_verifies(db, cast_with_data):
    record = final_record(db, cast_with_data.well)
    evidence, digest = stored_evidence(db, record.id)
    assert hashlib.sha256(canonical(evidence)).hexdigest() == digest
    assert evidence["officer_score"]["n"] == 120
    frozen = canonical(evidence)

    rate_one(db, cast_with_data.well, 30)  # new responses naming the officer (roll-up rebuilt)
    assert stored_evidence(db, record.id) == (evidence, digest)
    rollup.rebuild(db.session)
    db.session.commit()
    some = db.session.scalars(select(Response).where(
        Response.staff_id == cast_with_data.well.id, Response.submitted_at >= STARTS[CURRENT])
        .order_by(Response.id)).first()
    some.flags.append(ResponseFlag(kind="excluded", reason="uji"))  # a flag set after review
    db.session.commit()
    rollup.rebuild(db.session)
    db.session.commit()

    after, after_digest = stored_evidence(db, record.id)
    assert canonical(after) == frozen and after_digest == digest
    assert hashlib.sha256(canonical(after)).hexdigest() == digest
    live = build_evidence(db.session, cast_with_data.well, Period.parse(CURRENT), PULLED)
    assert live["officer_score"]["n"] == 149  # the live figures did move: 120 + 30 - 1


def test_pulling_again_replaces_the_evidence_of_a_draft(db, cast_with_data):
    evaluator = user(db, "penilai")
    record = draft(db, cast_with_data.well)
    records.pull_evidence(db.session, evaluator, record, PULLED)
    db.session.commit()
    first = stored_evidence(db, record.id)
    rate_one(db, cast_with_data.well, 10)
    records.pull_evidence(db.session, evaluator, db.session.get(EvaluationRecord, record.id),
                          SHARED)
    db.session.commit()
    second, digest = stored_evidence(db, record.id)
    assert second["officer_score"]["n"] == 130 and second["pulled_at"] == SHARED.isoformat()
    assert digest != first[1] and hashlib.sha256(canonical(second)).hexdigest() == digest


def test_a_correction_is_version_2_and_version_1_stays_as_it_was(db, cast_with_data):
    record = final_record(db, cast_with_data.well)
    evaluator = user(db, "penilai")
    v1_before = stored_evidence(db, record.id)
    with pytest.raises(RecordRefused) as refused:
        records.correct(db.session, evaluator, record, "  ")
    assert (refused.value.code, refused.value.field) == ("required", "reason")
    new = records.correct(db.session, evaluator, record, "Realisasi butir 1 salah ketik.")
    db.session.commit()
    assert (new.version, new.status, new.supersedes_id) == (2, "draft", record.id)
    assert new.correction_reason == "Realisasi butir 1 salah ketik."
    assert new.evidence is None and new.evidence_sha256 is None  # pulled again for v2
    assert (new.hasil_rating, new.perilaku_rating, new.predikat, new.feedback) == (
        "sesuai", "di_atas", "Baik", "Pertahankan.")
    assert new.behaviour_notes == {"berorientasi_pelayanan": "Ramah kepada warga."}
    assert [(i.indicator, i.realisation) for i in new.items] == [
        ("Pelayanan KTP-el selesai tepat waktu", "97%")]
    records.edit_item(db.session, evaluator, new, new.items[0].id, {
        "indicator": "Pelayanan KTP-el selesai tepat waktu", "target": "95%",
        "realisation": "79%"})
    db.session.commit()
    db.session.expire_all()
    old = db.session.get(EvaluationRecord, record.id)
    assert old.status == "final" and old.items[0].realisation == "97%"
    assert stored_evidence(db, record.id) == v1_before
    assert records.latest(db.session, cast_with_data.well.id, CURRENT).id == new.id
    with pytest.raises(RecordRefused) as refused:
        records.correct(db.session, evaluator, old, "lagi")
    assert refused.value.code == "superseded"
    with pytest.raises(RecordRefused) as refused:
        records.correct(db.session, evaluator, new, "belum final")
    assert refused.value.code == "not_final"
    assert "correct" in audit_actions(db, new.id)


def iku_target(db, staff, indicator="ikm", period=CURRENT, target=80.0):
    row = IkuTarget(unit_id=staff.unit_id, period=period, indicator=indicator, target=target)
    db.session.add(row)
    db.session.commit()
    return row


def test_an_item_tied_to_an_iku_target_pulls_its_realisation(db, cast_with_data):
    from surveys.evaluations import iku

    target = iku_target(db, cast_with_data.well)
    record = draft(db, cast_with_data.well)
    item = records.add_item(db.session, user(db, "penilai"), record, {
        "iku_target_id": str(target.id), "realisation": "99 (diketik)"})
    db.session.commit()
    expected = iku.realisation(db.session, target)
    assert item.realisation == expected.text  # pulled, the typed value ignored
    assert item.pulled["value"] == expected.value and item.pulled["ci95"] == list(expected.ci95)
    assert item.indicator.startswith("Indeks Kepuasan Masyarakat") and item.target == ">= 80"
    other_unit = iku_target(db, cast_with_data.cast.unit.other_unit_officer)
    other_period = iku_target(db, cast_with_data.well, period="2026-Q4")
    for wrong in (other_unit.id, other_period.id, 10 ** 30, "satu", "-1"):
        with pytest.raises(RecordRefused) as refused:
            records.add_item(db.session, user(db, "penilai"), record, {"iku_target_id": wrong})
        assert (refused.value.code, refused.value.field) == ("unknown_iku", "iku_target_id")


HOSTILE = [
    ({"indicator": "a\x00b", "target": "1"}, ("control_characters", "indicator")),
    ({"indicator": "x" * 10_000, "target": "1"}, ("too_long", "indicator")),
    ({"indicator": "", "target": "1"}, ("required", "indicator")),
    ({"indicator": "a", "target": "1", "evidence_link": "javascript:alert(1)"},
     ("invalid_link", "evidence_link")),
    ({"indicator": "a", "target": "1", "evidence_link": "//example.org/x"},
     ("invalid_link", "evidence_link")),
    ({"indicator": "a", "target": "1", "evidence_link": "https://a b.example"},
     ("invalid_link", "evidence_link")),
    ({"indicator": "a", "target": "1", "note": "n" * 4001}, ("too_long", "note")),
]


@pytest.mark.parametrize(("fields", "problem"), HOSTILE)
def test_hostile_item_input_is_refused_naming_the_field(db, cast_with_data, fields, problem):
    record = draft(db, cast_with_data.well)
    with pytest.raises(RecordRefused) as refused:
        records.add_item(db.session, user(db, "penilai"), record, fields)
    assert (refused.value.code, refused.value.field) == problem


def test_hostile_assessment_input_is_refused(db, cast_with_data):
    record = draft(db, cast_with_data.well)
    evaluator = user(db, "penilai")
    cases = [
        (dict(behaviour_notes={}, hasil="sangat_baik", perilaku=None, feedback=None),
         ("unknown_rating", "hasil_rating")),
        (dict(behaviour_notes={}, hasil=None, perilaku=["di_atas"], feedback=None),
         ("unknown_rating", "perilaku_rating")),
        (dict(behaviour_notes={"loyal": "\x00"}, hasil=None, perilaku=None, feedback=None),
         ("control_characters", "behaviour_loyal")),
        (dict(behaviour_notes={}, hasil=None, perilaku=None, feedback="f" * 10_000),
         ("too_long", "feedback")),
    ]
    for kwargs, problem in cases:
        with pytest.raises(RecordRefused) as refused:
            records.save_assessment(db.session, evaluator, record, **kwargs)
        assert (refused.value.code, refused.value.field) == problem
    with pytest.raises(RecordRefused) as refused:
        records.edit_item(db.session, evaluator, record, 999_999, {"indicator": "a", "target": "b"})
    assert refused.value.code == "unknown_item"


def test_admin_opens_in_the_name_of_the_officers_evaluator(db, cast_with_data):
    record = records.open_record(db.session, user(db, "admin"), cast_with_data.well, CURRENT)
    assert record.evaluator_id == user(db, "penilai").id
    assert audit_actions(db, record.id) == ["open"]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_id == record.id)).one()
    assert event.actor_label == "admin"
    assert not db.session.scalars(select(RoleGrant).where(RoleGrant.role == "evaluator",
                                                          RoleGrant.user_id == user(db, "admin").id)).all()
