"""Paper questionnaires in, as CSV in the layout of an export (`surveys.exchange.export`).

Import (`import_paper`) is all-or-nothing: every bad row is reported (line and column, in Bahasa
Indonesia) and nothing is saved unless every row is good.
"""
from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import BinaryIO, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from surveys.reporting import rollup
from surveys.exchange.csv_answers import (
    UNSUR_CODES,
    CsvAnswerError,
    delimiter_of,
    parse_cell,
    read_answers_csv,
    read_text,
)
from surveys.db import utcnow
from surveys.errors import InvalidPeriod, PaperImportError
from surveys.exchange.export import EXPORT_COLUMNS, PROFILE, from_spreadsheet_safe
from surveys.responses.form_values import COMMENT_MAX_CHARS
from surveys.responses.instruments import default_instrument
from surveys.models import Answer, Counter, Response, Service, Staff, Unit
from surveys.models.response import WAITING_BANDS, new_receipt
from surveys.periods import Period

# Columns an import reads; `id`, `channel` and `flags` (as in an export) are accepted and ignored:
# an imported response is always a new paper response without flags.
IMPORT_COLUMNS = tuple(c for c in EXPORT_COLUMNS if c not in ("id", "channel", "flags"))
IGNORED_COLUMNS = ("id", "channel", "flags")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$")
PAPER_NOON = time(12, 0)


@dataclass(frozen=True)
class ImportResult:
    count: int
    unit: str
    period: str
    first: datetime
    last: datetime


def _where(line: int, column: str | None = None) -> str:
    return f"baris {line}" + (f", kolom {column}" if column else "")


def _parse_time(text: str, zone: ZoneInfo) -> datetime:
    """A date (12:00 that day, unit time) or an ISO 8601 datetime (unit time unless it has an
    offset), as aware UTC. Raises ValueError."""
    match = _DAY_FIRST.match(text)
    if match:
        day = date(int(match[3]), int(match[2]), int(match[1]))
        return datetime.combine(day, PAPER_NOON, zone).astimezone(UTC)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return datetime.combine(date.fromisoformat(text), PAPER_NOON, zone).astimezone(UTC)
    moment = datetime.fromisoformat(text.replace(" ", "T", 1))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


class _Row:
    """One data row of the file: the cells by canonical column name, and its problems."""

    def __init__(self, line: int, cells: dict[str, str], problems: list[str]):
        self.line, self.cells, self.problems = line, cells, problems

    def text(self, column: str) -> str:
        """The cell, trimmed, without the quote an export put before formula-like text."""
        return from_spreadsheet_safe((self.cells.get(column) or "").strip())

    def problem(self, column: str | None, message: str) -> None:
        self.problems.append(f"{_where(self.line, column)}: {message}")


def _header(header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Position → canonical column name, and the header's problems (unknown, repeated)."""
    known = {name.lower(): name for name in (*IMPORT_COLUMNS, *IGNORED_COLUMNS)}
    columns: dict[int, str] = {}
    problems: list[str] = []
    for index, raw in enumerate(header):
        name = known.get(raw.strip().lower())
        if name is None:
            if raw.strip():
                problems.append(f'baris 1: kolom "{raw.strip()}" tidak dikenal; kolom yang '
                                f'diterima: {", ".join(IMPORT_COLUMNS)}')
            continue
        if name in columns.values():
            problems.append(f"baris 1: kolom {name} muncul lebih dari sekali")
        columns[index] = name
    return columns, problems


def _records(text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text.split("\n", 1)[0]))
    header = next(reader)

    def rows():
        for record in reader:
            if any(cell.strip() for cell in record):
                yield reader.line_num, record
    return header, rows()


class _Directory:
    """The unit's counters, services and officers by code, to check and resolve each row."""

    def __init__(self, session: Session, unit: Unit):
        self.counters = dict(session.execute(
            select(Counter.code, Counter.id).where(Counter.unit_id == unit.id)).all())
        self.services = dict(session.execute(
            select(Service.code, Service.id).where(Service.unit_id == unit.id)).all())
        self.staff = dict(session.execute(
            select(Staff.nip, Staff.id).where(Staff.unit_id == unit.id)).all())


