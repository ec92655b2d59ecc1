"""Demo evaluation data for Disdukcapil Kota Kupang (issue 13): final 2026-Q3 records with their
evidence (two with a keberatan, one decided), draft 2026-Q4 records, two co-worker rounds (one
with enough answers, one without) and two objections to responses (one upheld, one rejected).

Built from the models directly, as the rest of the demo is; the figures in each evidence object
come from `build_evidence`, so they are what an evaluator pulling them would see.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.evaluations.coworker import coworker_evidence
from surveys.evaluations.evidence import build_evidence
from surveys.frozen import canonical_sha256
from surveys.evaluations.predikat import predikat
from surveys.models import (
    CoworkerAnswer,
    CoworkerInvitation,
    CoworkerRound,
    EvaluationRecord,
    Keberatan,
    Response,
    ResponseObjection,
    SkpItem,
    Staff,
    Unit,
    User,
)
from surveys.models.evaluation import BEHAVIOURS
from surveys.periods import Period

UNIT = "kupang-dukcapil"
FINAL, DRAFT = "2026-Q3", "2026-Q4"
FINALISED_AT = datetime(2026, 10, 9, 2, 0, tzinfo=UTC)  # 10:00 WITA, after the quarter closed
# (hasil kerja, perilaku kerja) of the final records, in the officers' order by NIP.
RATINGS = [("sesuai", "sesuai"), ("di_atas", "sesuai"), ("di_atas", "di_atas"),
           ("sesuai", "di_atas"), ("sesuai", "sesuai"), ("di_bawah", "sesuai"),
           ("sesuai", "sesuai"), ("di_atas", "sesuai"), ("sesuai", "sesuai")]
OWN_NIP = "198911052014022001"  # Fransiska Nenobais, the demo officer account (petugas.dukcapil)
# Who filed a keberatan against their Q3 record, and whether the atasan has decided it.
KEBERATAN = {OWN_NIP: True, "197906112005011002": False}  # Marthen Benu: petugas2.dukcapil
ITEMS = (
    ("Pelayanan dokumen kependudukan selesai sesuai standar waktu", "95% berkas", "96% berkas"),
    ("Perekaman KTP-el tanpa pengulangan karena kesalahan data", "≤ 2% berkas", "1,5% berkas"),
)


def snapshot(user: User) -> dict:
    """Who a person was when the record was made: name, NIP, jabatan, unit."""
    staff = user.staff
    return {"name": staff.name if staff else user.display_name, "nip": staff.nip if staff else None,
            "jabatan": staff.position if staff else None,
            "unit": staff.unit.name if staff else None}


def load_objections(session: Session, users: dict[str, User]) -> int:
    """The demo officer objects to two of their Q3 responses; the manager upholds one and rejects
    the other. Call before the roll-up is rebuilt: an upheld one leaves the officer's score."""
    officer, manager = users.get("petugas.dukcapil"), users.get("manajer.dukcapil")
    if officer is None or manager is None or officer.staff_id is None:
        return 0
    first, after = Period.parse(FINAL).utc_bounds(officer.staff.unit.timezone)
    responses = list(session.scalars(
        select(Response).where(Response.staff_id == officer.staff_id, Response.u7.is_not(None),
                               Response.submitted_at >= first, Response.submitted_at < after)
        .order_by(Response.u7, Response.id).limit(2)))  # their two harshest ratings
    decisions = (("upheld", "Pada jam itu petugas sedang cuti; loket dilayani rekan lain.",
                  "Daftar hadir menunjukkan petugas cuti pada tanggal itu. Dikabulkan."),
                 ("rejected", "Saya merasa penilaian ini tidak adil.",
                  "Tidak ada bukti bahwa respons ini keliru menunjuk petugas. Ditolak."))
    for response, (status, reason, note) in zip(responses, decisions):
        filed = response.submitted_at + timedelta(days=2)
        session.add(ResponseObjection(
            response_id=response.id, staff_id=officer.staff_id, filed_by_id=officer.id,
            reason=reason, filed_at=filed, status=status, decision_note=note,
            decided_by_id=manager.id, decided_at=filed + timedelta(days=1)))
    session.flush()
    return len(responses)


