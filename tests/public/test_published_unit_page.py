"""The public unit page and its downloads show published, frozen snapshots only (issue 14, DESIGN
§6): nothing published (or only a draft) is "tidak ada data"; a published period shows exactly the
stored snapshot in HTML, CSV and JSON, and later responses change none of them; a correction shows
version 2 with its reason while version 1 stays readable and downloadable; "*" stays "*" in every
format; no officer's name or NIP appears; hostile input gets a 400 or 404 with a message."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from html import unescape

import pytest
from sqlalchemy import select

from surveys.publishing.open_data import CSV_COLUMNS, KAMUS_DATA
from surveys.frozen import canonical_sha256
from surveys.models import Staff
from surveys.periods import local_day
from tests.public import published
from tests.publishing.test_publication import office, respond  # noqa: F401 (office: a fixture)

PERIOD = "2026-Q3"



def page_of(client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, answer.text[:300]
    return unescape(answer.text)


def text_of(html: str) -> str:
    """The page's words without tags, whitespace folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def csv_rows(answer) -> list[dict]:
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(answer.data.decode("utf-8-sig"))))


def files(client, code: str, period: str = PERIOD, version: int | None = None):
    base = f"/unit/{code}/{period}" + ("" if version is None else f"/versi/{version}")
    return client.get(base + ".csv"), client.get(base + ".json")


def assert_no_data(client, code: str) -> None:
    for path in (f"/unit/{code}", f"/unit/{code}?periode={PERIOD}"):
        html = page_of(client, path)
        assert "Tidak ada data." in html
        assert 'id="ikm"' not in html and "Jumlah responden" not in html
        assert "Per layanan" not in html and "Unduh" not in html
    for answer in files(client, code):
        assert answer.status_code == 404 and "Tidak ada data" in answer.text
    for answer in files(client, code, version=1):
        assert answer.status_code == 404 and "Versi ini tidak ada" in answer.text
    missing = client.get(f"/unit/{code}/versi/1?periode={PERIOD}")
    assert missing.status_code == 404 and "Versi ini tidak ada" in missing.text


def test_without_a_publication_the_page_says_tidak_ada_data_and_shows_no_figure(client, db,
                                                                                office):
    assert_no_data(client, office.code)  # 51 responses in the roll-up, none of them public


def test_a_draft_alone_is_still_tidak_ada_data(client, db, office):
    draft = published.prepare(db, office.unit.unit, PERIOD)
    assert draft.status == "draft"
    assert_no_data(client, office.code)


