"""Hidden counts stay hidden in every public format (issue 14, must-show 2; DESIGN §6, the NHS
Friends and Family Test rules).

A unit, built with the factories, whose published 2026-Q3 has a service of 3 respondents
(primary: "*"), the next-smallest service of 6 (secondary: "*", so the unit's total cannot give
the 3 away), a sub-unit of 2 (primary) and its sibling sub-unit of 20 (secondary), whose two
services of 9 and 11 are the cascade case: a hidden parent hides its two smallest children, or
they would add up to it. And the unit of the public-page tests (services of 30, 12, 3 and 0; one
sub-unit of 6 whose one service is the hidden sibling of the 3): the sub-unit's row must not
show the count its hidden service has. Each hidden cell is "*" with no figure beside it, and its
true count is not on its row, in the unit page (HTML), the CSV and JSON downloads, the public
API's answer and the SKM report (PDF text)."""
from __future__ import annotations

import re

import pytest

from surveys.models import Population, Service, Unit
from tests.access.cast import cast
from tests.evaluations.pages import table
from tests.public import published
from tests.public.test_published_unit_page import PERIOD, csv_rows, files, page_of
from tests.public.test_published_unit_page import office as lone_sub_unit  # noqa: F401
from tests.publishing.test_publication import respond
from tests.report.report_pdf import lines_of, report_text
from tests.report.test_skm_report import report_of

UNIT, KEC, DESA = "dukcapil", "dukcapil-kec", "dukcapil-desa"
# (table, code): (name, owning unit, true count)
PRIMARY = {("services", "akta"): ("Akta Kelahiran", UNIT, 3),
           ("sub_units", DESA): ("UPT Dukcapil Desa", None, 2)}
SECONDARY = {("services", "legalisir"): ("Legalisir", UNIT, 6),
             ("sub_units", KEC): ("UPT Dukcapil Kecamatan", None, 20)}
CASCADE = {("services", "kec-ktp"): ("KTP-el Kecamatan", KEC, 9),
           ("services", "kec-kk"): ("KK Kecamatan", KEC, 11)}  # 9 + 11 = the hidden 20
SHOWN = {("services", "ktp"): ("KTP-el", UNIT, 40),
         ("services", "kk"): ("Kartu Keluarga", UNIT, 25),
         ("services", "pindah"): ("Surat Pindah", UNIT, 0)}
FIGURES = ("responden", "ikm", "nrr", "ci95_bawah", "ci95_atas", "mutu", "mutu_kepastian",
           "kinerja", "gunakan_hati_hati", "di_bawah_target", "populasi", "sampel_minimal")
HTML_TABLES = {"services": "per-layanan", "sub_units": "per-sub-unit"}
CSV_LEVELS = {"layanan": "services", "sub_unit": "sub_units"}


@pytest.fixture
def office(db):
    """The cast's unit (its services KTP-el 40 and Kartu Keluarga 25, the latter naming an
    officer; Akta Kelahiran 3, Legalisir 6, Surat Pindah 0), its sub-unit UPT Dukcapil
    Kecamatan (KTP-el Kecamatan 9, KK Kecamatan 11) and a second sub-unit, UPT Dukcapil Desa,
    whose 2 respondents named no service: 96 respondents, 2026-Q3 published."""
    people = cast(db)
    unit, kec = people.unit.unit, people.sub
    desa = Unit(organization=unit.organization, parent=unit, code=DESA,
                name="UPT Dukcapil Desa", timezone="Asia/Makassar")
    ktp, kk = people.unit.services
    akta = Service(unit=unit, code="akta", name="Akta Kelahiran")
    legalisir = Service(unit=unit, code="legalisir", name="Legalisir")
    pindah = Service(unit=unit, code="pindah", name="Surat Pindah")
    kec_ktp = Service(unit=kec, code="kec-ktp", name="KTP-el Kecamatan")
    kec_kk = Service(unit=kec, code="kec-kk", name="KK Kecamatan")
    db.session.add_all([desa, akta, legalisir, pindah, kec_ktp, kec_kk,
                        Population(unit_id=unit.id, period=PERIOD, size=400)])
    db.session.commit()
    respond(db, unit, ktp, 40, 3.2, 1)
    respond(db, unit, kk, 25, 2.8, 2, staff=people.evaluated)
    respond(db, unit, akta, 3, 3.5, 3)
    respond(db, unit, legalisir, 6, 3.1, 4)
    respond(db, kec, kec_ktp, 9, 3.0, 5)
    respond(db, kec, kec_kk, 11, 2.9, 6)
    respond(db, desa, None, 2, 3.4, 7)
    published.publish(db, unit, PERIOD)
    return people


def _html_rows(html: str) -> dict:
    """(table, name) → the row's figure cells (n, IKM, interval, mutu) in the unit page."""
    rows = {}
    for key, table_id in HTML_TABLES.items():
        for row in table(html, table_id)[1:]:
            rows[(key, row[0])] = row[2:] if key == "services" else row[1:]
    return rows


def _csv_rows(answer) -> dict:
    return {(CSV_LEVELS[row["tingkat"]], row["kode"]): [row[column] for column in FIGURES]
            for row in csv_rows(answer) if row["tingkat"] in CSV_LEVELS}


