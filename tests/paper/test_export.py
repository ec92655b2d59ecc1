"""`flask responses export`: one CSV row per response, a header, filters by unit and date."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from surveys.responses.instruments import default_instrument
from surveys.models import Answer, Response, ResponseFlag
from tests.factories import make_unit

HEADER = ["id", "submitted_at", "unit", "service", "counter", "nip", "channel", "flags",
          "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9", "OFFICER", "waiting_band",
          "age_band", "gender", "education", "occupation", "COMMENT"]


def export(runner, *args: str) -> list[dict[str, str]]:
    result = runner.invoke(args=["responses", "export", *args])
    assert result.exit_code == 0, result.output
    reader = csv.reader(io.StringIO(result.stdout))
    header = next(reader)
    assert header == HEADER
    return [dict(zip(header, row)) for row in reader]


def add_responses(db):
    unit = make_unit(db.session)
    instrument = default_instrument(db.session)
    comment_item = next(item for item in instrument.items if item.code == "COMMENT")
    first = Response(
        instrument=instrument, channel="counter_qr", unit=unit.unit, counter=unit.counter,
        service=unit.services[1], staff=unit.officers[0],
        submitted_at=datetime(2026, 9, 30, 16, 30, tzinfo=UTC),  # 2026-10-01 00:30 WITA
        u1=4, u2=3, u3=2, u4=None, u5=1, u6=4, u7=4, u8=3, u9=None, officer_rating=4,
        waiting_band=3, age_band="35-44", gender="L", education="sma", occupation="wirausaha")
    first.answers = [Answer(item=comment_item, value_text='Ramah, "cepat"\nterima kasih')]
    first.flags = [ResponseFlag(kind="excluded", reason="uji"),
                   ResponseFlag(kind="suspicious", reason="uji")]
    second = Response(
        instrument=instrument, channel="staff_qr", unit=unit.unit,
        submitted_at=datetime(2026, 9, 30, 15, 59, tzinfo=UTC),  # 2026-09-30 23:59 WITA
        **{f"u{j}": 2 for j in range(1, 10)})
    other = Response(
        instrument=instrument, channel="paper", unit=unit.other_unit_officer.unit,
        submitted_at=datetime(2026, 10, 2, tzinfo=UTC), **{f"u{j}": 1 for j in range(1, 10)})
    db.session.add_all([first, second, other])
    db.session.commit()
    return unit, first, second, other


def test_every_column_of_a_response_is_exported(db, runner):
    unit, first, second, other = add_responses(db)
    rows = export(runner)
    assert [row["id"] for row in rows] == [str(r.id) for r in (first, second, other)]
    row = rows[0]
    assert row == {
        "id": str(first.id), "submitted_at": "2026-09-30T16:30:00+00:00", "unit": "dukcapil",
        "service": "kk", "counter": "L1", "nip": "198503122010011001", "channel": "counter_qr",
        "flags": "suspicious;excluded",
        "U1": "4", "U2": "3", "U3": "2", "U4": "", "U5": "1", "U6": "4", "U7": "4", "U8": "3",
        "U9": "", "OFFICER": "4", "waiting_band": "3", "age_band": "35-44", "gender": "L",
        "education": "sma", "occupation": "wirausaha", "COMMENT": 'Ramah, "cepat"\nterima kasih',
    }
    assert rows[1]["flags"] == "" and rows[1]["service"] == "" and rows[1]["nip"] == ""
    assert datetime.fromisoformat(rows[1]["submitted_at"]) == second.submitted_at


def test_unit_and_since_filter_in_the_units_time_zone(db, runner):
    unit, first, second, other = add_responses(db)
    assert [row["id"] for row in export(runner, "--unit", "dukcapil")] == [str(first.id), str(second.id)]
    # --since is midnight in the unit's zone: 00:30 WITA on Oct 1 counts, 23:59 WITA Sep 30 does not.
    assert [row["id"] for row in export(runner, "--since", "2026-10-01")] == [str(first.id), str(other.id)]
    assert [row["id"] for row in export(runner, "--unit", "dukcapil", "--since", "2026-10-01")] == [
        str(first.id)]
    assert export(runner, "--since", "2026-10-03") == []


def test_unknown_unit_or_bad_date_is_refused(db, runner):
    add_responses(db)
    unknown = runner.invoke(args=["responses", "export", "--unit", "samsat"])
    assert unknown.exit_code != 0 and "unit 'samsat' tidak ditemukan" in unknown.output
    bad = runner.invoke(args=["responses", "export", "--since", "1/10/2026"])
    assert bad.exit_code != 0 and "--since" in bad.output


def test_export_reimports_into_the_same_rows(db, runner, tmp_path):
    unit, first, second, other = add_responses(db)
    result = runner.invoke(args=["responses", "export", "--unit", "dukcapil"])
    path = tmp_path / "ekspor.csv"
    path.write_text(result.stdout)
    imported = runner.invoke(args=["responses", "import", str(path), "--unit", "dukcapil",
                                   "--period", "2026-Q3"])
    # The first row lies in Q4 (WITA): refused and named by the line where its record ends
    # (its comment spans lines 2-3), as in `flask skm compute`; nothing saved.
    assert imported.exit_code != 0
    assert "baris 3, kolom submitted_at" in imported.output and "baris 4" not in imported.output
    imported = runner.invoke(args=["responses", "import", str(path), "--unit", "dukcapil",
                                   "--period", "2026"])
    assert imported.exit_code == 0, imported.output
    again = [row for row in export(runner, "--unit", "dukcapil") if row["channel"] == "paper"]
    before = [row for row in export(runner, "--unit", "dukcapil") if row["channel"] != "paper"]
    ignored = {"id", "channel", "flags"}
    assert [{k: v for k, v in row.items() if k not in ignored} for row in again] == [
        {k: v for k, v in row.items() if k not in ignored} for row in before]
