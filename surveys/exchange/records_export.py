"""A unit's evaluation records for a period as CSV and XLSX files: one row per record version
(the shared and final ones, as the API lists them), with the frozen evidence's figures and digest.

Who gets which rows: officers' evaluation data is personal (DESIGN §6: the officer, their
evaluator and admins), and managing a unit does not change that. An admin gets every officer of
the unit tree; anyone else only the officers they may see (those they are pejabat penilai of, and
themselves), which is what a head of unit holding the evaluator grants of their staff needs. A
manager who may see none of the unit's officers is refused (NotAllowed), not given an empty file.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.errors import NotAllowed
from surveys.evaluations.exports import supersedes_versions, unit_records
from surveys.exchange.export import spreadsheet_safe
from surveys.models import Staff, Unit, User
from surveys.models.evaluation import EvaluationRecord
from surveys.organization.grants import is_admin, may_see_officer
from surveys.periods import Period
from surveys.reporting.service import unit_and_descendant_ids

COLUMNS = (
    "nip", "name", "unit", "period", "version", "supersedes_version", "status",
    "hasil_rating", "perilaku_rating", "predikat", "evidence_n", "evidence_raw",
    "evidence_shrunk", "evidence_ci_low", "evidence_ci_high", "evidence_reliability",
    "evidence_reliable_for_evaluation", "evidence_sha256", "shared_at", "finalized_at",
    "keberatan",
)
TEXT_COLUMNS = {"nip", "name", "unit", "period", "status", "hasil_rating", "perilaku_rating",
                "predikat", "evidence_sha256", "keberatan"}
SHEET_TITLE = "Penilaian"


def visible_staff_ids(session: Session, user: User, unit: Unit) -> set[int] | None:
    """The officers of the unit tree whose records `user` may export: None (all) for an admin.
    Raises NotAllowed when that is nobody."""
    if is_admin(user):
        return None
    staff_ids = set(session.scalars(select(Staff.id).where(
        Staff.unit_id.in_(unit_and_descendant_ids(session, unit)))))
    visible = {staff_id for staff_id in staff_ids if may_see_officer(user, staff_id)}
    if not visible:
        raise NotAllowed(unit.code)
    return visible


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds").replace("+00:00", "Z")


def _keberatan(record: EvaluationRecord) -> str | None:
    """The latest keberatan's state: its decision, or "menunggu" while undecided."""
    if not record.keberatan:
        return None
    return record.keberatan[-1].decision or "menunggu"


def record_row(record: EvaluationRecord, supersedes_version: int | None) -> dict:
    """One record version as a row: typed values (numbers stay numbers; None is blank)."""
    score = (record.evidence or {}).get("officer_score") or {}
    interval = score.get("ci95") or [None, None]
    return {
        "nip": record.staff.nip, "name": record.staff.name, "unit": record.staff.unit.code,
        "period": record.period, "version": record.version,
        "supersedes_version": supersedes_version, "status": record.status,
        "hasil_rating": record.hasil_rating, "perilaku_rating": record.perilaku_rating,
        "predikat": record.predikat, "evidence_n": score.get("n"),
        "evidence_raw": score.get("raw"), "evidence_shrunk": score.get("shrunk"),
        "evidence_ci_low": interval[0], "evidence_ci_high": interval[1],
        "evidence_reliability": score.get("reliability"),
        "evidence_reliable_for_evaluation": score.get("reliable_for_evaluation"),
        "evidence_sha256": record.evidence_sha256, "shared_at": _time(record.shared_at),
        "finalized_at": _time(record.finalized_at), "keberatan": _keberatan(record),
    }


def record_rows(session: Session, user: User, unit: Unit, period: Period) -> list[dict]:
    """The rows `user` may export for the unit tree and period; NotAllowed as above."""
    records = unit_records(session, unit, period, visible_staff_ids(session, user, unit))
    versions = supersedes_versions(session, records)
    return [record_row(record, versions.get(record.id)) for record in records]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return spreadsheet_safe(value) if isinstance(value, str) else str(value)


def records_csv(rows: list[dict]) -> bytes:
    """UTF-8 with a byte-order mark, so a spreadsheet opened by double-click reads the names
    right (the imports here read either); no cell can run as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell_text(row[column]) for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def records_xlsx(rows: list[dict], title: str) -> bytes:
    """One sheet; numbers as numbers; text always a text cell (quote-prefixed, as a typed
    apostrophe makes it), so a name starting with "=" is shown, never run as a formula."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    book.properties.title = title
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row[column] for column in COLUMNS])
        for cell, column in zip(sheet[sheet.max_row], COLUMNS):
            if column in TEXT_COLUMNS and cell.value is not None:
                cell.data_type = TYPE_STRING
                cell.quotePrefix = True
    sheet.freeze_panes = "C2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_records(session: Session, user: User, unit: Unit, period: Period,
                   fmt: str) -> bytes:
    """The file (`fmt` "csv" or "xlsx") of the records `user` may export; NotAllowed as above."""
    rows = record_rows(session, user, unit, period)
    if fmt == "csv":
        return records_csv(rows)
    return records_xlsx(rows, f"Penilaian {unit.name} {period.code}")