def _choice(row: _Row, column: str, known: dict[str, int], what: str) -> int | None:
    text = row.text(column)
    if not text:
        return None
    if text not in known:
        row.problem(column, f'{what} "{text}" tidak terdaftar di unit ini')
        return None
    return known[text]


def _row_values(row: _Row, unit: Unit, directory: _Directory, unsur: dict[str, float] | None,
                zone: ZoneInfo, bounds: tuple[datetime, datetime], now: datetime) -> dict:
    """A Response row (dict) from one file row; problems go to `row.problems`."""
    values: dict = {}
    if unsur is None:  # the file-level read failed somewhere: check each cell to list all
        unsur = {}
        for code in UNSUR_CODES:
            try:
                unsur[code] = parse_cell(row.text(code), row.line, code)
            except CsvAnswerError as error:
                row.problems.append(str(error))
                unsur[code] = float("nan")
    answers = {code: None if value != value else int(value) for code, value in unsur.items()}
    if all(value is None for value in answers.values()) and not any(
            row.text(code) for code in UNSUR_CODES):
        row.problem(None, "tidak ada jawaban unsur U1-U9 sama sekali")
    values.update({code.lower(): value for code, value in answers.items()})
    try:
        officer = parse_cell(row.text("OFFICER"), row.line, "OFFICER")
        values["officer_rating"] = None if officer != officer else int(officer)
    except CsvAnswerError as error:
        row.problems.append(str(error))
    if row.text("unit") and row.text("unit") != unit.code:
        row.problem("unit", f'unit "{row.text("unit")}" berbeda dengan --unit {unit.code}')
    values["counter_id"] = _choice(row, "counter", directory.counters, "loket")
    values["service_id"] = _choice(row, "service", directory.services, "layanan")
    values["staff_id"] = _choice(row, "nip", directory.staff, "pegawai dengan NIP")
    waiting = row.text("waiting_band")
    values["waiting_band"] = None
    if waiting:
        if waiting.isdigit() and int(waiting) in WAITING_BANDS:
            values["waiting_band"] = int(waiting)
        else:
            row.problem("waiting_band", f'nilai "{waiting}" bukan 1-5')
    for column, allowed in PROFILE.items():
        text = row.text(column)
        match = next((a for a in allowed if a.lower() == text.lower()), None)
        if text and match is None:
            row.problem(column, f'nilai "{text}" tidak dikenal; pilihan: {", ".join(allowed)}')
        values[column] = match
    comment = _CONTROL.sub("", row.text("COMMENT"))
    if len(comment) > COMMENT_MAX_CHARS:
        row.problem("COMMENT", f"komentar lebih dari {COMMENT_MAX_CHARS} karakter")
    values["comment"] = comment or None
    values["submitted_at"] = None
    stamp = row.text("submitted_at")
    if stamp:
        try:
            moment = _parse_time(stamp, zone)
        except ValueError:
            row.problem("submitted_at", f'"{stamp}" bukan tanggal (2026-10-15 atau 15/10/2026) '
                        "atau waktu ISO 8601 (2026-10-15T09:30)")
        else:
            if not bounds[0] <= moment < bounds[1]:
                row.problem("submitted_at", f'"{stamp}" di luar periode ({unit.timezone})')
            elif moment > now:
                row.problem("submitted_at", f'"{stamp}" ada di masa depan')
            values["submitted_at"] = moment
    return values


def _spread(rows: list[dict], start: datetime, end: datetime) -> None:
    """Rows without a time are spread evenly over [start, end), in file order."""
    undated = [row for row in rows if row["submitted_at"] is None]
    step = (end - start) / max(len(undated), 1)
    for k, row in enumerate(undated):
        row["submitted_at"] = (start + step * k + step / 2).replace(microsecond=0)


