"""The SKM report PDF of a unit's published period (issue 14, "What it must show" 4): it renders
(pages turned into images by pdftoppm carry ink), has the customary chapters BAB I..V and the
questionnaire appendix, and its numbers equal the portal's JSON download; "*" stays "*"; no
officer's name or NIP and no raw citizen comment appears; an unpublished period is 404 and
hostile input 400/404, never 500; every demo unit's 2026-Q3 report renders."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlalchemy import select, update

from surveys.demo.load import load_demo
from surveys.models import Answer, Complaint, InstrumentItem, Response, Staff, Unit
from surveys.models.forum import FollowUpAction
from surveys.publishing.open_data import PROFILE_NAMES
from surveys.responses.instruments import SKM_ITEMS
from tests.access.cast import client_as
from tests.public import published
from tests.public.test_published_unit_page import PERIOD, office, page_of  # noqa: F401
from tests.publishing.test_publication import respond
from tests.report.report_pdf import CHAPTERS, inked_pages, lines_of, report_text

UNSUR_TEXT = {item.code: item.text_id for item in SKM_ITEMS}


def report_of(client, code: str, period: str = PERIOD, version: int | None = None) -> bytes:
    path = f"/unit/{code}/{period}" + ("" if version is None else f"/versi/{version}") + \
        "/laporan-skm.pdf"
    answer = client.get(path)
    assert answer.status_code == 200, answer.text[:300]
    assert answer.mimetype == "application/pdf"
    return answer.data


def json_snapshot(client, code: str, period: str = PERIOD) -> dict:
    answer = client.get(f"/unit/{code}/{period}.json")
    assert answer.status_code == 200
    return answer.get_json()["snapshot"]


def officers(db) -> list[tuple[str, str]]:
    return list(db.session.execute(select(Staff.name, Staff.nip)))


def assert_no_officer(text: str, people: list[tuple[str, str]]) -> None:
    assert people
    for name, nip in people:
        assert name not in text and nip not in text, name


def assert_numbers_equal_the_json(lines: list[str], snapshot: dict) -> None:
    """IKM, its interval, n and each unsur's n, NRR and interval as the portal formats them."""
    index = snapshot["index"]
    assert f"Nilai IKM {index['ikm']:.2f}" in lines
    low, high = index["ci95"]
    assert f"Interval kepercayaan 95% {low:.2f} sampai {high:.2f}" in lines
    assert f"Jumlah responden {snapshot['respondents']}" in lines
    assert f"Mutu pelayanan {index['mutu']} ({index['kinerja']})" in lines
    assert any(line.startswith(f"Kepastian mutu {index['grade']}:") for line in lines)
    assert len(index["unsur"]) == 9
    for unsur in index["unsur"]:
        low, high = unsur["ci95"]
        assert (f"{unsur['code']} {UNSUR_TEXT[unsur['code']]} {unsur['n']} {unsur['nrr']:.3f} "
                f"{low:.2f}-{high:.2f}") in lines, unsur["code"]


def assert_follow_up_rows(db, lines: list[str], code: str, period: str = "2026-Q3") -> None:
    """BAB V lists the unit's actions of the period by due day, each row's first line ending in
    its due day and status (longer texts wrap below it), or says there are none."""
    unit = db.session.scalars(select(Unit).where(Unit.code == code)).one()
    actions = list(db.session.scalars(select(FollowUpAction).where(
        FollowUpAction.unit_id == unit.id, FollowUpAction.period == period)
        .order_by(FollowUpAction.due_on, FollowUpAction.id)))
    chapter = lines[lines.index(CHAPTERS[4]):lines.index(CHAPTERS[5])]
    if not actions:
        assert "Belum ada rencana tindak lanjut yang dicatat untuk periode ini." in chapter
        return
    rows = [line for line in chapter if re.match(r"\d+ ", line)]
    assert len(rows) == len(actions), code
    for number, (line, action) in enumerate(zip(rows, actions), start=1):
        assert line.startswith(f"{number} {action.what.split()[0]}"), line
        assert line.endswith(f"{action.due_on:%d-%m-%Y} {action.status.capitalize()}"), line


