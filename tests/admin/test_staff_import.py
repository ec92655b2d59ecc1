"""Importing staff from a SIMPEG-like XLSX or CSV: all or nothing, every bad row and column listed
with the row number the spreadsheet shows, re-import updates by NIP, size and type limits."""
from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from surveys.models import AuditEvent, Staff
from tests.admin.staff_files import (
    BAD_NIP,
    FIRST_DATA_ROW,
    staff_csv_bytes,
    staff_nip,
    staff_xlsx_bytes,
)
from tests.admin.test_staff_pages import audit_rows, manager, unit  # noqa: F401 (fixtures)
from tests.factories import hidden_fields

PAGE = "/admin/unit/dukcapil/pegawai/impor"


def upload(client, content: bytes, filename: str = "pegawai.xlsx"):
    token = hidden_fields(client.get(PAGE).text)["csrf_token"]
    return client.post(PAGE, data={"csrf_token": token, "berkas": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def staff_count(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Staff))


def test_thirty_staff_with_one_bad_nip_are_refused_then_the_fixed_file_accepted(manager, db,
                                                                                 unit):
    before = staff_count(db)
    refused = upload(manager, staff_xlsx_bytes(30, bad_row=6))
    assert refused.status_code == 400
    assert "Berkas ditolak: tidak ada data yang disimpan" in refused.text
    assert f"<tr><td>{FIRST_DATA_ROW + 6}</td><td>NIP</td>" in refused.text
    assert "Angka 1–8 NIP harus tanggal lahir" in refused.text and BAD_NIP in refused.text
    assert staff_count(db) == before and audit_rows(db) == []

    accepted = upload(manager, staff_xlsx_bytes(30, unit_codes=("", "dukcapil-kec")))
    assert accepted.status_code == 303
    listing = manager.get(accepted.headers["Location"]).text
    assert "30 pegawai diimpor: 30 baru, 0 diperbarui, 0 tidak berubah." in listing
    assert staff_count(db) == before + 30
    first = db.session.scalars(select(Staff).where(Staff.nip == staff_nip(0))).one()
    second = db.session.scalars(select(Staff).where(Staff.nip == staff_nip(1))).one()
    assert (first.name, first.position, first.unit.code) == (
        "Maria Ndun, S.Sos.", "Pengadministrasi Kependudukan", "dukcapil")
    assert second.unit.code == "dukcapil-kec"
    rows = audit_rows(db)
    assert len(rows) == 30 and {row.action for row in rows} == {"create"}
    assert rows[0].reason == "impor pegawai.xlsx" and rows[0].after["nip"] == staff_nip(0)


def test_every_bad_row_and_column_is_listed(manager, db, unit):
    book = Workbook()
    sheet = book.active
    sheet.append(("NIP Baru", "Nama Lengkap", "Nama Jabatan", "Unit Kerja"))
    sheet.append((staff_nip(0), "Satu", "Staf", ""))
    sheet.append((staff_nip(0), "Dua", "Staf", ""))  # row 3: the NIP of row 2 again
    sheet.append(("12345", "", "Staf", ""))  # row 4: NIP and name
    sheet.append((1.98503122010011e17, "Empat", "", ""))  # row 5: NIP as a number, no position
    sheet.append((staff_nip(6), "Lima", "Staf", "dukcapil-lain"))  # row 6: not this unit's tree
    sheet.append((unit.other_unit_officer.nip, "Enam", "Staf", ""))  # row 7: another unit's NIP
    buffer = io.BytesIO()
    book.save(buffer)
    refused = upload(manager, buffer.getvalue())
    assert refused.status_code == 400
    found = [(row, column) for row, column in (
        (3, "NIP"), (4, "NIP"), (4, "Nama"), (5, "NIP"), (5, "Jabatan"))
        if f"<tr><td>{row}</td><td>{column}</td>" in refused.text]
    assert found == [(3, "NIP"), (4, "NIP"), (4, "Nama"), (5, "NIP"), (5, "Jabatan")]
    assert "sama dengan baris 2" in refused.text
    assert "NIP tersimpan sebagai angka" in refused.text
    assert staff_count(db) == 3  # make_unit's three, nothing from the file
    # With the row problems fixed, the rows naming other units are refused in turn.
    for cells in sheet.iter_rows(min_row=3, max_row=5):
        cells[0].value, cells[1].value, cells[2].value = staff_nip(cells[0].row), "Nama", "Staf"
    buffer = io.BytesIO()
    book.save(buffer)
    refused = upload(manager, buffer.getvalue())
    assert refused.status_code == 400
    assert "<tr><td>6</td><td>Unit</td>" in refused.text and "Unit tidak dikenal" in refused.text
    assert "<tr><td>7</td><td>NIP</td>" in refused.text
    assert "terdaftar di unit lain" in refused.text
    assert staff_count(db) == 3 and audit_rows(db) == []


def test_reimport_updates_by_nip(manager, db, unit):
    assert upload(manager, staff_csv_bytes(5), "pegawai.csv").status_code == 303
    changed = staff_csv_bytes(5).replace(b"Verifikator Berkas", b"Kepala Seksi")
    response = upload(manager, changed, "pegawai.csv")
    assert response.status_code == 303
    assert "5 pegawai diimpor: 0 baru, 1 diperbarui, 4 tidak berubah." in \
        manager.get(response.headers["Location"]).text
    assert staff_count(db) == 3 + 5
    updated = db.session.scalars(select(Staff).where(Staff.nip == staff_nip(1))).one()
    assert updated.position == "Kepala Seksi"
    updates = [row for row in audit_rows(db) if row.action == "update"]
    assert [(row.entity_id, row.before["position"], row.after["position"]) for row in updates] == [
        (updated.id, "Verifikator Berkas", "Kepala Seksi")]


def test_an_import_updates_existing_staff_of_the_unit(manager, db, unit):
    """A NIP already in the unit (added by hand) is updated, never duplicated."""
    maria = unit.officers[0]
    content = f"NIP;Nama;Jabatan\n{maria.nip};Maria Ndun, S.Sos.;Pengadministrasi\n".encode()
    assert upload(manager, content, "simpeg.csv").status_code == 303
    db.session.expire_all()
    assert db.session.get(Staff, maria.id).name == "Maria Ndun, S.Sos."
    assert staff_count(db) == 3


@pytest.mark.parametrize(("content", "filename", "message"), [
    (b"", "pegawai.xlsx", "Berkas tidak dapat dibaca"),
    (b"PK\x03\x04 not really a zip", "pegawai.xlsx", "Berkas tidak dapat dibaca"),
    (b"\xd0\xcf\x11\xe0 old excel", "pegawai.xls", "Excel lama"),
    (b"%PDF-1.4", "pegawai.pdf", "Jenis berkas tidak didukung"),
    (b"NIP,Nama,Jabatan\n", "pegawai.csv", "tidak berisi data pegawai"),
    (b"Nomor,Nama\n1,Budi\n", "pegawai.csv", "Baris judul kolom tidak ditemukan"),
    (b"NIP,Nama\n198503122010011001,Budi\n", "pegawai.csv", "Kolom ini tidak ada"),
    (b"NIP,Nama\x00,Jabatan\n", "pegawai.csv", "Berkas tidak dapat dibaca"),
])
def test_bad_files_get_a_message_never_a_500(manager, db, unit, content, filename, message):
    response = upload(manager, content, filename)
    assert response.status_code in (400, 413)
    assert message in response.text
    assert staff_count(db) == 3


def test_a_file_over_the_limit_is_413_with_the_import_page(manager, db, unit):
    """Built by hand: the test client spools a large multipart body to a file it never closes."""
    token = hidden_fields(manager.get(PAGE).text)["csrf_token"]
    boundary = "grens"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}'
            f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="berkas"; '
            f'filename="besar.csv"\r\n\r\n').encode() + b"x" * (3 * 1024 * 1024) + \
        f"\r\n--{boundary}--\r\n".encode()
    response = manager.post(PAGE, data=body,
                            content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert "Berkas terlalu besar (paling besar 2 MB)." in response.text
    assert staff_count(db) == 3


def test_a_file_larger_than_other_forms_may_be_is_accepted(manager, db, unit):
    """Other forms stop at 64 KiB; an export of 1500 staff is larger and is imported whole."""
    content = staff_csv_bytes(1500)
    assert len(content) > 64 * 1024
    response = upload(manager, content, "pegawai.csv")
    assert response.status_code == 303
    assert staff_count(db) == 3 + 1500


def test_a_zip_bomb_is_refused_before_it_is_unpacked(manager, db, unit):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200 * 1024
    response = upload(manager, buffer.getvalue())
    assert response.status_code == 400 and "Berkas terlalu besar" in response.text


def test_no_file_and_no_csrf_token(manager, db, unit):
    token = hidden_fields(manager.get(PAGE).text)["csrf_token"]
    assert "Pilih berkas" in manager.post(PAGE, data={"csrf_token": token}).text
    refused = manager.post(PAGE, data={"berkas": (io.BytesIO(staff_csv_bytes(2)), "a.csv")},
                           content_type="multipart/form-data")
    assert refused.status_code == 400 and "Formulir sudah kedaluwarsa" in refused.text
    assert staff_count(db) == 3


def test_csv_in_cp1252_with_commas_and_a_title_block(manager, db, unit):
    content = ("Daftar Pegawai\n\nNIP,Nama,Jabatan,Kode Unit\n"
               f"{staff_nip(3)},Agustinus Bri\u00e0,Staf,dukcapil-kec\n").encode("cp1252")
    assert upload(manager, content, "pegawai.CSV").status_code == 303
    created = db.session.scalars(select(Staff).where(Staff.nip == staff_nip(3))).one()
    assert created.name == "Agustinus Bri\u00e0" and created.unit.code == "dukcapil-kec"
    created_rows = select(func.count()).select_from(AuditEvent).where(AuditEvent.entity == "staff")
    assert db.session.scalar(created_rows) == 1