def _record(session: Session, staff: Staff, period: str, evaluator: User, atasan: User | None,
            now: datetime, ratings: tuple[str, str] | None) -> EvaluationRecord:
    evidence = build_evidence(session, staff, Period.parse(period), now)
    colleagues = coworker_evidence(session, staff, period, now)
    record = EvaluationRecord(
        staff=staff, period=period, evaluator_id=evaluator.id,
        evaluator_snapshot=snapshot(evaluator), atasan_snapshot=atasan and snapshot(atasan),
        evidence=evidence, evidence_sha256=canonical_sha256(evidence),
        coworker_evidence=colleagues, coworker_sha256=canonical_sha256(colleagues), created_at=now,
        behaviour_notes={"berorientasi_pelayanan": "Lihat bukti kepuasan warga terlampir."},
        items=[SkpItem(position=i, indicator=indicator, target=target,
                       realisation=realised if ratings else None)
               for i, (indicator, target, realised) in enumerate(ITEMS)])
    if ratings:
        record.hasil_rating, record.perilaku_rating = ratings
        record.predikat = predikat(*ratings)
        record.feedback = "Pertahankan keramahan di loket; perhatikan waktu tunggu pada hari Senin."
        record.status, record.shared_at, record.finalized_at = "final", now, now
    session.add(record)
    return record


def load_records(session: Session, users: dict[str, User], now: datetime) -> int:
    """Final Q3 records (evidence as pulled on the day they were finalised) and draft Q4 ones."""
    evaluator, atasan = users.get("penilai.dukcapil"), users.get("atasan.dukcapil")
    if evaluator is None or now <= FINALISED_AT:
        return 0
    unit = session.scalars(select(Unit).where(Unit.code == UNIT)).one()
    officers = list(session.scalars(select(Staff).where(Staff.unit_id == unit.id)
                                    .order_by(Staff.nip)))
    accounts = {user.staff_id: user for user in users.values() if user.staff_id is not None}
    count = 0
    for staff, ratings in zip(officers, RATINGS):
        final = _record(session, staff, FINAL, evaluator, atasan, FINALISED_AT, ratings)
        if staff.nip in KEBERATAN and atasan is not None and staff.id in accounts:
            filed = FINALISED_AT + timedelta(days=5)
            decided = KEBERATAN[staff.nip]
            final.keberatan.append(Keberatan(
                filed_by_id=accounts[staff.id].id,
                reasons="Hasil kerja triwulan ini terhambat kekosongan blanko KTP-el, "
                        "bukan karena kinerja saya.", filed_at=filed,
                decision="ditolak" if decided else None,
                decision_note="Kekosongan blanko sudah diperhitungkan dalam target." if decided else None,
                decided_by_id=atasan.id if decided else None,
                decided_at=filed + timedelta(days=4) if decided else None))
        else:
            final.acknowledged_at = FINALISED_AT + timedelta(days=1)
        _record(session, staff, DRAFT, evaluator, atasan, now, None)
        count += 2
    session.flush()
    return count


def load_coworker_rounds(session: Session, users: dict[str, User], now: datetime) -> int:
    """Q4 rounds: the demo officer's with four answers (shown), Maria Ndun's with two (hidden)."""
    evaluator = users.get("penilai.dukcapil")
    if evaluator is None:
        return 0
    unit = session.scalars(select(Unit).where(Unit.code == UNIT)).one()
    staff = {s.nip: s for s in session.scalars(select(Staff).where(Staff.unit_id == unit.id))}
    plans = ((OWN_NIP, 4, (4, 3, 4, 3, 4, 4, 3)), ("198703142010032004", 2, (3, 3, 3, 4, 3, 3, 3)))
    for nip, answers, values in plans:
        invitees = [s for s in sorted(staff.values(), key=lambda s: s.nip) if s.nip != nip][:4]
        round_ = CoworkerRound(staff=staff[nip], period=DRAFT, opened_by_id=evaluator.id,
                               opened_at=now)
        for number, invitee in enumerate(invitees):
            token = hashlib.sha256(secrets.token_bytes(32)).hexdigest()  # nobody holds the link
            round_.invitations.append(CoworkerInvitation(
                invitee=invitee, token_sha256=token, used_at=now if number < answers else None))
        session.add(round_)
        session.flush()
        for number in range(answers):
            shifted = [max(1, min(4, v - (number % 2))) for v in values]
            session.add(CoworkerAnswer(round_id=round_.id, comment=None, submitted_on=now.date(),
                                       **dict(zip(BEHAVIOURS, shifted))))
    session.flush()
    return len(plans)
