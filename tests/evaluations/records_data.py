"""The people and records of the evaluation-record tests: the access cast with its responses
(officer "evaluated" well rated, officer "own" thinly), plus an account for the well-rated
officer ("maria") and the evaluator made pejabat penilai of the thin officer too."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, text

from surveys.evaluations import records
from surveys.models import EvaluationRecord, RoleGrant, Staff, User
from tests.access.cast import Cast, cast
from tests.evaluations.data import CURRENT, rate_officers
from tests.factories import add_user

PULLED = datetime(2026, 10, 2, 1, 0, tzinfo=UTC)
SHARED = datetime(2026, 10, 3, 1, 0, tzinfo=UTC)
FINALIZED = datetime(2026, 10, 5, 1, 0, tzinfo=UTC)  # 09:00 WITA on 5 October


@dataclass
class People:
    cast: Cast
    well: Staff  # 120 responses a quarter
    thin: Staff  # 6 responses a quarter


def people(db) -> People:
    """The cast with responses; "maria" is the well-rated officer's own account."""
    the_cast = cast(db)
    rate_officers(db, the_cast)
    add_user(db, "maria", "staff", staff_id=the_cast.evaluated.id)
    evaluator = user(db, "penilai")
    evaluator.grants.append(RoleGrant(role="evaluator", staff_id=the_cast.own.id))
    db.session.commit()
    return People(the_cast, the_cast.evaluated, the_cast.own)


def user(db, username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def final_record(db, staff: Staff, *, hasil="sesuai", perilaku="di_atas",
                 finalized=FINALIZED) -> EvaluationRecord:
    """A committed final record of `staff` for CURRENT, by the evaluator, evidence pulled."""
    evaluator = user(db, "penilai")
    record = records.open_record(db.session, evaluator, staff, CURRENT)
    records.add_item(db.session, evaluator, record,
                     {"indicator": "Pelayanan KTP-el selesai tepat waktu", "target": "95%",
                      "realisation": "97%", "evidence_link": "https://arsip.example.go.id/ktp"})
    records.pull_evidence(db.session, evaluator, record, PULLED)
    records.save_assessment(db.session, evaluator, record, behaviour_notes={
        "berorientasi_pelayanan": "Ramah kepada warga."}, hasil=hasil, perilaku=perilaku,
        feedback="Pertahankan.")
    records.share(db.session, evaluator, record, SHARED)
    records.finalize(db.session, evaluator, record, finalized)
    db.session.commit()
    return record


def stored_evidence(db, record_id: int) -> tuple[dict, str]:
    """The record's evidence and digest as the database holds them (read past the ORM)."""
    evidence, digest = db.session.execute(text(
        "SELECT evidence, evidence_sha256 FROM evaluation_record WHERE id = :id"),
        {"id": record_id}).one()
    return (json.loads(evidence) if isinstance(evidence, str) else evidence), digest