def _decorate(db, office) -> dict:
    """Profile answers (3 women: a hidden cell), a raw comment, complaints (published in the
    period, unpublished, published but received before it) and two follow-up actions, one
    naming an officer."""
    unit = office.unit.unit
    ids = list(db.session.scalars(select(Response.id).where(Response.unit_id == unit.id)
                                  .order_by(Response.id)))
    db.session.execute(update(Response).where(Response.id.in_(ids[:3])).values(gender="P"))
    db.session.execute(update(Response).where(Response.id.in_(ids[3:30])).values(gender="L"))
    comment = db.session.scalars(select(InstrumentItem).where(InstrumentItem.code == "COMMENT")
                                 ).first()
    officer = office.evaluated
    texts = {
        "comment": "Komentar mentah warga tentang antrean panjang sekali",
        "published": f"Loket KTP-el kini dibuka pukul 07.30; terima kasih atas masukannya "
                     f"kepada {officer.name}, NIP {officer.nip}.",
        "private": "Balasan pribadi untuk warga saja",
        "earlier": "Balasan atas pengaduan triwulan lalu",
    }
    db.session.add_all([
        Answer(response_id=ids[0], item_id=comment.id, value_text=texts["comment"]),
        Complaint(response_id=ids[1], unit_id=unit.id, status="selesai",
                  received_at=datetime(2026, 8, 3, 2, tzinfo=UTC), due_on=date(2026, 8, 10),
                  public_reply=texts["published"], reply=texts["private"],
                  published_at=datetime(2026, 8, 5, 2, tzinfo=UTC)),
        Complaint(response_id=ids[2], unit_id=unit.id, status="diproses",
                  received_at=datetime(2026, 8, 4, 2, tzinfo=UTC), due_on=date(2026, 8, 11),
                  reply=texts["private"]),
        Complaint(response_id=ids[3], unit_id=unit.id, status="selesai",
                  received_at=datetime(2026, 6, 20, 2, tzinfo=UTC), due_on=date(2026, 6, 26),
                  public_reply=texts["earlier"], published_at=datetime(2026, 7, 2, tzinfo=UTC)),
        FollowUpAction(unit_id=unit.id, period=PERIOD, what="Menambah kursi ruang tunggu",
                       who="Kepala Subbagian Umum", due_on=date(2026, 11, 30),
                       status="berjalan"),
        FollowUpAction(unit_id=unit.id, period=PERIOD, what="Membuka loket pagi",
                       who=f"{officer.name} (Kepala Seksi Pelayanan)",
                       due_on=date(2026, 10, 31), status="rencana"),
        FollowUpAction(unit_id=unit.id, period="2026-Q2", what="Tindak lanjut periode lain",
                       who="Sekretaris", due_on=date(2026, 7, 31), status="rencana"),
    ])
    db.session.commit()
    return texts


