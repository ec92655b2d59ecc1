"""A complaint in Chromium, as its people meet it (issue 14, must-show 5): a citizen answers the
form with a comment and a phone number, follows the receipt's link and sees "Diterima"; the unit
manager finds it in the inbox, takes it, replies and publishes a reply without personal data
(one with a phone number refused first); the citizen sees the reply and "Selesai", and the unit's
public page shows the published reply only. Screenshots: test-artifacts/complaint-journey/."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.access.cast import PASSWORD, cast

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "complaint-journey"
CONTACT = "0813-1111-2222"
COMMENT = "Loket 1 tutup sebelum jam pelayanan berakhir."
REPLY = "Mohon maaf. Mulai Senin loket 1 buka penuh sampai pukul 15.00."
PUBLIC = "Loket 1 kini buka penuh sampai akhir jam pelayanan."


def shot(page, backend: str, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{backend}-{name}.png"), full_page=True)


def test_a_complaint_from_the_form_to_a_published_reply(db, database_url, live_server, browser):
    people = cast(db)
    backend = database_url.split(":")[0].split("+")[0]
    citizen = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740}).new_page()
    citizen.goto(f"{live_server}/s/{people.names['counter_code']}")
    for j in range(1, 10):
        citizen.locator(f"input[name='U{j}'][value='2']").check()
    citizen.locator("#COMMENT").fill(COMMENT)
    citizen.get_by_label("Saya ingin mendapat balasan").check()
    citizen.get_by_label("Nomor HP atau e-mail (hanya jika Anda ingin dibalas)").fill(CONTACT)
    citizen.get_by_role("button", name="Kirim jawaban").click()
    receipt = citizen.locator("#receipt").inner_text()
    citizen.get_by_role("link", name="Lacak tanggapan ini").click()
    assert citizen.locator("#status").inner_text() == "Diterima, menunggu ditangani"
    shot(citizen, backend, "1-warga-diterima")

    manager = browser.new_context(locale="id-ID").new_page()
    manager.goto(f"{live_server}/auth/masuk")
    manager.get_by_label("Nama pengguna").fill("manajer")
    manager.get_by_label("Kata sandi").fill(PASSWORD)
    manager.get_by_role("button", name="Masuk").click()
    manager.get_by_role("link", name="Pengaduan", exact=True).first.click()
    assert "Terbuka: 1 · terlambat: 0" in manager.locator("#ringkasan-pengaduan").inner_text()
    shot(manager, backend, "2-kotak-pengaduan")
    manager.locator("#kotak-pengaduan tbody a").first.click()
    assert manager.locator("#kontak-warga").inner_text() == CONTACT
    manager.get_by_label("Penanggung jawab").select_option(label="Manajer")
    manager.get_by_role("button", name="Simpan penanggung jawab").click()
    expect(manager.locator("#status-pengaduan")).to_contain_text("diproses")
    manager.get_by_label("Balasan kepada warga").fill(REPLY)
    manager.get_by_role("button", name="Simpan balasan").click()
    manager.get_by_label("Status").select_option("selesai")
    manager.get_by_role("button", name="Simpan status").click()
    manager.get_by_label("Balasan publik").fill(f"{PUBLIC} Info: {CONTACT}")
    manager.get_by_role("button", name="Terbitkan balasan publik").click()
    expect(manager.locator("main")).to_contain_text("tidak boleh memuat")
    manager.get_by_label("Balasan publik").fill(PUBLIC)
    manager.get_by_role("button", name="Terbitkan balasan publik").click()
    expect(manager.locator("main")).to_contain_text("Balasan publik diterbitkan di halaman unit.")
    shot(manager, backend, "3-pengaduan-selesai")

    citizen.goto(f"{live_server}/lacak")
    citizen.get_by_label("Nomor tanda terima").fill(receipt.lower())
    citizen.get_by_role("button", name="Lihat status").click()
    assert citizen.locator("#status").inner_text() == "Selesai"
    assert citizen.locator("#balasan").inner_text() == REPLY
    assert citizen.locator("#balasan-publik").inner_text() == PUBLIC
    assert citizen.locator("#lapor").get_attribute("href") == "https://www.lapor.go.id"
    shot(citizen, backend, "4-warga-selesai")

    citizen.goto(f"{live_server}/unit/{people.unit.unit.code}")
    replies = citizen.locator("#balasan-pengaduan").inner_text()
    assert PUBLIC in replies
    page_text = citizen.content()
    for private in (REPLY, CONTACT, COMMENT, receipt):
        assert private not in page_text
    citizen.context.close()
    manager.context.close()
