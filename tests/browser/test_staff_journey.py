"""A manager in Chromium imports staff from a SIMPEG-like XLSX (a bad NIP row is refused with its
row number, the fixed file is accepted), puts one officer on duty at a counter, and a citizen's
form then offers that officer. Screenshots are kept under the test's tmp_path."""
from __future__ import annotations


import pytest

from surveys.organization.roster import unit_today
from tests.admin.staff_files import FIRST_DATA_ROW, staff_rows, write_staff_xlsx
from tests.factories import PASSWORD, add_user, make_unit

pytestmark = pytest.mark.browser


def test_import_then_roster_reaches_the_survey_form(db, live_server, page, tmp_path):
    unit = make_unit(db.session)
    add_user(db, "manajer", "unit_manager", unit.unit.id)
    bad = write_staff_xlsx(tmp_path / "pegawai-salah.xlsx", 30, bad_row=11)
    good = write_staff_xlsx(tmp_path / "pegawai.xlsx", 30)

    page.goto(f"{live_server}/auth/masuk")
    page.get_by_label("Nama pengguna").fill("manajer")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    page.goto(f"{live_server}/admin/unit/dukcapil/pegawai/impor")
    page.get_by_label("Berkas pegawai").set_input_files(str(bad))
    page.get_by_role("button", name="Impor").click()
    problems = page.locator("section.problems")
    assert "Berkas ditolak" in problems.inner_text()
    assert problems.locator("tbody tr").count() == 1
    assert problems.locator("tbody tr td").first.inner_text() == str(FIRST_DATA_ROW + 11)
    page.screenshot(path=str(tmp_path / "impor-ditolak.png"), full_page=True)

    page.get_by_label("Berkas pegawai").set_input_files(str(good))
    page.get_by_role("button", name="Impor").click()
    assert "30 pegawai diimpor: 30 baru" in page.locator("p[role=status]").inner_text()
    assert page.locator("tbody tr").count() == 32  # with make_unit's two officers
    page.screenshot(path=str(tmp_path / "pegawai.png"), full_page=True)

    page.get_by_role("link", name="Jadwal loket").first.click()
    _number, nip, name, *_rest = staff_rows(3)[2]
    page.get_by_label("Petugas").select_option(label=f"{name} ({nip})")
    start = unit_today(unit.unit)  # from today, on the unit's calendar (as the form reads it)
    page.get_by_label("Mulai bertugas").fill(start.isoformat())
    page.get_by_role("button", name="Simpan jadwal").click()
    assert "Jadwal ditambahkan." in page.locator("p[role=status]").inner_text()
    page.screenshot(path=str(tmp_path / "jadwal.png"), full_page=True)

    page.goto(f"{live_server}/s/{unit.counter_code}")
    assert name in page.content()
