"""A unit's evaluation records as XLSX and CSV, parsed back: one row per shared or final record
version, numbers equal to the stored records' evidence, no cell a spreadsheet would run as a
formula, and only the officers the downloader may see (an admin all; a head of unit who is also
the evaluator of one officer only that officer)."""
from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from surveys.exchange.export import from_spreadsheet_safe
from surveys.exchange.records_export import COLUMNS
from surveys.models import RoleGrant, Staff
from surveys.models.evaluation import EvaluationRecord
from tests.access.cast import client_as
from tests.api.records import make_record
from tests.api.test_evaluations_api import user, world  # noqa: F401 (fixture)
from tests.evaluations.data import CURRENT
from tests.factories import PASSWORD, add_user, hidden_fields

FORMULA_NAME = "=HYPERLINK(\"http://contoh.invalid\",\"klik\")"


@pytest.fixture
def records(db, world):
    """The world's records plus one of an officer whose name is a formula."""
    hostile = Staff(nip="199505052020121008", name=FORMULA_NAME, position="Staf",
                    unit=world.unit.unit)
    db.session.add(hostile)
    make_record(db.session, hostile, CURRENT, user(db, "evaluator"))
    db.session.commit()
    return world


def stored(db, **where) -> dict[tuple[str, int], EvaluationRecord]:
    query = (select(EvaluationRecord).join(Staff)
             .where(EvaluationRecord.period == CURRENT,
                    EvaluationRecord.status.in_(["shared", "final"]),
                    Staff.unit_id.in_(where.get("units", []))))
    return {(r.staff.nip, r.version): r for r in db.session.scalars(query)}


def download(client, fmt: str, code: str = "dukcapil"):
    answer = client.get(f"/admin/unit/{code}/penilaian.{fmt}?periode={CURRENT}")
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["Content-Disposition"] == (
        f'attachment; filename="penilaian-{code}-{CURRENT}.{fmt}"')
    assert answer.headers["Cache-Control"] == "private, no-store"
    return answer


def xlsx_rows(data: bytes) -> tuple[list[dict], object]:
    sheet = load_workbook(io.BytesIO(data)).active
    header, *rows = list(sheet.iter_rows())
    assert tuple(cell.value for cell in header) == COLUMNS
    return [{c: cell for c, cell in zip(COLUMNS, row)} for row in rows], sheet


