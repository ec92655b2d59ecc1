"""A unit's population figures in the web UI: typed per period (audited, corrections with their
before value), imported from a CSV file all or nothing; every bad file gets a message in
Bahasa Indonesia and a 4xx, never a 500, and leaves the figures as they were."""
from __future__ import annotations

import html
import io

import pytest
from sqlalchemy import select

from surveys.models import AuditEvent, Population
from tests.access.cast import cast, client_as
from tests.factories import hidden_fields

PAGE = "/admin/unit/dukcapil/populasi"
IMPORT = "/admin/unit/dukcapil/populasi/impor"


@pytest.fixture
def people(db):
    return cast(db)


def token(client) -> str:
    return hidden_fields(client.get("/auth/akun").text)["csrf_token"]


def post(client, path: str, **fields):
    return client.post(path, data={"csrf_token": token(client), **fields})


def upload(client, content: bytes, filename: str = "populasi.csv", path: str = IMPORT):
    return client.post(path, data={"csrf_token": token(client),
                                   "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def figures(db, unit_id: int | None = None) -> dict[str, int]:
    db.session.expire_all()
    query = select(Population)
    if unit_id is not None:
        query = query.where(Population.unit_id == unit_id)
    return {row.period: row.size for row in db.session.scalars(query)}


def audit_rows(db) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "population")
                                   .order_by(AuditEvent.id)))


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_a_typed_figure_is_saved_audited_and_corrected(app, db, people, role):
    client = client_as(app, role)
    unit_id = people.unit.unit.id
    saved = post(client, PAGE, period="2026-Q3", size="1200")
    assert saved.status_code == 303
    assert figures(db) == {"2026-Q3": 1200}
    page = client.get(PAGE).text
    assert "Populasi 2026-Q3 disimpan: 1200." in page and "1.200" in page
    rows = audit_rows(db)
    assert [(row.action, row.before, row.after) for row in rows] == [
        ("create", None, {"unit_id": unit_id, "period": "2026-Q3", "size": 1200})]
    assert rows[0].unit_id == unit_id

    assert post(client, PAGE, period="2026-Q3", size="1350").status_code == 303
    assert figures(db) == {"2026-Q3": 1350}
    correction = audit_rows(db)[1:]
    assert [(row.action, row.before["size"], row.after["size"]) for row in correction] == [
        ("update", 1200, 1350)]
    # The same figure again is no change: no new row.
    assert post(client, PAGE, period="2026-Q3", size="1350").status_code == 303
    assert len(audit_rows(db)) == 2
    # Another period is a figure of its own.
    assert post(client, PAGE, period="2026", size="5000").status_code == 303
    assert figures(db) == {"2026-Q3": 1350, "2026": 5000}


@pytest.mark.parametrize("fields, message", [
    (dict(period=""), "Periode wajib diisi"),
    (dict(period="kemarin"), "Periode tidak dikenal"),
    (dict(period="2026-Q5"), "Periode tidak dikenal"),
    (dict(period="1999"), "Periode tidak dikenal"),
    (dict(period="2026\x00"), "Periode tidak dikenal"),
    (dict(period="<script>"), "Periode tidak dikenal"),
    (dict(period="2" * 10_000), "Periode tidak dikenal"),
    (dict(size=""), "Jumlah wajib diisi"),
    (dict(size="seratus"), "Isi dengan bilangan bulat"),
    (dict(size="12\x00"), "Isi dengan bilangan bulat"),
    (dict(size="1,5"), "Isi dengan bilangan bulat"),
    (dict(size="0"), "Jumlah harus 1 sampai 100.000.000"),
    (dict(size="-40"), "Jumlah harus 1 sampai 100.000.000"),
    (dict(size="100000001"), "Jumlah harus 1 sampai 100.000.000"),
    (dict(size="9" * 10_000), "Isi dengan bilangan bulat"),
])
def test_bad_typed_figures_are_refused_per_field(app, db, people, fields, message):
    manager = client_as(app, "manager")
    refused = post(manager, PAGE, **{**dict(period="2026-Q3", size="1200"), **fields})
    assert refused.status_code == 400
    assert message in refused.text
    assert figures(db) == {} and audit_rows(db) == []


