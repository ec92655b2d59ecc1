"""Who may open the evaluation records: the evaluator (and admins) their officers' records, the
officer their own shared and final versions (never a draft), the atasan the keberatan
addressed to them and their officer's final record; everyone else 403 or 404.

POSTs that an allowed role reaches give a stable answer on these records (a final record
refuses every edit with 409), so the table does not depend on the order it is walked in."""
from __future__ import annotations

from datetime import UTC, datetime

from surveys.db import utcnow
from surveys.evaluations import records
from surveys.models import Keberatan
from tests.access.cast import Route, allowed, cast, check
from tests.evaluations.records_data import user

EVALUATORS = ("admin", "evaluator")
WELL = "/penilaian/rekaman/{final_well}"

ACCESS = [
    Route("GET", "/penilaian/pegawai/{evaluated_ref}/{period}", allowed(200, *EVALUATORS)),
    Route("GET", "/penilaian/pegawai/{own_ref}/{period}", allowed(200, "admin")),
    Route("GET", "/penilaian/pegawai/{evaluated_ref}/2026-Q9", allowed(400, *EVALUATORS)),
    Route("GET", "/penilaian/pegawai/tidak-ada/{period}", allowed(404, *EVALUATORS)),
    Route("POST", "/penilaian/pegawai/{evaluated_ref}/{period}/buka", allowed(409, *EVALUATORS)),
    Route("GET", WELL, allowed(200, *EVALUATORS)),
    Route("GET", "/penilaian/rekaman/{final_own}",
          {**allowed(200, "admin"), "evaluator": 404}),
    Route("GET", "/penilaian/rekaman/999999", allowed(404, *EVALUATORS)),
    Route("POST", WELL + "/butir", allowed(409, *EVALUATORS)),
    Route("POST", WELL + "/butir/999999", allowed(409, *EVALUATORS)),
    Route("POST", WELL + "/butir/999999/hapus", allowed(409, *EVALUATORS)),
    Route("POST", WELL + "/penilaian", allowed(409, *EVALUATORS)),
    Route("POST", WELL + "/bukti", allowed(409, *EVALUATORS)),
    Route("POST", WELL + "/bagikan", allowed(409, *EVALUATORS)),
    Route("POST", WELL + "/finalkan", allowed(400, *EVALUATORS)),  # no confirmation
    Route("POST", WELL + "/koreksi", allowed(400, *EVALUATORS)),  # no reason
    Route("POST", "/penilaian/rekaman/{final_own}/bukti",
          {**allowed(409, "admin"), "evaluator": 404}),
    Route("GET", WELL + ".pdf", {**allowed(200, *EVALUATORS, "atasan"), "staff": 404}),
    Route("GET", "/penilaian/rekaman/{draft_well}.pdf",
          {**allowed(200, *EVALUATORS), "staff": 404, "atasan": 404}),
    Route("GET", "/penilaian/rekaman/{final_own}.pdf",
          {**allowed(200, "admin", "staff"), "evaluator": 404, "atasan": 404}),
    Route("GET", "/penilaian/rekaman/{draft_own}.pdf",
          {**allowed(200, "admin"), "staff": 404, "evaluator": 404, "atasan": 404}),
    Route("GET", "/saya/penilaian", allowed(200, "staff")),
    Route("GET", "/saya/penilaian/{final_own}", allowed(200, "staff")),
    Route("GET", "/saya/penilaian/{draft_own}", allowed(404, "staff")),
    Route("GET", "/saya/penilaian/{final_well}", allowed(404, "staff")),
    Route("POST", "/saya/penilaian/{final_well}/keberatan", allowed(404, "staff")),
    # this officer has no atasan: the record names none, so a keberatan cannot be addressed
    Route("POST", "/saya/penilaian/{final_own}/keberatan", allowed(409, "staff")),
    Route("POST", "/saya/penilaian/{final_own}/terima", allowed(303, "staff")),  # after the above
    Route("POST", "/saya/penilaian/{final_well}/terima", allowed(404, "staff")),
    Route("GET", "/penilaian/keberatan", allowed(200, "atasan")),
    Route("POST", "/penilaian/keberatan/{keberatan}/putuskan", allowed(400, "atasan")),
    Route("POST", "/penilaian/keberatan/999999/putuskan", allowed(404, "atasan")),
]

PERIOD, NEXT = "2026-Q3", "2026-Q4"
MOMENT = datetime(2026, 10, 2, tzinfo=UTC)


def _final(db, actor, staff, finalized):
    record = records.open_record(db.session, actor, staff, PERIOD)
    records.set_ratings(db.session, actor, record, "sesuai", "sesuai")
    records.pull_evidence(db.session, actor, record, MOMENT)
    records.share(db.session, actor, record, MOMENT)
    records.finalize(db.session, actor, record, finalized)
    return record


def test_records_access(app, db):
    people = cast(db)
    evaluator, admin = user(db, "penilai"), user(db, "admin")
    final_well = _final(db, evaluator, people.evaluated, MOMENT)
    draft_well = records.open_record(db.session, evaluator, people.evaluated, NEXT)
    final_own = _final(db, admin, people.own, utcnow())  # its keberatan window is open
    draft_own = records.open_record(db.session, admin, people.own, NEXT)
    row = Keberatan(record=final_well, filed_by_id=people.names["nobody"], reasons="Alasan.",
                    filed_at=MOMENT)
    db.session.add(row)
    db.session.commit()
    people.names.update(final_well=final_well.id, draft_well=draft_well.id,
                        final_own=final_own.id, draft_own=draft_own.id, keberatan=row.id,
                        period=PERIOD)
    check(app, people, ACCESS)