def test_the_published_page_shows_the_stored_snapshot(client, db, office):
    row = published.publish(db, office.unit.unit, PERIOD)
    snapshot, index = row.snapshot, row.snapshot["index"]
    html = page_of(client, f"/unit/{office.code}")  # the default: the latest published period
    assert html == page_of(client, f"/unit/{office.code}?periode={PERIOD}")
    words = text_of(html)
    assert f'id="ikm">{index["ikm"]:.2f} · {index["grade"]} · {index["kinerja"]}<' in html
    assert re.fullmatch(r"[A-D] \((\d\d%|>99%)\)", index["grade"])
    assert (f"Interval kepercayaan 95%: {index['ci95'][0]:.2f} sampai "
            f"{index['ci95'][1]:.2f}.") in words
    assert f"Jumlah responden: {snapshot['respondents']}" in words
    assert "sampel minimal (Krejcie–Morgan) 196 dari 400 pengguna layanan" in words
    assert 'id="mutu-data"' in html and "di bawah sampel minimal Krejcie–Morgan (196)" in words
    assert 'id="hati-hati"' in html and "Gunakan dengan hati-hati" in words  # 51 < 100
    for unsur in index["unsur"]:
        assert f"{unsur['n']} {unsur['nrr']:.3f} {unsur['ci95'][0]:.2f}–{unsur['ci95'][1]:.2f}" \
            in words, unsur["code"]
    ktp = next(s for s in snapshot["services"] if s["code"] == "ktp")
    assert ktp["index"]["caution"]  # 30 respondents: the mark † says "use with care"
    assert (f"KTP-el {ktp['unit']} {ktp['n']} {ktp['index']['ikm']:.2f} † {ktp['index']['ci95'][0]:.2f}–"
            f"{ktp['index']['ci95'][1]:.2f} {ktp['index']['grade']}") in words
    day = local_day(row.published_at, office.unit.unit.timezone)
    assert f"Diterbitkan {day.isoformat()} · versi 1" in words
    assert "* disembunyikan: 1–4 responden" in words

    csv_answer, json_answer = files(client, office.code)
    assert json_answer.status_code == 200 and json_answer.mimetype == "application/json"
    document = json_answer.json
    assert document["snapshot"] == snapshot
    assert document["publikasi"] == {
        "versi": 1, "status": "published", "alasan_koreksi": None,
        "diterbitkan": row.published_at.isoformat(timespec="seconds"),
        "sha256": canonical_sha256(snapshot)}
    assert 'attachment; filename="ikm-dukcapil-2026-Q3-v1.json"' == \
        json_answer.headers["Content-Disposition"]
    rows = csv_rows(csv_answer)
    assert list(rows[0]) == list(CSV_COLUMNS)
    unit_row = rows[0]
    assert (unit_row["tingkat"], unit_row["responden"], unit_row["ikm"]) == (
        "unit", str(snapshot["respondents"]), str(index["ikm"]))
    assert (unit_row["ci95_bawah"], unit_row["ci95_atas"]) == tuple(map(str, index["ci95"]))
    assert (unit_row["mutu_kepastian"], unit_row["di_bawah_target"]) == (index["grade"], "ya")
    assert (unit_row["populasi"], unit_row["sampel_minimal"]) == ("400", "196")
    assert [(r["kode"], r["nrr"]) for r in rows if r["tingkat"] == "unsur"] == [
        (u["code"], str(u["nrr"])) for u in index["unsur"]]
    assert {r["kode"]: r["responden"] for r in rows if r["tingkat"] == "layanan"} == {
        s["code"]: str(s["n"]) for s in snapshot["services"]}
    assert all(r["versi"] == "1" and r["periode"] == PERIOD for r in rows)


def _leaf_keys(value, prefix: str = "") -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_leaf_keys(v, f"{prefix}.{k}" if prefix else k)
                             for k, v in value.items())) if value else {prefix}
    return {prefix}


def test_the_json_data_dictionary_names_every_field(client, db, office):
    published.publish(db, office.unit.unit, PERIOD)
    document = files(client, office.code)[1].json
    assert document["kamus_data"] == KAMUS_DATA
    top = {f"snapshot.{key}" for key in document["snapshot"]}
    top |= {f"publikasi.{key}" for key in document["publikasi"]}
    assert top <= set(KAMUS_DATA), top - set(KAMUS_DATA)
    index = document["snapshot"]["index"]
    assert {f"index.{key}" for key in index} <= set(KAMUS_DATA)


def test_responses_after_publishing_change_nothing_public(client, db, office):
    published.publish(db, office.unit.unit, PERIOD)
    paths = [f"/unit/{office.code}", f"/unit/{office.code}?periode={PERIOD}",
             f"/unit/{office.code}/versi/1?periode={PERIOD}",
             f"/unit/{office.code}/{PERIOD}.csv", f"/unit/{office.code}/{PERIOD}.json",
             f"/unit/{office.code}/{PERIOD}/versi/1.csv",
             f"/unit/{office.code}/{PERIOD}/versi/1.json"]
    before = {path: client.get(path).data for path in paths}
    respond(db, office.unit.unit, office.unit.services[0], 60, 1.3, 21)  # 60 poor answers
    respond(db, office.sub, None, 40, 1.1, 22,
            start=datetime(2026, 8, 3, 2, tzinfo=UTC))
    after = {path: client.get(path).data for path in paths}
    assert after == before
    assert "51" in text_of(before[paths[0]].decode())


