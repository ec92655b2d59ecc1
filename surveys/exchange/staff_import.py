"""Staff (pegawai) in from a CSV or XLSX as SIMPEG-like systems export it, all or nothing.

The header may sit below a title block and name its columns as such exports do (NIP / NIP Baru,
Nama / Nama Lengkap with Gelar Depan and Gelar Belakang, Jabatan / Nama Jabatan, Unit / Kode Unit /
Unit Kerja). Every bad row and column is reported (the row as the spreadsheet numbers it) and
nothing is stored unless every row is good; a NIP already stored is updated, not duplicated.
"""
from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys import audit
from surveys.errors import StaffImportError
from surveys.models import Staff, Unit, User
from surveys.models.staff import nip_problem_code
from surveys.organization.staff import STAFF_FIELDS, placeable_units

MAX_BYTES = 2 * 1024 * 1024  # an export of a few thousand staff is well under this
MAX_UNPACKED = 40 * 1024 * 1024  # an XLSX is a zip: refuse one that unpacks to more (zip bomb)
MAX_ROWS = 5000
MAX_TEXT = 200  # the model's name and position columns
HEADER_SEARCH_ROWS = 10  # a title block above the header is skipped, up to this many rows

# Header names as exports spell them (compared lower-case, punctuation as spaces).
ALIASES = {
    "nip": ("nip", "nip baru", "nip 18", "nip pegawai", "nomor induk pegawai"),
    "name": ("nama", "nama pegawai", "nama lengkap", "nama asn"),
    "title_before": ("gelar depan",),
    "title_after": ("gelar belakang",),
    "position": ("jabatan", "nama jabatan", "jabatan terakhir", "posisi"),
    "unit": ("unit", "kode unit", "unit kerja", "kode unit kerja", "unit organisasi"),
}
REQUIRED = ("nip", "name", "position")
COLUMN_LABELS = {"nip": "NIP", "name": "Nama", "position": "Jabatan", "unit": "Unit"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Problem:
    """One reason the file is refused: where (the row as the file numbers it, a column label),
    a code the web layer words ('nip_length', 'required', ...) and `value` for context."""

    row: int | None
    column: str | None
    code: str
    value: str = ""

    def __str__(self) -> str:
        parts = (f"baris {self.row}" if self.row else "", self.column or "")
        where = ", ".join(part for part in parts if part)
        return f"{where}: {self.code}" if where else self.code


@dataclass(frozen=True)
class StaffRow:
    row: int
    nip: str
    name: str
    position: str
    unit: str  # a unit code or name as written; blank for the unit the import is made in


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def _refuse(code: str, column: str | None = None) -> StaffImportError:
    return StaffImportError([Problem(None, column, code)])


def _xlsx_rows(content: bytes) -> list[tuple]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _refuse("unreadable") from None
    if unpacked > MAX_UNPACKED:
        raise _refuse("too_large")
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():  # openpyxl warns of styles and extensions it skips
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                rows = []
                for values in book.worksheets[0].iter_rows(values_only=True):
                    rows.append(values)
                    if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                        break
            finally:
                book.close()
    except Exception:  # noqa: BLE001 - any failure to parse an uploaded workbook is a bad file
        raise _refuse("unreadable") from None
    return rows


def _csv_rows(content: bytes) -> list[tuple]:
    if b"\x00" in content:
        raise _refuse("unreadable")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:  # Excel on Windows saves "CSV (Comma delimited)" in cp1252
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise _refuse("unreadable") from None
    head = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])  # the header is among these
    delimiter = max(",;\t", key=head.count)
    try:
        return [tuple(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error:
        raise _refuse("unreadable") from None


def _header_key(value) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(value or "").casefold()).split())


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int]]:
    """The index of the header row and each known column's position in it."""
    wanted = {alias: key for key, aliases in ALIASES.items() for alias in aliases}
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        positions: dict[str, int] = {}
        for position, value in enumerate(values):
            key = wanted.get(_header_key(value))
            if key is not None:
                positions.setdefault(key, position)
        if "nip" in positions:
            return index, positions
    raise _refuse("no_header")