GOOD_CSV = "periode;jumlah\n2026-Q1;1.200\n2026-Q2;1350\n2026;5000\n"


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_a_csv_file_is_imported_and_each_figure_audited(app, db, people, role):
    client = client_as(app, role)
    post(client, PAGE, period="2026", size="4000")  # a figure the file corrects
    imported = upload(client, ("\ufeff" + GOOD_CSV).encode())  # with the BOM Excel writes
    assert imported.status_code == 303
    assert figures(db) == {"2026-Q1": 1200, "2026-Q2": 1350, "2026": 5000}
    assert "3 angka populasi diimpor." in client.get(PAGE).text
    rows = audit_rows(db)
    assert [(row.action, row.after["period"], row.after["size"]) for row in rows] == [
        ("create", "2026", 4000), ("create", "2026-Q1", 1200), ("create", "2026-Q2", 1350),
        ("update", "2026", 5000)]
    assert rows[-1].before["size"] == 4000


def test_a_comma_separated_file_with_english_headers_and_extra_columns_is_read(app, db, people):
    manager = client_as(app, "manager")
    content = b"Period,Size,Keterangan\r\n2025-07,310,data SIMPEG\r\n2025-08,295,\r\n"
    assert upload(manager, content).status_code == 303
    assert figures(db) == {"2025-07": 310, "2025-08": 295}


def realistic_file(rows: int = 300) -> bytes:
    """A unit's monthly figures over 25 years, as a spreadsheet exports them: a BOM, CRLF line
    ends, thousands separators, and a notes column."""
    lines = ["Periode;Jumlah;Keterangan"]
    for index in range(rows):
        year, month = 2001 + index // 12, index % 12 + 1
        lines.append(f"{year}-{month:02d};{1000 + 7 * index:,};rekap bulanan loket "
                     f"pelayanan dokumen kependudukan".replace(",", "."))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def test_a_realistic_file_of_300_monthly_figures_is_imported_whole(app, db, people):
    content = realistic_file(300)
    assert 15_000 < len(content) < 50 * 1024
    manager = client_as(app, "manager")
    imported = upload(manager, content)
    assert imported.status_code == 303
    stored = figures(db)
    assert len(stored) == 300
    assert (stored["2001-01"], stored["2025-12"]) == (1000, 1000 + 7 * 299)
    assert len(audit_rows(db)) == 300


BAD_FILES = [
    (b"bulan;banyaknya\n2026-Q1;100\n", "populasi.csv",
     "Baris 1: kolom 'periode' dan 'jumlah' wajib ada."),
    (b"", "populasi.csv", "kolom 'periode' dan 'jumlah' wajib ada"),
    (b"periode;jumlah\n", "populasi.csv", "Berkas tidak berisi baris data."),
    (b"periode;jumlah\n2026-Q1;100\n2026-Q2;seratus\n", "populasi.csv",
     "Baris 3, kolom jumlah: harus bilangan bulat 1 sampai 100.000.000."),
    (b"periode;jumlah\n2026-Q1;100\n2026-Q2;-5\n", "populasi.csv",
     "Baris 3, kolom jumlah: harus bilangan bulat"),
    (b"periode;jumlah\n2026-Q1;100\n2026-Q2;0\n", "populasi.csv",
     "Baris 3, kolom jumlah: harus bilangan bulat"),
    (b"periode;jumlah\n2026-Q1;100\n2026-Q2;\n", "populasi.csv",
     "Baris 3, kolom jumlah: harus bilangan bulat"),
    (b"periode;jumlah\n2026-Q1;100\nkuartal tiga;200\n", "populasi.csv",
     "Baris 3, kolom periode: 'kuartal tiga' bukan periode"),
    (b"periode;jumlah\n2026-Q1;100\n2026-13;200\n", "populasi.csv",
     "Baris 3, kolom periode: '2026-13' bukan periode"),
    (b"periode;jumlah\n2026-Q1;100\n2026-Q1;200\n", "populasi.csv",
     "Baris 3, kolom periode: 2026-Q1 sudah ada di baris 2."),
    (b"periode;jumlah\n2026-Q1;100\n<script>alert(1)</script>;5\n", "populasi.csv",
     "Baris 3, kolom periode: '<script>alert(1)</sc' bukan periode"),
    (b"periode;jumlah\n2026-Q1\x00;100\n", "populasi.csv", "Baris 2, kolom periode"),
    (b"\xff\xfe\x00\x01\x02garbage\x80\x81", "populasi.csv", "Berkas bukan teks CSV (UTF-8)."),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)) * 8,
     "populasi.csv", "Berkas bukan teks CSV (UTF-8)."),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5\x8f", "populasi.csv",
     "Berkas bukan teks CSV (UTF-8)."),  # an XLSX renamed
    (GOOD_CSV.encode(), "populasi.exe", "Berkas harus CSV (.csv)."),
    (GOOD_CSV.encode(), "populasi.xlsx", "Berkas harus CSV (.csv)."),
    (GOOD_CSV.encode(), "", "Pilih berkas CSV."),
    (b"periode;jumlah\n" + b"2026;5\n" * 600, "populasi.csv", "Berkas lebih dari 500 baris data."),
]