def test_a_correction_shows_version_2_with_its_reason_and_version_1_stays(client, db, office):
    first = published.publish(db, office.unit.unit, PERIOD)
    first_snapshot = dict(first.snapshot)
    respond(db, office.unit.unit, office.unit.services[0], 40, 1.5, 11)  # late paper forms
    reason = "Formulir kertas loket 2 terlambat dientri."
    second = published.correct(db, first, reason)
    assert second.snapshot["respondents"] == 91

    current = text_of(page_of(client, f"/unit/{office.code}?periode={PERIOD}"))
    assert "versi 2" in current and "Jumlah responden: 91" in current
    day = local_day(second.published_at, office.unit.unit.timezone).isoformat()
    assert f"2 (berlaku) {day} {reason}" in current
    assert f"1 {local_day(first.published_at, office.unit.unit.timezone).isoformat()} –" in current
    html = page_of(client, f"/unit/{office.code}?periode={PERIOD}")
    assert f'href="/unit/{office.code}/versi/1?periode={PERIOD}"' in html

    old_html = page_of(client, f"/unit/{office.code}/versi/1?periode={PERIOD}")
    old = text_of(old_html)
    assert "Versi 1 sudah dikoreksi." in old and "Lihat versi yang berlaku (versi 2)" in old
    assert "Jumlah responden: 51" in old and "Jumlah responden: 91" not in old
    assert f'{first_snapshot["index"]["ikm"]:.2f} · {first_snapshot["index"]["grade"]}' in old
    assert f'href="/unit/{office.code}/{PERIOD}/versi/1.csv"' in old_html
    assert page_of(client, f"/unit/{office.code}/versi/2?periode={PERIOD}")  # also by number

    old_csv, old_json = files(client, office.code, version=1)
    assert old_json.json["snapshot"] == first_snapshot
    assert old_json.json["publikasi"]["status"] == "superseded"
    assert csv_rows(old_csv)[0]["responden"] == "51"
    new_csv, new_json = files(client, office.code)
    assert new_json.json["snapshot"] == second.snapshot
    assert new_json.json["publikasi"]["alasan_koreksi"] == reason
    assert csv_rows(new_csv)[0]["responden"] == "91"
    assert files(client, office.code, version=2)[1].json == new_json.json


def test_suppressed_cells_stay_suppressed_in_html_csv_and_json(client, db, office):
    row = published.publish(db, office.unit.unit, PERIOD)
    services = {s["code"]: s for s in row.snapshot["services"]}
    # 3 by count, and 12 (the next smallest of the unit's own services) so that the unit's own
    # part (its total less the sub-unit's) cannot give it away.
    assert services["akta"]["n"] == services["kk"]["n"] == "*"
    words = text_of(page_of(client, f"/unit/{office.code}"))
    for code in ("akta", "kk"):
        assert f"{services[code]['name']} {services[code]['unit']} * *" in words
    assert f"Surat Pindah {services['pindah']['unit']} 0 –" in words
    assert "* disembunyikan: 1–4 responden, atau baris terkecil berikutnya" in words
    csv_answer, json_answer = files(client, office.code)
    by_code = {r["kode"]: r for r in csv_rows(csv_answer) if r["tingkat"] == "layanan"}
    for code in ("akta", "kk"):
        assert by_code[code]["responden"] == "*"
        assert all(by_code[code][column] == "" for column in ("ikm", "ci95_bawah", "mutu"))
    hidden = {s["code"]: s for s in json_answer.json["snapshot"]["services"]}
    assert hidden["akta"] == {**services["akta"], "n": "*", "index": None}
    assert hidden["kk"]["n"] == "*"


def test_no_officer_name_or_nip_in_the_page_or_the_files(client, db, office):
    first = published.publish(db, office.unit.unit, PERIOD)
    published.correct(db, first, "Koreksi data loket.")
    answers = [client.get(path) for path in (
        f"/unit/{office.code}", f"/unit/{office.code}/versi/1?periode={PERIOD}",
        f"/unit/{office.code}/{PERIOD}.csv", f"/unit/{office.code}/{PERIOD}.json",
        f"/unit/{office.code}/{PERIOD}/versi/1.csv", f"/unit/{office.code}/{PERIOD}/versi/1.json",
        f"/unit/{office.code}?lang=en")]
    assert all(answer.status_code == 200 for answer in answers)
    bodies = [answer.data.decode("utf-8-sig") for answer in answers]
    bodies += [json.dumps(answers[3].json, ensure_ascii=True)]  # escaped names too
    officers = db.session.scalars(select(Staff)).all()
    assert len(officers) >= 3
    for officer in officers:
        for body in bodies:
            assert officer.nip not in body and officer.name not in body, officer.name
    assert all("Admin Publikasi" not in body and "admin.publikasi" not in body
               for body in bodies)  # nor who prepared or published it