def import_paper(
    session: Session,
    source: str | os.PathLike | BinaryIO | TextIO,
    unit_code: str,
    period_code: str,
    now: datetime | None = None,
) -> ImportResult:
    """Store every row of a digitised paper questionnaire as a `paper` response of the unit.

    A row without `submitted_at` is placed within the period (see `_spread`: evenly over the
    part of the period that has passed, in file order); a date alone means 12:00 unit time.
    Raises PaperImportError listing every problem; then nothing is stored. Flushes, never commits.
    """
    now = now or utcnow()
    unit = session.scalars(select(Unit).where(Unit.code == unit_code)).one_or_none()
    if unit is None:
        raise PaperImportError([f"unit {unit_code!r} tidak ditemukan"])
    try:
        period = Period.parse(period_code)
    except InvalidPeriod:
        raise PaperImportError([f"periode {period_code!r} tidak dikenal; contoh: 2026, 2026-S1, "
                                "2026-Q3, 2026-07"]) from None
    start, end = period.utc_bounds(unit.timezone)
    if start > now:
        raise PaperImportError([f"periode {period.code} belum dimulai"])
    try:
        text = read_text(source)
    except CsvAnswerError as error:
        raise PaperImportError([str(error)]) from None
    try:
        frame = read_answers_csv(io.StringIO(text))
    except CsvAnswerError as error:
        if error.line in (None, 1):
            raise PaperImportError([str(error)]) from None
        frame = None  # a bad cell: check every row below to list them all
    header, records = _records(text)
    columns, problems = _header(header)
    if problems:
        raise PaperImportError(problems)
    directory = _Directory(session, unit)
    by_line = {} if frame is None else dict(zip(frame.index.tolist(), frame.to_numpy().tolist()))
    zone = ZoneInfo(unit.timezone)
    rows: list[dict] = []
    for line, record in records:
        if len(record) > len(header) and any(cell.strip() for cell in record[len(header):]):
            problems.append(f"{_where(line)}: baris ini punya {len(record)} kolom, header hanya "
                            f"{len(header)}")
            continue
        missing = [name for i, name in columns.items() if i >= len(record) and name in UNSUR_CODES]
        if missing:
            problems.append(f"{_where(line, missing[0])}: sel tidak ada (baris ini hanya punya "
                            f"{len(record)} kolom, header punya {len(header)})")
            continue
        row = _Row(line, {name: record[i] for i, name in columns.items() if i < len(record)},
                   problems)
        unsur = None if frame is None else dict(zip(UNSUR_CODES, by_line[line]))
        rows.append(_row_values(row, unit, directory, unsur, zone, (start, end), now))
    if problems:
        raise PaperImportError(problems)
    _spread(rows, start, min(end, now))
    _insert(session, unit, rows)
    rollup.rebuild(session, since=period.start)  # bulk inserts bypass the per-response upkeep
    times = [row["submitted_at"] for row in rows]
    return ImportResult(len(rows), unit.code, period.code, min(times), max(times))


def _insert(session: Session, unit: Unit, rows: list[dict]) -> None:
    """Bulk INSERTs of the responses, then their comments found back by receipt."""
    instrument = default_instrument(session)
    comments: dict[str, str] = {}
    for row in rows:
        row.update(receipt=new_receipt(), instrument_id=instrument.id, channel="paper",
                   unit_id=unit.id, touchpoint_id=None)
        comment = row.pop("comment")
        if comment:
            comments[row["receipt"]] = comment
    # render_nulls: every row has the same columns, so they go in a few multi-row INSERTs.
    session.execute(insert(Response).execution_options(render_nulls=True), rows)
    if comments:
        item_id = next(item.id for item in instrument.items if item.code == "COMMENT")
        receipts = list(comments)
        answers = []
        for first in range(0, len(receipts), 500):
            for response_id, receipt in session.execute(
                select(Response.id, Response.receipt)
                .where(Response.receipt.in_(receipts[first:first + 500]))
            ):
                answers.append({"response_id": response_id, "item_id": item_id,
                                "value_text": comments[receipt]})
        session.execute(insert(Answer), answers)
    session.flush()