@pytest.mark.parametrize("content, filename, message", BAD_FILES)
def test_a_bad_file_is_refused_with_a_message_and_nothing_is_saved(app, db, people, content,
                                                                   filename, message):
    manager = client_as(app, "manager")
    post(manager, PAGE, period="2025", size="4000")  # what was there before stays as it was
    refused = upload(manager, content, filename)
    assert 400 <= refused.status_code < 500
    assert message in html.unescape(refused.text)
    assert "<script>alert" not in refused.text
    assert "Berkas ditolak; tidak ada yang disimpan:" in refused.text
    assert figures(db) == {"2025": 4000}
    assert len(audit_rows(db)) == 1


def test_one_bad_row_among_good_ones_saves_none_and_lists_every_problem(app, db, people):
    manager = client_as(app, "manager")
    content = (b"periode;jumlah\n2026-01;100\n2026-02;banyak\n2026-03;300\n2026-99;400\n"
               b"2026-01;500\n")
    refused = upload(manager, content)
    assert refused.status_code == 400
    for message in ("Baris 3, kolom jumlah", "Baris 5, kolom periode: '2026-99'",
                    "Baris 6, kolom periode: 2026-01 sudah ada di baris 2."):
        assert message in html.unescape(refused.text)
    assert figures(db) == {} and audit_rows(db) == []


def test_a_file_larger_than_the_request_limit_gets_the_population_page(app, db, people):
    manager = client_as(app, "manager")
    for size in (60 * 1024, 280 * 1024):  # below and above the app's 64 KiB request limit
        content = b"periode;jumlah\n" + b"2026;5\n" * (size // 7)
        refused = upload(manager, content)
        assert refused.status_code == 413
        assert "Berkas terlalu besar (paling besar 50 KB)." in refused.text
        assert 'action="/admin/unit/dukcapil/populasi/impor"' in refused.text  # try again here
    assert figures(db) == {}


def test_a_manager_of_another_unit_cannot_read_or_change_the_figures(app, db, people):
    outsider = client_as(app, "other_manager")
    assert outsider.get(PAGE).status_code == 403
    assert post(outsider, PAGE, period="2026", size="10").status_code == 403
    assert upload(outsider, GOOD_CSV.encode()).status_code == 403
    assert figures(db) == {} and audit_rows(db) == []
    # Their own unit's page lists only their own unit's figures.
    manager = client_as(app, "manager")
    post(manager, PAGE, period="2026", size="777")
    own = outsider.get("/admin/unit/dukcapil-lain/populasi")
    assert own.status_code == 200 and "777" not in own.text


def test_an_import_without_the_csrf_token_is_refused(app, db, people):
    manager = client_as(app, "manager")
    refused = manager.post(IMPORT, data={"file": (io.BytesIO(GOOD_CSV.encode()), "p.csv")},
                           content_type="multipart/form-data")
    assert refused.status_code == 400
    assert figures(db) == {} and audit_rows(db) == []
