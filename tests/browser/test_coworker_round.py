"""An evaluator in Chromium opens a co-worker round for three colleagues and copies their links;
two answer on their phones (the results stay hidden), the third answers, and the results appear,
without a name. Screenshots are kept under the test's tmp_path."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.access.cast import cast
from tests.evaluations.coworker_data import NAMES, add_coworkers

pytestmark = pytest.mark.browser

ANSWERS = [
    {"Berorientasi Pelayanan": 4, "Akuntabel": 3, "Kompeten": 4, "Harmonis": 3, "Loyal": 4,
     "Adaptif": 3, "Kolaboratif": 2},
    {"Berorientasi Pelayanan": 3, "Akuntabel": 4, "Kompeten": 3, "Harmonis": 4, "Loyal": 3,
     "Adaptif": 2, "Kolaboratif": 3},
    {"Berorientasi Pelayanan": 4, "Akuntabel": 4, "Kompeten": 3, "Harmonis": 4, "Loyal": 4,
     "Adaptif": 3, "Kolaboratif": 4},
]


def answer(browser, link: str, values: dict, comment: str, shot) -> None:
    """A co-worker's phone: a fresh, phone-sized browser opens the link and sends the form."""
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
    phone = context.new_page()
    phone.goto(link)
    for label, value in values.items():
        phone.locator("fieldset", has=phone.locator("legend", has_text=label)) \
            .get_by_label(str(value), exact=False).first.check()
    phone.get_by_label("Komentar").fill(comment)
    phone.screenshot(path=str(shot), full_page=True)
    phone.get_by_role("button", name="Kirim masukan").click()
    assert phone.get_by_role("heading", name="Terima kasih!").is_visible()
    context.close()


def test_round_results_appear_at_the_third_answer(db, live_server, page, browser, tmp_path):
    people = cast(db)
    add_coworkers(db, people, 3)
    page.goto(f"{live_server}/auth/masuk")
    page.get_by_label("Nama pengguna").fill("penilai")
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()

    page.goto(f"{live_server}/penilaian/pegawai/{people.evaluated.public_ref}")
    page.get_by_role("link", name="Kelola putaran masukan rekan kerja").click()
    page.get_by_label("Periode (contoh 2026-Q3)").fill("2026-Q3")
    for name in NAMES[:3]:
        page.get_by_label(name).check()
    page.get_by_role("button", name="Buka putaran dan buat tautan").click()
    assert "Tautan ini hanya ditampilkan sekali." in page.content()
    links = [page.get_by_label(name).input_value() for name in NAMES[:3]]
    assert all("/rekan/" in link for link in links) and len(set(links)) == 3
    page.locator("button.copy").first.click()
    expect(page.locator("button.copy").first).to_have_text("Tersalin")
    page.screenshot(path=str(tmp_path / "tautan.png"), full_page=True)
    page.get_by_role("link", name="Ke halaman putaran (jumlah jawaban dan hasil)").click()
    round_url = page.url

    for k in range(2):
        answer(browser, links[k], ANSWERS[k], f"Komentar rekan {k + 1}.",
               tmp_path / f"rekan-{k + 1}.png")
    page.goto(round_url)
    status = page.locator("#rekan-status").inner_text()
    assert "Hasil masih disembunyikan." in status and "Sudah menjawab 2 dari 3" in status
    assert page.locator("#rekan-hasil").count() == 0
    assert "Komentar rekan" not in page.content()
    page.screenshot(path=str(tmp_path / "tersembunyi.png"), full_page=True)

    answer(browser, links[2], ANSWERS[2], "Komentar rekan 3.", tmp_path / "rekan-3.png")
    page.goto(round_url)
    assert "3 dari 3 rekan kerja" in page.locator("#rekan-status").inner_text()
    rows = page.locator("#rekan-hasil tbody tr")
    assert rows.count() == 7
    first = rows.first.locator("td").all_inner_texts()
    assert first[:3] == ["3", "3.67", "91.7"]  # (4 + 3 + 4) / 3, ×25
    assert page.locator("#rekan-komentar li").all_inner_texts() == [
        "Komentar rekan 1.", "Komentar rekan 2.", "Komentar rekan 3."]
    html = page.content()
    assert not any(name in html for name in NAMES)
    page.screenshot(path=str(tmp_path / "hasil.png"), full_page=True)

    # A used link stays used.
    again = browser.new_context(locale="id-ID")
    used = again.new_page()
    assert used.goto(links[0]).status == 410
    assert "sudah dipakai" in used.content()
    again.close()
