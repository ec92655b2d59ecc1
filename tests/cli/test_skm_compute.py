"""`flask skm compute`: the index of a CSV of responses, as a clerk or an integrator runs it."""
from __future__ import annotations

import json

import pytest

from surveys.exchange.csv_answers import CsvAnswerError, read_answers_csv
from tests.analysis.worked_example import PUBLISHED_IKM, worked_example_csv

HEADER = "U1,U2,U3,U4,U5,U6,U7,U8,U9"


def write(tmp_path, text: str, name: str = "jawaban.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def compute(runner, path, *options: str):
    return runner.invoke(args=["skm", "compute", str(path), *options])


def compute_json(runner, path, *options: str) -> dict:
    result = compute(runner, path, "--json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def assert_refused(result, *fragments: str) -> str:
    """Non-zero exit, one line on stderr naming the problem, no traceback."""
    assert result.exit_code != 0
    message = result.stderr.strip()
    assert "\n" not in message, message
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in message
    return message


# --- the worked example --------------------------------------------------------------------

@pytest.mark.parametrize("weight", ["exact", "0.111", "0.11"])
def test_worked_example_through_the_cli(runner, tmp_path, weight):
    path = write(tmp_path, worked_example_csv())
    options = [] if weight == "exact" else ["--weight", weight]

    report = compute_json(runner, path, *options)

    assert report["ikm"] == PUBLISHED_IKM[weight]
    assert (report["n"], report["mutu"], report["kinerja"]) == (29, "A", "Sangat Baik")
    assert report["weight"] == weight
    assert [u["code"] for u in report["unsur"]] == [f"U{j}" for j in range(1, 10)]
    low, high = report["ci95"]
    assert low < report["ikm_exact"] < high
    assert "sample" not in report


def test_json_is_exactly_one_object(runner, tmp_path):
    result = compute(runner, write(tmp_path, worked_example_csv()), "--json")
    assert result.stdout.count("\n") == 1
    assert set(json.loads(result.stdout)) == {
        "n", "ikm", "ikm_exact", "ci95", "mutu", "kinerja", "unsur", "weight", "method"}


@pytest.mark.parametrize(("population", "target"), [(1000, 278), (10000, 370)])
def test_population_gives_the_sample_target(runner, tmp_path, population, target):
    report = compute_json(runner, write(tmp_path, worked_example_csv()),
                          "--population", str(population))
    assert report["sample"]["population"] == population
    assert report["sample"]["target"] == target
    assert report["sample"]["adequate"] is False  # 29 respondents
    assert 0.05 < report["sample"]["margin_of_error"] < 0.2


def test_readable_summary_in_bahasa_indonesia(runner, tmp_path):
    result = compute(runner, write(tmp_path, worked_example_csv()), "--population", "1000")

    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Indeks Kepuasan Masyarakat (IKM): 91,48" in text
    assert "Mutu pelayanan: A (kinerja Sangat Baik)" in text
    assert "Selang kepercayaan 95%" in text
    assert "Jumlah responden: 29" in text
    assert "U9" in text and "3,966" in text  # NRR of U9 = 115/29
    assert "Target sampel (Krejcie & Morgan): 278" in text
    assert "belum memadai" in text


# --- what offices export -------------------------------------------------------------------

def test_excel_semicolons_bom_any_case_and_order(runner, tmp_path):
    comma = compute_json(runner, write(tmp_path, worked_example_csv(), "a.csv"))
    lines = worked_example_csv(";").splitlines()
    header = lines[0].split(";")
    order = [9, 8, 0, 1, 2, 3, 4, 5, 6, 7]  # comment first, U9 before U1
    shuffled = [";".join(row.split(";")[i] for i in order) for row in lines]
    shuffled[0] = ";".join(header[i].lower() if header[i] in ("U1", "U5") else header[i]
                           for i in order)
    excel = write(tmp_path, "\n".join(shuffled).replace("\n", "\r\n") + "\r\n",
                  "excel.csv", encoding="utf-8-sig")
    assert excel.read_bytes().startswith(b"\xef\xbb\xbf")

    assert compute_json(runner, excel) == comma


def test_blank_cells_are_not_answered(runner, tmp_path):
    text = f"{HEADER},saran\n4,4,4,4,4,4,4,4,4,\n2,,4,4,4,4,4,4,4,\"lama, tapi ramah\"\n"
    report = compute_json(runner, write(tmp_path, text))
    u2 = report["unsur"][1]
    assert (u2["n"], u2["nrr"]) == (1, 4.0)
    assert report["unsur"][0]["nrr"] == 3.0


def test_reader_keeps_file_line_numbers(tmp_path):
    frame = read_answers_csv(write(tmp_path, f"{HEADER}\n\n3,3,3,3,3,3,3,3,3\n"))
    assert list(frame.index) == [3]
    assert list(frame.columns) == [f"U{j}" for j in range(1, 10)]


# --- refusals ------------------------------------------------------------------------------

@pytest.mark.parametrize(("cell", "problem"), [
    ("5", 'nilai "5" di luar rentang 1–4'),
    ("0", 'nilai "0" di luar rentang 1–4'),
    ("abc", 'nilai "abc" bukan bilangan bulat 1–4'),
    ("3.5", 'nilai "3.5" bukan bilangan bulat 1–4'),
    ('"2,0"', 'nilai "2,0" bukan bilangan bulat 1–4'),
])
def test_bad_values_name_row_and_column(runner, tmp_path, cell, problem):
    text = f"{HEADER}\n4,4,4,4,4,4,4,4,4\n\n3,3,3,3,3,3,3,3,3\n3,3,{cell},3,3,3,3,3,3\n"
    message = assert_refused(compute(runner, write(tmp_path, text), "--json"),
                             f"baris 5, kolom U3: {problem}")
    assert message.startswith("Error: ")


def test_semicolon_file_with_a_decimal_comma_is_refused(runner, tmp_path):
    text = "U1;U2;U3;U4;U5;U6;U7;U8;U9\n4;4;4;4;4;4;4;2,0;4\n"
    assert_refused(compute(runner, write(tmp_path, text)),
                   'baris 2, kolom U8: nilai "2,0" bukan bilangan bulat 1–4')


def test_missing_column_is_named(runner, tmp_path):
    text = "U1,U2,U3,U4,U5,U6,U8,U9\n4,4,4,4,4,4,4,4\n"
    assert_refused(compute(runner, write(tmp_path, text)), "kolom U7 tidak ada")


@pytest.mark.parametrize(("text", "problem"), [
    ("", "berkas kosong"),
    ("\ufeff\n", "berkas kosong"),
    (HEADER + "\n", "tidak ada baris jawaban"),
])
def test_empty_files_are_refused(runner, tmp_path, text, problem):
    assert_refused(compute(runner, write(tmp_path, text)), problem)


def test_short_row_names_row_and_column(runner, tmp_path):
    text = f"{HEADER}\n4,4,4,4,4,4,4,4,4\n4,4,4,4,4,4\n"
    assert_refused(compute(runner, write(tmp_path, text)), "baris 3, kolom U7")


def test_an_unsur_nobody_answered_is_named(runner, tmp_path):
    text = f"{HEADER}\n4,4,,4,4,4,4,4,4\n3,3,,3,3,3,3,3,3\n"
    assert_refused(compute(runner, write(tmp_path, text)), "kolom U3", "tidak ada responden")


def test_not_utf8_is_refused_with_its_line(runner, tmp_path):
    text = f"{HEADER},saran\n4,4,4,4,4,4,4,4,4,ok\n3,3,3,3,3,3,3,3,3,café\n"
    assert_refused(compute(runner, write(tmp_path, text, encoding="latin-1")),
                   "baris 3", "UTF-8")


def test_missing_file_is_refused(runner, tmp_path):
    assert_refused(compute(runner, tmp_path / "tidak-ada.csv"), "tidak ditemukan")


@pytest.mark.parametrize("population", ["0", "-3"])
def test_population_must_be_positive(runner, tmp_path, population):
    assert_refused(compute(runner, write(tmp_path, worked_example_csv()),
                           "--population", population), "--population")


def test_population_below_the_sample_is_refused(runner, tmp_path):
    assert_refused(compute(runner, write(tmp_path, worked_example_csv()), "--population", "20"),
                   "--population 20 lebih kecil dari jumlah responden (29)")


def test_reader_error_is_a_value_error_with_its_place(tmp_path):
    with pytest.raises(ValueError) as caught:
        read_answers_csv(write(tmp_path, f"{HEADER}\n4,4,4,4,4,4,4,4,x\n"))
    assert isinstance(caught.value, CsvAnswerError)
    assert (caught.value.line, caught.value.column) == (2, "U9")
