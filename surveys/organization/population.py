"""Population figures (the number of service users of a unit in a period), typed or imported
from a CSV file; they set the Krejcie–Morgan sample target. Functions flush, never commit."""
from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys import audit
from surveys.errors import InvalidPeriod, SurveyError
from surveys.models import Population, Unit, User
from surveys.periods import Period

MAX_SIZE = 100_000_000  # more service users than Indonesia has people is a typing error
MAX_ROWS = 500
HEADERS = {"periode": "period", "period": "period", "jumlah": "size", "size": "size"}
FIELDS = ("unit_id", "period", "size")


class PopulationImportError(SurveyError):
    """A file refused as a whole; `problems` lists every bad row and column (Indonesian)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def unit_population(session: Session, unit: Unit) -> list[Population]:
    return list(session.scalars(select(Population).where(Population.unit_id == unit.id)
                                .order_by(Population.period.desc())))


def size_problem(size: object) -> str | None:
    """Why `size` is not a population figure (Indonesian), or None."""
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= MAX_SIZE:
        return f"harus bilangan bulat 1 sampai {MAX_SIZE:,}".replace(",", ".")
    return None


def set_population(session: Session, actor: User | None, unit: Unit, period: str,
                   size: int) -> Population:
    """Stores the figure of `unit` for `period` (a new one, or a correction of the old one).

    Raises InvalidPeriod for a bad period code and ValueError for a bad size.
    """
    code = Period.parse(period).code
    if size_problem(size):
        raise ValueError(f"population size {size!r}")
    row = session.scalars(select(Population).where(Population.unit_id == unit.id,
                                                   Population.period == code)).one_or_none()
    if row is not None and row.size == size:
        return row
    before = audit.values(row, *FIELDS) if row is not None else None
    if row is None:
        row = Population(unit_id=unit.id, period=code, size=size)
        session.add(row)
    row.size = size
    session.flush()
    audit.record(session, actor=actor, action="update" if before else "create",
                 entity="population", entity_id=row.id, unit_id=unit.id, before=before,
                 after=audit.values(row, *FIELDS))
    return row


def _rows(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PopulationImportError(["Berkas bukan teks CSV (UTF-8)."]) from None
    sample = text[:2000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [cell.strip().casefold() for cell in next(reader, [])]
        names = [HEADERS.get(cell) for cell in header]
        if "period" not in names or "size" not in names:
            raise PopulationImportError(["Baris 1: kolom 'periode' dan 'jumlah' wajib ada."])
        rows = []
        for cells in reader:
            if reader.line_num > MAX_ROWS + 1:
                raise PopulationImportError([f"Berkas lebih dari {MAX_ROWS} baris data."])
            if any(cell.strip() for cell in cells):
                rows.append({"line": str(reader.line_num), **{
                    name: cell.strip() for name, cell in zip(names, cells) if name}})
        return rows
    except csv.Error as error:
        raise PopulationImportError([f"Baris {reader.line_num}: CSV rusak ({error})."]) from None


def import_population(session: Session, actor: User | None, unit: Unit, data: bytes) -> int:
    """Stores every row of a CSV file (columns periode;jumlah, or period,size), all or nothing:
    PopulationImportError lists every bad row and column. Returns the rows read."""
    rows = _rows(data)
    if not rows:
        raise PopulationImportError(["Berkas tidak berisi baris data."])
    problems, figures, seen = [], [], {}
    for row in rows:
        line = row["line"]
        try:
            period = Period.parse(row.get("period", "")).code
        except InvalidPeriod:
            problems.append(f"Baris {line}, kolom periode: '{row.get('period', '')[:20]}' bukan "
                            "periode (contoh: 2026, 2026-S1, 2026-Q3, 2026-07).")
            period = None
        text = row.get("size", "").replace(".", "").replace(" ", "")
        size = int(text) if text.isascii() and text.isdigit() else None
        problem = size_problem(size)
        if problem:
            problems.append(f"Baris {line}, kolom jumlah: {problem}.")
        if period in seen:
            problems.append(f"Baris {line}, kolom periode: {period} sudah ada di baris "
                            f"{seen[period]}.")
        elif period:
            seen[period] = line
        if period and not problem:
            figures.append((period, size))
    if problems:
        raise PopulationImportError(problems)
    for period, size in figures:
        set_population(session, actor, unit, period, size)
    return len(figures)
