"""The demo's evaluation data (issue 13): what an evaluator, an officer and an atasan find after
`flask demo load` — final Q3 records whose evidence verifies, draft Q4 records, two keberatan
(one decided), two objections (one upheld, and it left the officer's score), two co-worker rounds."""
from __future__ import annotations

import hashlib
import json
from datetime import date

from sqlalchemy import func, select

from surveys.demo.load import load_demo
from surveys.models import (
    CoworkerAnswer,
    CoworkerRound,
    EvaluationRecord,
    Keberatan,
    Response,
    ResponseObjection,
    Staff,
    Unit,
)
from surveys.reporting.aggregate import Scope, officer_frame
from surveys.periods import Period


def _digest(evidence: dict) -> str:
    text = json.dumps(evidence, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_demo_gives_disdukcapil_its_evaluation_year(db):
    load_demo(db.session, date(2026, 12, 2))
    db.session.commit()
    unit = db.session.scalars(select(Unit).where(Unit.code == "kupang-dukcapil")).one()
    officers = db.session.scalar(select(func.count()).select_from(Staff)
                                 .where(Staff.unit_id == unit.id))
    records = list(db.session.scalars(select(EvaluationRecord)))
    final = [r for r in records if r.period == "2026-Q3"]
    draft = [r for r in records if r.period == "2026-Q4"]

    assert len(final) == len(draft) == officers == 9
    assert {r.status for r in final} == {"final"} and {r.status for r in draft} == {"draft"}
    for record in final:
        assert record.predikat and record.evidence["officer_score"]["n"] > 0
        assert _digest(record.evidence) == record.evidence_sha256
        assert record.evidence["officer"]["nip"] == record.staff.nip
    keberatan = list(db.session.scalars(select(Keberatan)))
    assert len(keberatan) == 2 and sorted(k.decision is not None for k in keberatan) == [False, True]

    objections = {o.status: o for o in db.session.scalars(select(ResponseObjection))}
    assert set(objections) == {"upheld", "rejected"}
    upheld = objections["upheld"]
    q3 = Period.parse("2026-Q3")
    counted = officer_frame(db.session, Scope(q3.start, q3.end, staff_id=upheld.staff_id))
    fransiska = next(r for r in final if r.staff_id == upheld.staff_id)
    first, after = q3.utc_bounds(unit.timezone)
    naming = db.session.scalar(select(func.count()).select_from(Response).where(
        Response.staff_id == upheld.staff_id, Response.submitted_at >= first,
        Response.submitted_at < after,
        (Response.u6.is_not(None)) | (Response.u7.is_not(None)) | (Response.officer_rating.is_not(None))))
    assert int(counted["n"].iloc[0]) == fransiska.evidence["officer_score"]["n"] == naming - 1
    assert fransiska.evidence["exclusions"]["upheld_objections"] == 1

    answers = {round_.staff.name: db.session.scalar(
        select(func.count()).select_from(CoworkerAnswer).where(CoworkerAnswer.round_id == round_.id))
        for round_ in db.session.scalars(select(CoworkerRound))}
    assert sorted(answers.values()) == [2, 4]
    # The Q4 drafts carry the co-worker evidence beside the citizen evidence: shown for the round
    # with four answers, hidden for the one with two, nothing for officers without a round.
    colleagues = {r.staff.name: r.coworker_evidence for r in draft}
    assert all(_digest(r.coworker_evidence) == r.coworker_sha256 for r in draft)
    assert {name: colleagues[name]["answered"] for name in answers} == answers
    assert {name: colleagues[name]["shown"] for name in answers} == {
        name: count >= 3 for name, count in answers.items()}
    assert sum(c["round"] is None for c in colleagues.values()) == len(draft) - 2
