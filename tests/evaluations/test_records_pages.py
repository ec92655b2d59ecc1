"""The record pages over HTTP: the evaluator's overview and record page (evidence, items,
ratings and predikat, share, finalise with confirmation, correction), an edit of a final record
refused with 409 and its audit row committed, the PDF, the officer's records and keberatan, and
the atasan's decision; hostile input answered with a 4xx and a message, never a 500."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from surveys.db import utcnow
from surveys.evaluations import records
from surveys.evaluations.overview import evidence_status
from surveys.models import AuditEvent, EvaluationRecord, Keberatan
from surveys.periods import Period
from surveys.reporting.officers import ScoreCache
from tests.access.cast import _csrf, client_as
from tests.evaluations.data import CURRENT
from tests.evaluations.pages import pdf_text, table
from tests.evaluations.records_data import final_record, people, stored_evidence, user
from tests.factories import signed_in


@pytest.fixture
def rated(db):
    return people(db)


def post(client, path: str, **data):
    return client.post(path, data={"csrf_token": _csrf(client), **data})


def test_overview_shows_evidence_status_and_record_state(app, db, rated):
    final_record(db, rated.well)
    page = client_as(app, "evaluator").get(f"/penilaian?periode={CURRENT}")
    assert page.status_code == 200
    header, *rows = table(page.text, "rekaman")
    shown = {row[0]: row for row in rows}
    cache = ScoreCache(db.session)
    thin = evidence_status(cache, rated.thin, Period.parse(CURRENT))
    assert not thin.reliable and thin.n_needed
    assert shown[rated.thin.name][1:6] == [
        str(thin.n), f"{thin.reliability:.2f}",
        f"belum cukup untuk penilaian (perlu sekitar {thin.n_needed} tanggapan)",
        "belum ada", "buka rekaman"]
    assert shown[rated.well.name][4] == "final"
    assert shown[rated.well.name][5].startswith("menunggu tanggapan pegawai") or \
        shown[rated.well.name][5] == "selesai"


def test_evaluator_walks_a_record_to_final_and_an_edit_after_is_refused_and_logged(app, db,
                                                                                   rated):
    client = client_as(app, "evaluator")
    base = f"/penilaian/pegawai/{rated.well.public_ref}/{CURRENT}"
    assert "Buka rekaman" in client.get(base).text
    assert post(client, base + "/buka").status_code == 303
    assert post(client, base + "/buka").status_code == 409  # one record per officer and period
    record = records.latest(db.session, rated.well.id, CURRENT)
    path = f"/penilaian/rekaman/{record.id}"
    pulled = post(client, path + "/bukti")
    assert pulled.status_code == 303
    page = client.get(path).text
    evidence, digest = stored_evidence(db, record.id)
    assert digest in page
    assert dict(table(page, "bukti"))["Jumlah tanggapan (n)"] == str(evidence["officer_score"]["n"])
    low, high = evidence["officer_score"]["ci95"]
    assert dict(table(page, "bukti"))["Interval 95%"] == f"{low:.1f}–{high:.1f}"
    assert post(client, path + "/butir", indicator="Layanan KTP-el", target="95%",
                realisation="97%", evidence_link="https://arsip.example.go.id").status_code == 303
    answer = post(client, path + "/penilaian", hasil_rating="di_atas", perilaku_rating="di_atas",
                  feedback="Bagus.", behaviour_berorientasi_pelayanan="Ramah.")
    assert answer.status_code == 303
    assert "Sangat Baik" in client.get(path).text
    assert post(client, path + "/finalkan", confirm="y").status_code == 409  # not shared yet
    assert post(client, path + "/bagikan").status_code == 303
    unconfirmed = post(client, path + "/finalkan")
    assert unconfirmed.status_code == 400 and "Centang konfirmasi" in unconfirmed.text
    assert post(client, path + "/finalkan", confirm="y").status_code == 303

    refused = post(client, path + "/penilaian", hasil_rating="di_bawah",
                   perilaku_rating="di_bawah")
    assert refused.status_code == 409
    assert "sudah final dan tidak dapat diubah" in refused.text
    db.session.expire_all()
    assert db.session.get(EvaluationRecord, record.id).predikat == "Sangat Baik"
    logged = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "edit_refused", AuditEvent.entity_id == record.id)).all()
    assert [event.reason for event in logged] == ["final_read_only: save_assessment"]
    for step in ("/bukti", "/bagikan", "/butir"):
        assert post(client, path + step, indicator="x", target="y").status_code == 409
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "edit_refused", AuditEvent.entity_id == record.id)) == 4

    corrected = post(client, path + "/koreksi", reason="Salah ketik pada realisasi.")
    assert corrected.status_code == 303
    new = records.latest(db.session, rated.well.id, CURRENT)
    assert new.version == 2 and corrected.headers["Location"].endswith(f"/rekaman/{new.id}")
    old_page = client.get(path).text
    assert "Versi ini sudah dikoreksi." in old_page and digest in old_page


HOSTILE_ITEMS = [
    ({"indicator": "a\x00b", "target": "1"}, "karakter kendali"),
    ({"indicator": "x" * 10_000, "target": "1"}, "terlalu panjang"),
    ({"indicator": "a", "target": "1", "evidence_link": "javascript:alert(1)"}, "http://"),
    ({"indicator": "", "target": ""}, "wajib diisi"),
    ({"indicator": "a", "target": "b", "iku_target_id": "99999999999999999999"}, "target IKU"),
]


@pytest.mark.parametrize(("fields", "message"), HOSTILE_ITEMS)
def test_hostile_item_input_gets_400_with_a_message(app, db, rated, fields, message):
    record = records.open_record(db.session, user(db, "penilai"), rated.well, CURRENT)
    db.session.commit()
    answer = post(client_as(app, "evaluator"), f"/penilaian/rekaman/{record.id}/butir", **fields)
    assert answer.status_code == 400
    assert message in answer.text
    db.session.expire_all()
    assert db.session.get(EvaluationRecord, record.id).items == []


def test_hostile_ids_and_values_never_500(app, db, rated):
    record = records.open_record(db.session, user(db, "penilai"), rated.well, CURRENT)
    db.session.commit()
    client = client_as(app, "evaluator")
    path = f"/penilaian/rekaman/{record.id}"
    assert post(client, path + "/penilaian", hasil_rating="luar_biasa").status_code == 400
    assert post(client, path + "/penilaian", feedback="\x00").status_code == 400
    assert post(client, path + "/butir/424242", indicator="a", target="b").status_code == 400
    assert post(client, path + "/butir/424242/hapus").status_code == 400
    assert post(client, "/penilaian/rekaman/999999/bukti").status_code == 404
    assert client.post(path + "/bukti").status_code == 400  # no CSRF token
    assert client.get(f"/penilaian/pegawai/{rated.well.public_ref}/2026-Q9").status_code == 400
    assert post(client, path + "/koreksi", reason="x").status_code == 409  # not final


def test_the_pdf_carries_the_record_and_its_evidence_hash(app, db, rated, tmp_path):
    record = final_record(db, rated.well)
    answer = client_as(app, "evaluator").get(f"/penilaian/rekaman/{record.id}.pdf")
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/pdf"
    assert re.search(rb"/MediaBox\s*\[0 0 595\.28 841\.89\]", answer.data)  # A4 in points
    text = pdf_text(answer.data, tmp_path)
    _evidence, digest = stored_evidence(db, record.id)
    flat = " ".join(text.split())
    for expected in (rated.well.name, rated.well.nip, CURRENT, "Baik", "Pertahankan.", digest,
                     "Pelayanan KTP-el selesai tepat waktu", "Pejabat penilai",
                     "Atasan pejabat penilai", "Ramah kepada warga."):
        assert expected in flat, expected
    n = str(stored_evidence(db, record.id)[0]["officer_score"]["n"])
    assert f"Jumlah tanggapan (n) {n}" in flat


def test_officer_sees_shared_records_only_and_files_a_keberatan(app, db, rated):
    record = final_record(db, rated.well, finalized=utcnow())  # the pages read the clock
    draft = records.open_record(db.session, user(db, "penilai"), rated.well, "2026-Q4")
    db.session.commit()
    officer = signed_in(app, "maria")
    listing = officer.get("/saya/penilaian")
    assert f"/saya/penilaian/{record.id}" in listing.text
    assert f"/saya/penilaian/{draft.id}" not in listing.text
    assert officer.get(f"/saya/penilaian/{draft.id}").status_code == 404
    assert officer.get(f"/penilaian/rekaman/{draft.id}.pdf").status_code == 404
    page = officer.get(f"/saya/penilaian/{record.id}")
    assert page.status_code == 200 and "paling lambat" in page.text
    too_long = post(officer, f"/saya/penilaian/{record.id}/keberatan", reasons="r" * 10_000)
    assert too_long.status_code == 400
    blank = post(officer, f"/saya/penilaian/{record.id}/keberatan", reasons="  ")
    assert blank.status_code == 400 and "wajib diisi" in blank.text
    assert post(officer, f"/saya/penilaian/{record.id}/keberatan",
                reasons="Bukti warga belum cukup.").status_code == 303
    assert post(officer, f"/saya/penilaian/{record.id}/keberatan",
                reasons="Lagi.").status_code == 409
    row = db.session.scalars(select(Keberatan)).one()

    atasan = client_as(app, "atasan")
    page = atasan.get("/penilaian/keberatan")
    assert "Bukti warga belum cukup." in page.text
    action = f"/penilaian/keberatan/{row.id}/putuskan"
    assert post(atasan, action, **{f"k{row.id}-decision": "diterima",
                                   f"k{row.id}-note": "x"}).status_code == 400
    assert post(atasan, action, **{f"k{row.id}-decision": "ditolak",
                                   f"k{row.id}-note": "\x00"}).status_code == 400
    assert post(client_as(app, "evaluator"), action).status_code == 403
    assert post(atasan, action, **{f"k{row.id}-decision": "ditolak",
                                   f"k{row.id}-note": "Penilaian sudah sesuai bukti."}
                ).status_code == 303
    assert post(atasan, action, **{f"k{row.id}-decision": "dikabulkan",
                                   f"k{row.id}-note": "x"}).status_code == 409
    assert "Penilaian sudah sesuai bukti." in officer.get(f"/saya/penilaian/{record.id}").text
    assert post(atasan, "/penilaian/keberatan/999999/putuskan").status_code == 404