def test_the_default_period_is_the_latest_published_period(client, db, office):
    respond(db, office.unit.unit, office.unit.services[0], 12, 3.6, 31,
            start=datetime(2026, 4, 6, 2, tzinfo=UTC))
    published.publish(db, office.unit.unit, PERIOD)
    published.publish(db, office.unit.unit, "2026-Q2", after_days=120)  # published later
    words = text_of(page_of(client, f"/unit/{office.code}"))
    assert "Periode 2026-Q3" in words and "Jumlah responden: 51" in words
    assert "Periode yang diterbitkan: 2026-Q3 , 2026-Q2" in words
    q2 = text_of(page_of(client, f"/unit/{office.code}?periode=2026-Q2"))
    assert "Jumlah responden: 12" in q2
    assert "Tidak ada data." in page_of(client, f"/unit/{office.code}?periode=2026-Q4")


HOSTILE = [
    ("/unit/{code}?periode=2026-Q9", 400, "Periode tidak dikenal"),
    ("/unit/{code}?periode=9999-Q4", 400, "Periode tidak dikenal"),
    ("/unit/{code}?periode=%00", 400, "Periode tidak dikenal"),
    ("/unit/{code}/versi/1?periode=bukan", 400, "Periode tidak dikenal"),
    ("/unit/{code}/versi/" + "9" * 40 + "?periode=2026-Q3", 404, "Halaman tidak ditemukan"),
    (f"/unit/{{code}}/versi/{2**31 - 1}?periode=2026-Q3", 404, "Versi ini tidak ada"),
    ("/unit/{code}/versi/0?periode=2026-Q3", 404, "Versi ini tidak ada"),
    ("/unit/{code}/versi/-1?periode=2026-Q3", 404, "Halaman tidak ditemukan"),
    ("/unit/{code}/versi/2?periode=2026-Q3", 404, "Versi ini tidak ada"),
    ("/unit/{code}/versi/1?periode=2026-Q2", 404, "Versi ini tidak ada"),
    ("/unit/{code}/2026-Q9.csv", 400, "Periode tidak dikenal"),
    ("/unit/{code}/bukan-periode.json", 400, "Periode tidak dikenal"),
    ("/unit/{code}/2026-Q2.json", 404, "Tidak ada data"),
    ("/unit/{code}/2026-Q3/versi/" + "9" * 40 + ".csv", 404, "Halaman tidak ditemukan"),
    (f"/unit/{{code}}/2026-Q3/versi/{2**31 - 1}.json", 404, "Versi ini tidak ada"),
    ("/unit/{code}/2026-Q3.xlsx", 404, "Halaman tidak ditemukan"),
    ("/unit/tidak-ada", 404, "Unit tidak ditemukan"),
    ("/unit/tidak-ada/versi/1", 404, "Unit tidak ditemukan"),
    ("/unit/tidak-ada/2026-Q3.json", 404, "Unit tidak ditemukan"),
    ("/unit/%00", 404, "Unit tidak ditemukan"),
    ("/unit/" + "x" * 5000, 404, "Unit tidak ditemukan"),
    ("/unit/" + "x" * 5000 + "/2026-Q3.csv", 404, "Unit tidak ditemukan"),
]


@pytest.mark.parametrize(("path", "status", "message"), HOSTILE)
def test_hostile_input_is_a_clear_400_or_404(client, db, office, path, status, message):
    published.publish(db, office.unit.unit, PERIOD)
    answer = client.get(path.format(code=office.code))
    assert answer.status_code == status, answer.text[:300]
    assert message in unescape(answer.text)
