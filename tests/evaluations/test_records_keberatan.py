"""The officer's answer to a final record: acknowledgement, or a keberatan within 14 calendar
days (of the unit's time zone) to the atasan named in the record, whose decision is final and
stored beside the record, which never changes."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from surveys.errors import RecordRefused
from surveys.evaluations import access, keberatan, records
from surveys.models import AuditEvent, EvaluationRecord, Keberatan
from tests.evaluations.records_data import FINALIZED, final_record, people, user

WITA = timedelta(hours=8)  # the cast's unit is Asia/Makassar


@pytest.fixture
def record(db):
    cast = people(db)
    return final_record(db, cast.well)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment on October `day`, 2026, WITA, as aware UTC (FINALIZED is 5 October, 09:00)."""
    return datetime(2026, 10, day, hour, minute, tzinfo=UTC) - WITA


@pytest.mark.parametrize(("moment", "allowed"), [
    (local(5, 9, 30), True),  # the same day
    (local(19, 23, 59), True),  # day 14, late in the evening
    (local(20, 0, 1), False),  # day 15
    (local(25, 12), False),
    (FINALIZED - timedelta(minutes=1), False),  # before it was final
])
def test_the_keberatan_window_closes_after_day_14(db, record, moment, allowed):
    officer = user(db, "maria")
    assert keberatan.last_day(record).isoformat() == "2026-10-19"
    if allowed:
        row = keberatan.file_keberatan(db.session, officer, record, "Bukti tidak lengkap.", moment)
        db.session.commit()
        assert row.filed_at == moment and row.decision is None
    else:
        with pytest.raises(RecordRefused) as refused:
            keberatan.file_keberatan(db.session, officer, record, "Terlambat.", moment)
        assert refused.value.code == "window_closed"


def test_once_per_version_only_by_the_officer_and_only_on_a_final_record(db, record):
    officer = user(db, "maria")
    for other in ("penilai", "staf", "atasan", "admin"):
        with pytest.raises(RecordRefused) as refused:
            keberatan.file_keberatan(db.session, user(db, other), record, "x", local(6, 9))
        assert refused.value.code == "not_allowed"
    for reasons, problem in (("", "required"), ("\x00", "control_characters"),
                             ("r" * 10_000, "too_long")):
        with pytest.raises(RecordRefused) as refused:
            keberatan.file_keberatan(db.session, officer, record, reasons, local(6, 9))
        assert (refused.value.code, refused.value.field) == (problem, "reasons")
    keberatan.file_keberatan(db.session, officer, record, "Alasan pertama.", local(6, 9))
    db.session.commit()
    with pytest.raises(RecordRefused) as refused:
        keberatan.file_keberatan(db.session, officer, record, "Lagi.", local(7, 9))
    assert refused.value.code == "keberatan_exists"
    with pytest.raises(RecordRefused) as refused:
        keberatan.acknowledge(db.session, officer, record, local(7, 9))
    assert refused.value.code == "keberatan_exists"


def test_no_keberatan_without_an_atasan_in_the_record(db):
    cast = people(db)
    atasan = user(db, "atasan")
    atasan.grants.clear()
    db.session.commit()
    record = final_record(db, cast.well)
    with pytest.raises(RecordRefused) as refused:
        keberatan.file_keberatan(db.session, user(db, "maria"), record, "Alasan.", local(6, 9))
    assert refused.value.code == "no_atasan"


def test_the_atasan_decides_once_and_the_record_stays_as_it_was(db, record):
    row = keberatan.file_keberatan(db.session, user(db, "maria"), record, "Alasan.", local(6, 9))
    db.session.commit()
    frozen = records.audit.values(record, "status", "hasil_rating", "perilaku_rating",
                                  "predikat", "feedback", "evidence_sha256", "finalized_at")
    for other in ("penilai", "maria", "staf", "manajer"):
        with pytest.raises(RecordRefused) as refused:
            keberatan.decide_keberatan(db.session, user(db, other), row, "ditolak", "x",
                                       local(8, 9))
        assert refused.value.code == "not_allowed"
    atasan = user(db, "atasan")
    assert access.keberatan_for(db.session, atasan) == [row]
    assert access.keberatan_for(db.session, user(db, "penilai")) == []
    for decision, note, problem in (("diterima", "x", "unknown_decision"),
                                    ("ditolak", "", "required"),
                                    ("ditolak", "\x00", "control_characters")):
        with pytest.raises(RecordRefused) as refused:
            keberatan.decide_keberatan(db.session, atasan, row, decision, note, local(8, 9))
        assert refused.value.code == problem
    keberatan.decide_keberatan(db.session, atasan, row, "dikabulkan",
                               "Butir 1 dinilai ulang dalam koreksi.", local(8, 9))
    db.session.commit()
    with pytest.raises(RecordRefused) as refused:
        keberatan.decide_keberatan(db.session, atasan, row, "ditolak", "Berubah pikiran.",
                                   local(9, 9))
    assert refused.value.code == "decided"
    db.session.expire_all()
    stored = db.session.get(Keberatan, row.id)
    assert (stored.decision, stored.decided_by_id, stored.decided_at) == (
        "dikabulkan", atasan.id, local(8, 9))
    record = db.session.get(EvaluationRecord, record.id)
    assert records.audit.values(record, *frozen) == frozen
    actions = list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity == "keberatan", AuditEvent.entity_id == row.id).order_by(AuditEvent.id)))
    assert actions == ["file", "decide"]


def test_a_keberatan_goes_to_the_atasan_named_in_the_record(db, record):
    """A newer atasan grant holder does not see a keberatan addressed to the earlier one."""
    from tests.factories import add_user

    row = keberatan.file_keberatan(db.session, user(db, "maria"), record, "Alasan.", local(6, 9))
    db.session.commit()
    newcomer = add_user(db, "atasan.baru", "atasan", staff_id=record.staff_id)
    assert access.keberatan_for(db.session, newcomer) == []
    with pytest.raises(RecordRefused):
        keberatan.decide_keberatan(db.session, newcomer, row, "ditolak", "x", local(8, 9))


def test_acknowledge_once_then_no_keberatan(db, record):
    officer = user(db, "maria")
    keberatan.acknowledge(db.session, officer, record, local(6, 9))
    db.session.commit()
    assert record.acknowledged_at == local(6, 9)
    with pytest.raises(RecordRefused) as refused:
        keberatan.acknowledge(db.session, officer, record, local(6, 10))
    assert refused.value.code == "acknowledged"
    with pytest.raises(RecordRefused) as refused:
        keberatan.file_keberatan(db.session, officer, record, "Alasan.", local(7, 9))
    assert refused.value.code == "acknowledged"
    assert db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity == "evaluation_record", AuditEvent.entity_id == record.id)
        .order_by(AuditEvent.id.desc())).first() == "acknowledge"


def test_the_officer_never_reaches_a_draft(db):
    cast = people(db)
    draft = records.open_record(db.session, user(db, "penilai"), cast.well, "2026-Q3")
    db.session.commit()
    officer = user(db, "maria")
    assert not access.may_view(officer, draft)
    with pytest.raises(RecordRefused) as refused:
        keberatan.acknowledge(db.session, officer, draft, local(6, 9))
    assert refused.value.code == "not_allowed"
    records.share(db.session, user(db, "penilai"), draft, local(6, 9))
    assert access.may_view(officer, draft)
    assert not access.may_view(user(db, "staf"), draft)