def _text(value) -> str:
    """A cell as one line of text: numbers as written, control characters and runs of spaces out."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(_CONTROL.sub(" ", str(value)).split())


def read_staff_file(filename: str, content: bytes) -> list[StaffRow]:
    """The data rows of an uploaded .csv or .xlsx; StaffImportError for a file that cannot be read
    as one (wrong type, too large, no NIP header, a missing column) or with bad rows."""
    if len(content) > MAX_BYTES:
        raise _refuse("too_large")
    suffix = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    if suffix == "xlsx":
        if not content.startswith(b"PK\x03\x04"):  # every XLSX is a zip archive
            raise _refuse("unreadable")
        rows = _xlsx_rows(content)
    elif suffix == "csv":
        rows = _csv_rows(content)
    else:
        raise _refuse("old_excel" if suffix == "xls" else "wrong_type")
    start, positions = _find_header(rows)
    missing = [Problem(start + 1, COLUMN_LABELS[key], "missing_column")
               for key in REQUIRED if key not in positions]
    if missing:
        raise StaffImportError(missing)
    body = [(start + 2 + offset, values) for offset, values in enumerate(rows[start + 1:])]
    body = [(number, values) for number, values in body if any(_text(v) for v in values)]
    if not body:
        raise _refuse("empty")
    if len(body) > MAX_ROWS:
        raise _refuse("too_many_rows")
    return _checked_rows(body, positions)


def _checked_rows(body: list[tuple[int, tuple]], positions: dict[str, int]) -> list[StaffRow]:
    problems: list[Problem] = []
    rows: list[StaffRow] = []
    first_row_of: dict[str, int] = {}

    def cell(values: tuple, key: str):
        position = positions.get(key)
        return values[position] if position is not None and position < len(values) else None

    for number, values in body:
        before = len(problems)
        raw_nip = cell(values, "nip")
        nip = re.sub(r"\s+", "", _text(raw_nip)).removeprefix("'")
        if isinstance(raw_nip, float):  # Excel kept only 15 significant digits of it
            problems.append(Problem(number, "NIP", "nip_number", nip))
        elif not nip:
            problems.append(Problem(number, "NIP", "required"))
        elif (code := nip_problem_code(nip)) is not None:
            problems.append(Problem(number, "NIP", f"nip_{code}", nip[:40]))
        elif nip in first_row_of:
            problems.append(Problem(number, "NIP", "nip_duplicate", str(first_row_of[nip])))
        else:
            first_row_of[nip] = number
        name = " ".join(part for part in (_text(cell(values, "title_before")),
                                          _text(cell(values, "name"))) if part)
        if _text(cell(values, "title_after")) and _text(cell(values, "name")):
            name = f"{name}, {_text(cell(values, 'title_after'))}"
        position = _text(cell(values, "position"))
        for label, text in (("Nama", name), ("Jabatan", position)):
            if not text:
                problems.append(Problem(number, label, "required"))
            elif len(text) > MAX_TEXT:
                problems.append(Problem(number, label, "too_long", str(MAX_TEXT)))
        if len(problems) == before:
            rows.append(StaffRow(number, nip, name, position, _text(cell(values, "unit"))))
    if problems:
        raise StaffImportError(problems)
    return rows


def _unit_lookup(session: Session, unit: Unit) -> dict[str, Unit]:
    """The units staff may be placed in from `unit`'s page, by code and by name (case-folded)."""
    lookup: dict[str, Unit] = {}
    for candidate in placeable_units(session, unit):
        lookup.setdefault(candidate.code.casefold(), candidate)
        lookup.setdefault(_text(candidate.name).casefold(), candidate)
    return lookup


def _existing(session: Session, nips: Iterable[str]) -> dict[str, Staff]:
    found: dict[str, Staff] = {}
    nips = list(nips)
    for start in range(0, len(nips), 900):  # well under every backend's bound-parameter limit
        chunk = nips[start:start + 900]
        found.update((staff.nip, staff) for staff in
                     session.scalars(select(Staff).where(Staff.nip.in_(chunk))))
    return found


def import_staff(session: Session, actor: User | None, unit: Unit, rows: list[StaffRow],
                 source: str) -> ImportResult:
    """Creates or updates (by NIP) one staff record per row, in `unit` or the sub-unit its Unit
    column names, each with one audit row; a NIP of someone outside `unit`'s tree is refused.
    Raises StaffImportError listing every problem, then nothing is changed. Flushes only."""
    units = _unit_lookup(session, unit)
    existing = _existing(session, (row.nip for row in rows))
    problems, placed = [], []
    for row in rows:
        target = units.get(row.unit.casefold()) if row.unit else unit
        if target is None:
            problems.append(Problem(row.row, "Unit", "unit_unknown", row.unit[:60]))
            continue
        staff = existing.get(row.nip)
        if staff is not None and staff.unit_id not in {u.id for u in units.values()}:
            problems.append(Problem(row.row, "NIP", "nip_other_unit", row.nip))
            continue
        placed.append((row, target, staff))
    if problems:
        raise StaffImportError(problems)
    created = updated = 0
    reason = f"impor {source[:120]}"
    for row, target, staff in placed:
        if staff is None:
            staff = Staff(nip=row.nip, name=row.name, position=row.position, unit_id=target.id)
            session.add(staff)
            session.flush()
            audit.record(session, actor=actor, action="create", entity="staff",
                         entity_id=staff.id, unit_id=target.id,
                         after=audit.values(staff, *STAFF_FIELDS), reason=reason)
            created += 1
            continue
        before = audit.values(staff, *STAFF_FIELDS)
        staff.name, staff.position, staff.unit_id, staff.active = (
            row.name, row.position, target.id, True)
        after = audit.values(staff, *STAFF_FIELDS)
        if audit.changed(before, after):
            session.flush()
            audit.record(session, actor=actor, action="update", entity="staff",
                         entity_id=staff.id, unit_id=target.id, before=before, after=after,
                         reason=reason)
            updated += 1
    return ImportResult(created, updated, len(placed) - created - updated)