def test_the_report_renders_with_its_chapters_and_the_portals_numbers(client, db, office,
                                                                      tmp_path):
    texts = _decorate(db, office)
    published.publish(db, office.unit.unit, PERIOD)
    data = report_of(client, office.code)
    text = report_text(data, tmp_path)
    lines = lines_of(text)

    pages = text.split("\f")
    third = next(i for i, page in enumerate(pages) if "BAB III HASIL" in page)
    inked_pages(data, tmp_path, (0, third))  # the cover and the results, as images

    at = [lines.index(heading) for heading in CHAPTERS]
    assert at == sorted(at), "the chapters are out of order"
    for heading in ("1.1 Latar Belakang", "1.2 Dasar Hukum", "1.3 Maksud dan Tujuan",
                    "2.1 Pelaksana", "2.2 Metode Pengumpulan Data", "2.5 Jumlah Responden",
                    "3.1 Profil Responden", "3.2 Nilai Rata-rata per Unsur (NRR)",
                    "4.1 Unsur dengan Nilai Terendah", "4.2 Saran dan Masukan",
                    "4.3 Perbandingan dengan Periode Sebelumnya"):
        assert heading in lines, heading
    words = " ".join(text.split())
    assert "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik" in words
    assert "Nomor 14 Tahun 2017" in words
    assert "Triwulan III Tahun 2026 (2026-Q3)" in words
    assert "1 Juli 2026 sampai 30 September 2026" in words

    snapshot = json_snapshot(client, office.code)
    assert_numbers_equal_the_json(lines, snapshot)
    assert f"Sampel minimal {snapshot['target']} (Krejcie-Morgan)" in lines
    assert f"Jumlah pengguna layanan {snapshot['population']}" in lines
    assert snapshot["below_target"] and "Catatan mutu data: jumlah responden di bawah sampel " \
        f"minimal Krejcie-Morgan ({snapshot['target']})." in words
    assert snapshot["index"]["caution"] and "Gunakan dengan hati-hati: kurang dari 100 " \
        "responden." in lines
    # The weakest unsur, found from the JSON's NRRs, is named and made the priority.
    weakest = min(snapshot["index"]["unsur"], key=lambda u: u["nrr"])
    name = f"{weakest['code']} {UNSUR_TEXT[weakest['code']]}"
    assert f"Unsur dengan NRR terendah adalah {name}, NRR {weakest['nrr']:.3f}" in words
    assert f"Prioritas perbaikan: unsur {name} (NRR {weakest['nrr']:.3f})." in words
    assert "Belum ada periode sebelumnya yang diterbitkan." in words

    # Saran: the published reply of a complaint received in the period, with the officer
    # blanked; never a raw comment, a private reply or a reply of another period.
    assert "Loket KTP-el kini dibuka pukul 07.30" in words
    assert "(nama petugas tidak ditampilkan), NIP (NIP tidak ditampilkan)" in words
    for hidden in ("comment", "private", "earlier"):
        assert texts[hidden] not in words, hidden
    # BAB V: the period's actions by due day, the officer blanked; another period's left out.
    first = lines.index("1 Membuka loket pagi (nama petugas tidak 31-10-2026 Rencana")
    assert lines[first + 1:first + 4] == [
        "ditampilkan) (Kepala Seksi", "Pelayanan)",
        "2 Menambah kursi ruang tunggu Kepala Subbagian Umum 30-11-2026 Berjalan"]
    assert "Tindak lanjut periode lain" not in words
    # Lampiran: the nine unsur with their answer labels.
    appendix = lines[lines.index(CHAPTERS[-1]):]
    for number, item in enumerate(SKM_ITEMS[:9], start=1):
        at = appendix.index(f"{number}. ({item.code}) {item.text_id}")
        assert appendix[at + 1] == "; ".join(
            f"{value} = {label}" for value, label in enumerate(item.labels_id, start=1))
    assert_no_officer(text, officers(db))


def test_suppressed_cells_stay_star_in_the_report(client, db, office, tmp_path):
    _decorate(db, office)
    published.publish(db, office.unit.unit, PERIOD)
    lines = lines_of(report_text(report_of(client, office.code), tmp_path))
    snapshot = json_snapshot(client, office.code)
    hidden = [s for s in snapshot["services"] if s["n"] == "*"]
    assert [s["code"] for s in hidden] and "akta" in [s["code"] for s in hidden]
    for part in snapshot["services"]:
        start = f"{part['name']} {part['unit']} {part['n']}"
        if part["n"] == "*":
            assert f"{start} *" in lines, part["code"]
        elif part["index"]:
            assert any(line.startswith(f"{start} {part['index']['ikm']:.2f}") for line in lines)
        else:
            assert f"{start} -" in lines, part["code"]
    women = next(g for g in snapshot["profile"]["gender"] if g["code"] == "P")
    assert women["n"] == "*" and "Perempuan * *" in lines
    for dimension, groups in snapshot["profile"].items():
        labels = PROFILE_NAMES[dimension][1]
        for group in groups:
            if group["n"] == "*" and group["code"] in labels:
                assert f"{labels[group['code']]} * *" in lines, (dimension, group["code"])
    # The true count of the hidden cells is nowhere on their rows.
    assert not any(line.startswith("Akta Kelahiran dukcapil 3") for line in lines)
    assert not any(line.startswith("Perempuan 3") for line in lines)


def test_the_change_from_the_previous_period_is_the_portals(client, db, office, tmp_path):
    respond(db, office.unit.unit, office.unit.services[0], 40, 2.6, 9,
            start=datetime(2026, 4, 6, 2, tzinfo=UTC))
    published.publish(db, office.unit.unit, "2026-Q2")
    published.publish(db, office.unit.unit, PERIOD)
    words = " ".join(report_text(report_of(client, office.code), tmp_path).split())
    before = json_snapshot(client, office.code, "2026-Q2")["index"]["ikm_exact"]
    after = json_snapshot(client, office.code)["index"]["ikm_exact"]
    assert (f"IKM {before:.2f} (2026-Q2) menjadi {after:.2f} (2026-Q3): berubah "
            f"{after - before:+.2f} poin") in words
    page = page_of(client, f"/unit/{office.code}?periode={PERIOD}")
    if 'id="bermakna"' in page:
        assert "Perubahan ini lebih besar dari variasi acak" in words
    else:
        assert 'id="tidak-bermakna"' in page
        assert "Perubahan ini masih dalam batas variasi acak" in words
    assert "Belum ada rencana tindak lanjut yang dicatat untuk periode ini." in words


