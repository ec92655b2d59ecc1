"""`flask responses import`: digitised paper questionnaires, all rows or none."""
from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from surveys.models import Answer, Response
from surveys.exchange.paper import PaperImportError, import_paper
from tests.factories import make_unit

NIP_MARIA = "198503122010011001"
NIP_OTHER_UNIT = "198807072012011003"


@pytest.fixture
def unit(db):
    return make_unit(db.session)


def write(tmp_path, text: str, name: str = "kertas.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def run_import(runner, path: str, period: str = "2026-Q3", unit: str = "dukcapil"):
    return runner.invoke(args=["responses", "import", path, "--unit", unit, "--period", period])


def count(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Response))


def test_good_rows_are_stored_as_paper_responses(db, runner, unit, tmp_path):
    # Excel (id-ID) style: semicolons, BOM, header in any case and order.
    csv_text = (
        "\ufeffu1;U2;U3;U4;U5;U6;U7;U8;U9;Officer;Counter;service;NIP;submitted_at;"
        "waiting_band;age_band;gender;education;occupation;COMMENT\n"
        f"4;3;3;;4;4;4;3;;4;L1;ktp;{NIP_MARIA};15/08/2026;2;25-34;P;s1;swasta;Antre lama; tapi ramah\n"
        "2;2;1;3;2;2;3;2;1;;;kk;;2026-09-30T23:30;;;;;;\n"
    )
    result = run_import(runner, write(tmp_path, csv_text.replace("Antre lama; tapi ramah", '"Antre lama; tapi ramah"')))
    assert result.exit_code == 0, result.output
    assert "2 respons kertas disimpan untuk unit dukcapil, periode 2026-Q3" in result.output
    db.session.expire_all()
    first, second = db.session.scalars(select(Response).order_by(Response.id)).all()
    assert first.channel == second.channel == "paper"
    assert first.touchpoint_id is None and first.unit_id == unit.unit.id
    assert first.unsur() == {"U1": 4, "U2": 3, "U3": 3, "U4": None, "U5": 4, "U6": 4, "U7": 4,
                             "U8": 3, "U9": None}
    assert first.officer_rating == 4
    assert first.counter_id == unit.counter.id and first.service_id == unit.services[0].id
    assert first.staff_id == unit.officers[0].id
    # A date alone is 12:00 in the unit's time zone (WITA = UTC+8).
    assert first.submitted_at == datetime(2026, 8, 15, 4, 0, tzinfo=UTC)
    assert (first.waiting_band, first.age_band, first.gender, first.education, first.occupation) == (
        2, "25-34", "P", "s1", "swasta")
    assert [a.value_text for a in first.answers] == ["Antre lama; tapi ramah"]
    assert second.service_id == unit.services[1].id and second.staff_id is None
    assert second.submitted_at == datetime(2026, 9, 30, 15, 30, tzinfo=UTC)  # 23:30 WITA
    assert first.receipt != second.receipt


def test_every_bad_row_is_listed_and_nothing_is_saved(db, runner, unit, tmp_path):
    header = "U1,U2,U3,U4,U5,U6,U7,U8,U9,OFFICER,counter,service,nip,submitted_at,waiting_band,gender,unit\n"
    good = "4,4,4,4,4,4,4,4,4,,L1,ktp,,2026-08-01,,,\n"
    rows = [
        good,
        "4,4,5,4,4,4,4,4,4,,,,,,,,\n",                      # line 3: U3 out of range
        "4,4,4,4,4,4,4,4,4,,L9,,,,,,\n",                    # line 4: unknown counter
        f"4,4,4,4,4,4,4,4,4,,,,{NIP_OTHER_UNIT},,,,\n",     # line 5: officer of another unit
        "4,4,4,4,4,4,4,4,4,,,,,2026-10-01,,,\n",            # line 6: after the period
        "4,4,4,4,4,4,4,4,4,7,,,,,9,X,\n",                   # line 7: OFFICER, waiting_band, gender
        "4,4,4,4,4,4,4,4,4,,,,,,,,samsat\n",                # line 8: another unit's file
        "4,x,4,4,4,4,4,4,4,,,,,kemarin,,,\n",               # line 9: U2 not a number, bad date
        ",,,,,,,,,,L1,,,,,,\n",                             # line 10: no answer at all
        good,
    ]
    result = run_import(runner, write(tmp_path, header + "".join(rows)))
    assert result.exit_code != 0
    out = result.output
    for expected in (
        'baris 3, kolom U3: nilai "5" di luar rentang 1–4',
        'baris 4, kolom counter: loket "L9" tidak terdaftar di unit ini',
        f'baris 5, kolom nip: pegawai dengan NIP "{NIP_OTHER_UNIT}" tidak terdaftar di unit ini',
        'baris 6, kolom submitted_at: "2026-10-01" di luar periode',
        'baris 7, kolom OFFICER: nilai "7" di luar rentang 1–4',
        'baris 7, kolom waiting_band: nilai "9" bukan 1-5',
        'baris 7, kolom gender: nilai "X" tidak dikenal',
        'baris 8, kolom unit: unit "samsat" berbeda dengan --unit dukcapil',
        'baris 9, kolom U2: nilai "x" bukan bilangan bulat 1–4',
        'baris 9, kolom submitted_at: "kemarin" bukan tanggal',
        "baris 10: tidak ada jawaban unsur U1-U9 sama sekali",
        "11 masalah; tidak ada respons yang disimpan",
    ):
        assert expected in out, expected
    assert "baris 2" not in out and "baris 11" not in out
    assert count(db) == 0


