"""Staff files as a SIMPEG-like system exports them, for the import tests and the browser journey:
a title block, then NIP / Nama / Jabatan / Kode Unit columns, NIPs as text."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook

from surveys.models.staff import nip_problem

HEADER = ("No", "NIP", "Nama", "Gelar Belakang", "Jabatan", "Kode Unit", "Golongan")
FIRST = ("Maria", "Yohanes", "Dewi", "Agustinus", "Fransiska", "Yosef", "Elisabet", "Markus",
         "Veronika", "Petrus", "Theresia", "Andreas", "Margaretha", "Stefanus", "Katarina")
LAST = ("Ndun", "Lake", "Manafe", "Bria", "Nalle", "Tefa", "Seran", "Mau", "Lay", "Kana")
POSITIONS = ("Pengadministrasi Kependudukan", "Verifikator Berkas", "Operator Layanan",
             "Analis Kebijakan", "Pranata Komputer")
BAD_NIP = "198513122010011001"  # month 13 of birth: refused as an implausible birth date


def staff_nip(n: int) -> str:
    """The n-th plausible NIP (n from 0): born 1980-1994, appointed at 25, alternating sex."""
    born = f"{1980 + n % 15}{1 + n % 12:02d}{1 + n % 28:02d}"
    appointed = f"{1980 + n % 15 + 25}{1 + (n * 5) % 12:02d}"
    nip = f"{born}{appointed}{1 + n % 2}{1 + n % 999:03d}"
    assert nip_problem(nip) is None, nip
    return nip


def staff_rows(count: int, unit_codes: tuple[str, ...] = ("",), bad_row: int | None = None,
               start: int = 0) -> list[tuple]:
    """`count` staff (the header not included); the `bad_row`-th (from 0) gets BAD_NIP; each
    row's unit code cycles through `unit_codes` ("" leaves it to the importing unit)."""
    rows = []
    for index in range(count):
        n = start + index
        name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]}"
        rows.append((index + 1, BAD_NIP if index == bad_row else staff_nip(n), name,
                     "S.Sos." if n % 3 == 0 else "", POSITIONS[n % len(POSITIONS)],
                     unit_codes[index % len(unit_codes)], "III/a"))
    return rows


# The row of a data row in the spreadsheet: two title lines, a blank line, the header, then data.
FIRST_DATA_ROW = 5


def _workbook(count: int, unit_codes: tuple[str, ...], bad_row: int | None, start: int) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "Data Pegawai"
    sheet.append(("DAFTAR PEGAWAI NEGERI SIPIL",))
    sheet.append(("Sumber: SIMPEG",))
    sheet.append(())
    sheet.append(HEADER)
    for row in staff_rows(count, unit_codes, bad_row, start):
        sheet.append(row)
    for cell in sheet["B"]:
        cell.number_format = "@"  # NIP as text, as an export must keep all 18 digits
    return book


def write_staff_xlsx(path: str | Path, count: int = 30, *, unit_codes: tuple[str, ...] = ("",),
                     bad_row: int | None = None, start: int = 0) -> Path:
    """Writes an XLSX of `count` plausible staff to `path` and returns it. With `bad_row` (0-based
    data row) that row's NIP is invalid; it is spreadsheet row FIRST_DATA_ROW + bad_row."""
    path = Path(path)
    _workbook(count, unit_codes, bad_row, start).save(path)
    return path


def staff_xlsx_bytes(count: int = 30, *, unit_codes: tuple[str, ...] = ("",),
                     bad_row: int | None = None, start: int = 0) -> bytes:
    buffer = io.BytesIO()
    _workbook(count, unit_codes, bad_row, start).save(buffer)
    return buffer.getvalue()


def staff_csv_bytes(count: int = 30, *, delimiter: str = ";", **options) -> bytes:
    """The same data as a CSV (semicolons, as Excel saves in the id-ID locale), UTF-8 with BOM."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(HEADER)
    writer.writerows(staff_rows(count, **options))
    return ("\ufeff" + text.getvalue()).encode("utf-8")