def test_a_correction_has_its_own_report_and_the_old_version_stays(client, db, office,
                                                                   tmp_path):
    row = published.publish(db, office.unit.unit, PERIOD)
    published.correct(db, row, "Jumlah pengguna layanan dikoreksi.")
    current = " ".join(report_text(report_of(client, office.code), tmp_path).split())
    assert "Versi 2, diterbitkan" in current
    assert "Alasan koreksi Jumlah pengguna layanan dikoreksi." in current
    assert report_of(client, office.code, version=2)[:5] == b"%PDF-"
    old = " ".join(report_text(report_of(client, office.code, version=1), tmp_path).split())
    assert "Versi 1, diterbitkan" in old and "Versi ini sudah dikoreksi" in old


def test_the_unit_page_and_the_managers_page_link_the_report(app, client, db, office):
    published.publish(db, office.unit.unit, PERIOD)
    link = f'href="/unit/{office.code}/{PERIOD}/laporan-skm.pdf">Laporan SKM (PDF)</a>'
    assert link in page_of(client, f"/unit/{office.code}")
    manager = client_as(app, "manager")
    page = manager.get(f"/admin/unit/{office.code}/publikasi?periode={PERIOD}")
    assert page.status_code == 200 and link in page.text


def test_an_unpublished_period_is_tidak_ada_data(client, db, office):
    paths = [f"/unit/{office.code}/{PERIOD}/laporan-skm.pdf",
             f"/unit/{office.code}/{PERIOD}/versi/1/laporan-skm.pdf"]
    for path in paths:
        assert client.get(path).status_code == 404
    published.prepare(db, office.unit.unit, PERIOD)  # a draft is not public
    answer = client.get(paths[0])
    assert answer.status_code == 404 and "Tidak ada data" in answer.text
    answer = client.get(paths[1])
    assert answer.status_code == 404 and "Versi ini tidak ada" in answer.text
    published.publish(db, office.unit.unit, "2026-Q2")  # published, with nobody: still a report
    assert client.get(f"/unit/{office.code}/2026-Q2/laporan-skm.pdf").status_code == 200


HOSTILE_CODES = ["x" * 300, "%00", "..%2F..%2Fetc", "dukcapil'--", "d%C3%BCkcapil", "tidak-ada"]
HOSTILE_PERIODS = ["2026-Q5", "2026-13", "9999-Q1", "x" * 5000, "%00", "2026-Q3'--", "-1",
                   "2026-Q3%0Ax", "%E2%80%8B2026", "2026-Q%C3%A9"]


def test_hostile_codes_and_periods_get_400_or_404_never_500(client, db, office):
    published.publish(db, office.unit.unit, PERIOD)
    for code in HOSTILE_CODES:
        for suffix in (f"{PERIOD}/laporan-skm.pdf", f"{PERIOD}/versi/1/laporan-skm.pdf"):
            assert client.get(f"/unit/{code}/{suffix}").status_code == 404, code
    for period in HOSTILE_PERIODS:
        for suffix in ("laporan-skm.pdf", "versi/1/laporan-skm.pdf"):
            answer = client.get(f"/unit/{office.code}/{period}/{suffix}")
            assert answer.status_code == 400, (period, answer.status_code)
    for version in ("0", "2", "99999999999999999999999", "-1", "satu"):
        answer = client.get(f"/unit/{office.code}/{PERIOD}/versi/{version}/laporan-skm.pdf")
        assert answer.status_code == 404, version


def test_every_demo_units_q3_report_renders(client, db, tmp_path):
    load_demo(db.session, date(2026, 12, 2))
    db.session.commit()
    people = officers(db)
    codes = list(db.session.scalars(select(Unit.code).order_by(Unit.code)))
    assert len(codes) >= 6
    for code in codes:
        data = report_of(client, code, "2026-Q3")
        text = report_text(data, tmp_path)
        lines = lines_of(text)
        assert all(heading in lines for heading in CHAPTERS), code
        assert_numbers_equal_the_json(lines, json_snapshot(client, code, "2026-Q3"))
        assert_no_officer(text, people)
        assert_follow_up_rows(db, lines, code)
    inked_pages(data, tmp_path, (0, 3))