def csv_rows(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as Excel wants it
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def assert_row_is_the_record(row: dict, record: EvaluationRecord, number) -> None:
    """`row` (column → value, read back) against the stored record; `number` parses a cell."""
    score = record.evidence["officer_score"]
    interval = score["ci95"] or [None, None]  # an officer without responses: blank cells
    assert number(row["version"]) == record.version
    assert row["status"] == record.status and row["predikat"] == record.predikat
    assert (row["hasil_rating"], row["perilaku_rating"]) == (record.hasil_rating,
                                                             record.perilaku_rating)
    assert number(row["evidence_n"]) == score["n"]
    for column, value in (("evidence_raw", score["raw"]), ("evidence_shrunk", score["shrunk"]),
                          ("evidence_ci_low", interval[0]), ("evidence_ci_high", interval[1]),
                          ("evidence_reliability", score["reliability"])):
        assert number(row[column]) == value, column
    assert row["evidence_sha256"] == record.evidence_sha256


def test_the_admins_xlsx_has_every_listed_version_with_the_stored_figures(app, db, records):
    answer = download(client_as(app, "admin"), "xlsx")
    assert answer.mimetype.endswith("spreadsheetml.sheet")
    rows, _sheet = xlsx_rows(answer.data)
    expected = stored(db, units=[records.unit.unit.id, records.sub.id])
    got = {(row["nip"].value, row["version"].value): row for row in rows}
    assert set(got) == set(expected)  # the colleague's draft and the other unit are not there
    assert (records.evaluated.nip, 2) in got and len(rows) == 5
    for key, record in expected.items():
        row = {column: cell.value for column, cell in got[key].items()}
        assert_row_is_the_record(row, record, lambda value: value)
        assert isinstance(row["evidence_n"], int)  # numbers are numbers in the sheet
    assert isinstance(got[(records.evaluated.nip, 1)]["evidence_raw"].value, float)
    v1, v2 = got[(records.evaluated.nip, 1)], got[(records.evaluated.nip, 2)]
    assert (v1["supersedes_version"].value, v2["supersedes_version"].value) == (None, 1)
    assert (v1["keberatan"].value, v2["keberatan"].value) == ("dikabulkan", None)
    assert v2["finalized_at"].value == "2026-10-07T03:00:00Z"


def test_a_name_that_is_a_formula_stays_text_in_both_files(app, db, records):
    client = client_as(app, "admin")
    xlsx = download(client, "xlsx").data
    rows, _sheet = xlsx_rows(xlsx)
    cell = next(row["name"] for row in rows if row["nip"].value == "199505052020121008")
    assert (cell.value, cell.data_type, cell.quotePrefix) == (FORMULA_NAME, "s", True)
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    listed = csv_rows(download(client, "csv").data)
    name = next(row["name"] for row in listed if row["nip"] == "199505052020121008")
    assert name == "'" + FORMULA_NAME and from_spreadsheet_safe(name) == FORMULA_NAME


def test_the_csv_has_the_same_rows_and_figures(app, db, records):
    listed = csv_rows(download(client_as(app, "admin"), "csv").data)
    expected = stored(db, units=[records.unit.unit.id, records.sub.id])
    assert {(row["nip"], int(row["version"])) for row in listed} == set(expected)
    for row in listed:
        assert_row_is_the_record(row, expected[(row["nip"], int(row["version"]))],
                                 lambda text: None if text == "" else
                                 float(text) if "." in text else int(text))
        assert row["evidence_reliable_for_evaluation"] in ("true", "false")
    own = next(row for row in listed if row["nip"] == records.own.nip)
    assert (own["status"], own["finalized_at"], own["keberatan"]) == ("shared", "", "")


def test_a_head_of_unit_gets_only_the_officers_they_evaluate(app, db, records):
    head = add_user(db, "kepala", "unit_manager", records.unit.unit.id)
    head.grants.append(RoleGrant(role="evaluator", staff_id=records.evaluated.id))
    db.session.commit()
    client = app.test_client()
    fields = hidden_fields(client.get("/auth/masuk").text)
    assert client.post("/auth/masuk", data={**fields, "username": "kepala",
                                            "password": PASSWORD}).status_code == 303
    rows, _sheet = xlsx_rows(download(client, "xlsx").data)
    assert [(row["nip"].value, row["version"].value) for row in rows] == [
        (records.evaluated.nip, 1), (records.evaluated.nip, 2)]
    page = client.get(f"/admin/unit/dukcapil?periode={CURRENT}")
    assert f"penilaian.xlsx?periode={CURRENT}" in page.text


def test_a_plain_manager_is_refused_with_a_reason_and_sees_no_link(app, db, records):
    client = client_as(app, "manager")
    answer = client.get(f"/admin/unit/dukcapil/penilaian.xlsx?periode={CURRENT}")
    assert answer.status_code == 403
    assert "pejabat penilai" in answer.text
    assert "penilaian.xlsx" not in client.get("/admin/unit/dukcapil").text
    assert "penilaian.xlsx" in client_as(app, "admin").get("/admin/unit/dukcapil").text


def test_a_period_without_records_is_a_file_with_only_the_header(app, db, records):
    answer = client_as(app, "admin").get("/admin/unit/dukcapil/penilaian.xlsx?periode=2025-Q1")
    rows, _sheet = xlsx_rows(answer.data)
    assert rows == []
    assert csv_rows(client_as(app, "admin").get(
        "/admin/unit/dukcapil/penilaian.csv?periode=2025-Q1").data) == []