def _snapshot_rows(snapshot: dict) -> dict:
    return {(key, part["code"]): part for key in ("services", "sub_units")
            for part in snapshot[key]}


def _pdf_rows(lines: list[str], cases: dict) -> dict:
    """(table, code) → the report line of that row, found by its name (and owning unit)."""
    found = {}
    for key, (name, owner, _n) in cases.items():
        start = f"{name} {owner} " if owner else f"{name} "
        [found[key]] = [line for line in lines if line.startswith(start)]
    return found


def formats(client, code: str, tmp_path, cases: dict) -> dict:
    """The row of each case in every public format: {format: {(table, code): row}}."""
    html = page_of(client, f"/unit/{code}?periode={PERIOD}")
    csv_answer, json_answer = files(client, code)
    api = client.get(f"/api/v1/public/units/{code}/indices?period={PERIOD}")
    assert json_answer.status_code == api.status_code == 200
    lines = lines_of(report_text(report_of(client, code), tmp_path))
    names = {name: key for key, (name, _owner, _n) in cases.items()}
    return {
        "html": {names[name]: cells for (key, name), cells in _html_rows(html).items()
                 if name in names},
        "csv": _csv_rows(csv_answer),
        "json": _snapshot_rows(json_answer.get_json()["snapshot"]),
        "api": _snapshot_rows(api.get_json()["snapshot"]),
        "pdf": _pdf_rows(lines, cases),
    }


def assert_hidden(found: dict, cases: dict) -> None:
    """Each case is "*" with no figure beside it in every format, its count not on its row."""
    for key, (name, owner, true_n) in cases.items():
        rows = {fmt: by_key[key] for fmt, by_key in found.items()}
        assert rows["html"] == ["*", "*", "", ""], (key, rows["html"])
        assert rows["csv"] == ["*"] + [""] * (len(FIGURES) - 1), (key, rows["csv"])
        for fmt in ("json", "api"):
            assert (rows[fmt]["n"], rows[fmt]["index"]) == ("*", None), (key, fmt, rows[fmt])
        words = rows["pdf"].removeprefix(f"{name} {owner} " if owner else f"{name} ")
        assert words == "* *", (key, rows["pdf"])
        texts = {"html": " ".join(rows["html"]), "csv": " ".join(rows["csv"]),
                 "json": str(rows["json"]), "api": str(rows["api"]), "pdf": words}
        for fmt, text in texts.items():
            assert str(true_n) not in re.findall(r"\d+", text), (key, fmt, text)


def test_primary_and_secondary_cells_stay_hidden_in_every_format(client, db, office, tmp_path):
    cases = {**PRIMARY, **SECONDARY, **SHOWN}
    found = formats(client, UNIT, tmp_path, cases)
    assert_hidden(found, {**PRIMARY, **SECONDARY})
    # The shown rows carry their counts, so "*" above is suppression, not a blank table.
    for key, (_name, _owner, true_n) in SHOWN.items():
        assert found["html"][key][0] == found["csv"][key][0] == str(true_n), key
        assert found["json"][key]["n"] == found["api"][key]["n"] == true_n, key
    assert found["json"][("services", "ktp")]["index"] is not None  # 40: an index, with care
    assert found["pdf"][("services", "ktp")].startswith(f"KTP-el {UNIT} 40 ")
    assert found["pdf"][("services", "pindah")] == f"Surat Pindah {UNIT} 0 -"


def test_a_hidden_sub_unit_hides_its_two_smallest_services_in_every_format(client, db, office,
                                                                           tmp_path):
    # UPT Dukcapil Kecamatan (20) is hidden as the sibling of the 2; shown, its services 9 and
    # 11 would add up to it, and the unit's 96 less the shown rows would then give the others.
    found = formats(client, UNIT, tmp_path, {**SECONDARY, **CASCADE})
    assert found["json"][("sub_units", KEC)]["n"] == "*"
    assert_hidden(found, CASCADE)


def test_no_hidden_service_can_be_had_by_subtraction_through_a_sub_unit(client, db,
                                                                        lone_sub_unit, tmp_path):
    # Akta Kelahiran (3) is hidden. The sub-unit (6) and its only service (6) give nothing away
    # and stay shown; but the unit's own part is then 51 - 6 = 45, so a second of its services
    # must be hidden too (Kartu Keluarga, 12, the next-smallest above zero), else
    # 45 - 30 - 12 - 0 would be the 3.
    published.publish(db, lone_sub_unit.unit.unit, PERIOD)
    hidden = {("services", "akta"): ("Akta Kelahiran", UNIT, 3),
              ("services", "kk"): ("Kartu Keluarga", UNIT, 12)}
    shown = {("services", "kec-ktp"): ("KTP-el Kecamatan", KEC, 6),
             ("sub_units", KEC): ("UPT Dukcapil Kecamatan", None, 6),
             ("services", "ktp"): ("KTP-el", UNIT, 30)}
    found = formats(client, UNIT, tmp_path, {**hidden, **shown})
    assert_hidden(found, hidden)
    for key, (_name, _owner, true_n) in shown.items():
        assert found["json"][key]["n"] == found["api"][key]["n"] == true_n, key
        assert found["html"][key][0] == found["csv"][key][0] == str(true_n), key