def test_period_boundaries_are_taken_in_the_units_time_zone(db, unit):
    later = datetime(2027, 2, 1, tzinfo=UTC)  # the period is over: only its bounds matter
    header = "U1,U2,U3,U4,U5,U6,U7,U8,U9,submitted_at\n"
    inside = ["2026-10-01T00:30", "2026-09-30T16:30:00+00:00", "2026-12-31T23:59:59"]
    outside = ["2026-09-30T23:59", "2026-09-30T15:59:59Z", "2027-01-01T00:00"]
    body = "".join(f"3,3,3,3,3,3,3,3,3,{stamp}\n" for stamp in inside + outside)
    with pytest.raises(PaperImportError) as refused:
        import_paper(db.session, io.StringIO(header + body), "dukcapil", "2026-Q4", now=later)
    assert [problem.split(":")[0] for problem in refused.value.problems] == [
        "baris 5, kolom submitted_at", "baris 6, kolom submitted_at", "baris 7, kolom submitted_at"]
    assert count(db) == 0
    body = "".join(f"3,3,3,3,3,3,3,3,3,{stamp}\n" for stamp in inside)
    ok = import_paper(db.session, io.StringIO(header + body), "dukcapil", "2026-Q4", now=later)
    assert ok.count == 3
    assert ok.first == datetime(2026, 9, 30, 16, 30, tzinfo=UTC)  # 2026-10-01 00:30 WITA
    assert ok.last == datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC)


def test_undated_rows_are_spread_evenly_over_the_elapsed_period(db, unit):
    now = datetime(2026, 8, 16, 16, 0, tzinfo=UTC)  # 2026-08-17 00:00 WITA
    text = "U1,U2,U3,U4,U5,U6,U7,U8,U9,COMMENT\n" + "".join(
        f"{v},{v},{v},{v},{v},{v},{v},{v},{v},baris {k}\n" for k, v in enumerate([1, 2, 3, 4]))
    result = import_paper(db.session, io.StringIO(text), "dukcapil", "2026-Q3", now=now)
    db.session.flush()
    start = datetime(2026, 6, 30, 16, 0, tzinfo=UTC)  # 2026-07-01 00:00 WITA
    step = (now - start) / 4
    rows = db.session.execute(
        select(Response.submitted_at, Response.u1, Answer.value_text)
        .join(Answer, Answer.response_id == Response.id).order_by(Response.submitted_at)).all()
    assert [row.value_text for row in rows] == ["baris 0", "baris 1", "baris 2", "baris 3"]
    for k, row in enumerate(rows):
        assert abs((row.submitted_at - (start + step * (k + 0.5))).total_seconds()) < 1
        assert row.u1 == k + 1
    assert start < result.first and result.last < now


def test_future_times_and_future_periods_are_refused(db, unit):
    now = datetime(2026, 8, 16, 4, 0, tzinfo=UTC)
    text = "U1,U2,U3,U4,U5,U6,U7,U8,U9,submitted_at\n4,4,4,4,4,4,4,4,4,2026-08-20\n"
    with pytest.raises(PaperImportError) as refused:
        import_paper(db.session, io.StringIO(text), "dukcapil", "2026-Q3", now=now)
    assert refused.value.problems == ['baris 2, kolom submitted_at: "2026-08-20" ada di masa depan']
    with pytest.raises(PaperImportError) as refused:
        import_paper(db.session, io.StringIO(text), "dukcapil", "2026-Q4", now=now)
    assert refused.value.problems == ["periode 2026-Q4 belum dimulai"]


@pytest.mark.parametrize(("content", "message"), [
    ("", "berkas kosong"),
    ("U1,U2,U3,U4,U6,U7,U8,U9\n4,4,4,4,4,4,4,4\n", "baris 1, kolom U5: kolom U5 tidak ada di header"),
    ("U1,U2,U3,U4,U5,U6,U7,U8,U9,servis\n4,4,4,4,4,4,4,4,4,ktp\n", 'kolom "servis" tidak dikenal'),
    ("U1,U2,U3,U4,U5,U6,U7,U8,U9\n", "tidak ada baris jawaban"),
    ("U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,4,4,4\n", "baris 2: baris ini punya 11 kolom"),
])
def test_malformed_files_get_a_clear_message(db, runner, unit, tmp_path, content, message):
    result = run_import(runner, write(tmp_path, content))
    assert result.exit_code != 0
    assert message in result.output
    assert count(db) == 0


def test_non_utf8_unknown_unit_and_bad_period_are_refused(db, runner, unit, tmp_path):
    latin = write(tmp_path, "U1,U2,U3,U4,U5,U6,U7,U8,U9,COMMENT\n4,4,4,4,4,4,4,4,4,caf\u00e9\n",
                  encoding="latin-1")
    assert "bukan teks UTF-8" in run_import(runner, latin).output
    good = write(tmp_path, "U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,4\n", "good.csv")
    assert "unit 'samsat' tidak ditemukan" in run_import(runner, good, unit="samsat").output
    assert "periode '2026-Q5' tidak dikenal" in run_import(runner, good, period="2026-Q5").output
    missing = run_import(runner, str(tmp_path / "tidak-ada.csv"))
    assert missing.exit_code != 0 and "tidak ditemukan" in missing.output
    assert count(db) == 0
