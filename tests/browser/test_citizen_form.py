"""The whole form in a real browser: Bahasa Indonesia, English, JavaScript off, and a kiosk
that hands an empty form to the next citizen."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from surveys.models import ReplyRequest, Response, Touchpoint
from tests.factories import make_unit

pytestmark = pytest.mark.browser


def answer_unsur(page, value: int) -> None:
    """Taps the `value`-th answer of every unsur (1 = worst, 4 = best)."""
    for j in range(1, 10):
        page.locator(f"#f-U{j} label.opt").nth(value - 1).click()


def saved_responses(db) -> list[Response]:
    db.session.expire_all()
    return list(db.session.scalars(select(Response).order_by(Response.id)))


def test_whole_form_in_bahasa_indonesia(db, live_server, page):
    unit = make_unit(db.session)
    page.goto(f"{live_server}/s/{unit.counter_code}")
    assert page.locator("html").get_attribute("lang") == "id"
    page.get_by_label("Layanan yang Anda terima").select_option(label="Kartu Keluarga")
    page.get_by_label("Petugas yang melayani Anda").select_option(label="Yohanes Lake")
    answer_unsur(page, 3)
    page.locator("#f-U4").get_by_label("Gratis").check()
    page.locator("#f-OFFICER").get_by_label("Sangat baik").check()
    page.get_by_label("30–60 menit").check()
    page.get_by_label("Saran atau komentar (tidak wajib)").fill("Ruang tunggu panas")
    contact = page.get_by_label("Nomor HP atau e-mail (hanya jika Anda ingin dibalas)")
    assert contact.is_hidden()  # with JavaScript the contact is asked only after the box
    page.get_by_label("Saya ingin mendapat balasan").check()
    contact.fill("warga@contoh.id")
    page.get_by_label("Usia").select_option(label="45–54 tahun")
    page.get_by_label("Jenis kelamin").select_option(label="Laki-laki")
    page.get_by_label("Pendidikan terakhir").select_option(label="Sarjana (S1)")
    page.get_by_label("Pekerjaan").select_option(label="Wirausaha")
    page.get_by_role("button", name="Kirim jawaban").click()
    assert page.locator("h1").inner_text() == "Terima kasih!"
    saved = saved_responses(db)
    assert len(saved) == 1 and page.locator("#receipt").inner_text() == saved[0].receipt
    response = saved[0]
    assert (response.service_id, response.staff_id) == (unit.services[1].id, unit.officers[1].id)
    assert response.unsur() == {**{f"U{j}": 3 for j in range(1, 10)}, "U4": 4}
    assert (response.officer_rating, response.waiting_band) == (4, 3)
    assert (response.age_band, response.gender, response.education, response.occupation) == (
        "45-54", "L", "s1", "wirausaha")
    assert response.reply_request.contact == "warga@contoh.id"


def test_whole_form_in_english(db, live_server, page):
    unit = make_unit(db.session)
    page.goto(f"{live_server}/s/{unit.counter_code}")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_label("Who served you").select_option(label="Maria Ndun")
    answer_unsur(page, 4)
    page.locator("#f-U7").get_by_label("Polite and friendly", exact=True).check()
    page.locator("#f-OFFICER").get_by_label("Good", exact=True).check()
    page.get_by_role("button", name="Send answers").click()
    assert page.locator("html").get_attribute("lang") == "en"
    receipt = page.locator("#receipt").inner_text()
    saved = saved_responses(db)
    assert [r.receipt for r in saved] == [receipt]
    assert (saved[0].u7, saved[0].u1, saved[0].officer_rating) == (3, 4, 3)
    assert saved[0].staff_id == unit.officers[0].id
    assert (saved[0].waiting_band, saved[0].age_band, saved[0].reply_request) == (None, None, None)


def test_whole_form_with_javascript_off(db, browser, live_server):
    unit = make_unit(db.session)
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    page.goto(f"{live_server}/s/{unit.counter_code}")
    answer_unsur(page, 2)
    page.get_by_label("Kurang dari 15 menit").check()
    # Without JavaScript the contact field is simply there, saying when it is used.
    contact = page.get_by_label("Nomor HP atau e-mail (hanya jika Anda ingin dibalas)")
    assert contact.is_visible()
    page.get_by_label("Saran atau komentar (tidak wajib)").fill("Syarat tidak jelas")
    page.get_by_label("Saya ingin mendapat balasan").check()
    page.get_by_role("button", name="Kirim jawaban").click()
    # Box ticked without a contact: named, nothing saved, the rest kept.
    assert "reply_contact" in page.get_by_role("alert").first.inner_text()
    assert saved_responses(db) == []
    assert page.get_by_label("Saran atau komentar (tidak wajib)").input_value() == "Syarat tidak jelas"
    contact.fill("0812 3456 7890")
    page.get_by_role("button", name="Kirim jawaban").click()
    receipt = page.locator("#receipt").inner_text()
    saved = saved_responses(db)
    assert [r.receipt for r in saved] == [receipt]
    assert (saved[0].u5, saved[0].waiting_band) == (2, 1)
    assert saved[0].reply_request.contact == "0812 3456 7890"
    context.close()


@pytest.mark.parametrize("how", ["button", "meta refresh"])
def test_kiosk_hands_an_empty_form_to_the_next_citizen(db, live_server, page, how):
    unit = make_unit(db.session)
    kiosk = Touchpoint(kind="kiosk", unit=unit.unit, counter=unit.counter)
    db.session.add(kiosk)
    db.session.commit()
    page.goto(f"{live_server}/s/{kiosk.public_code}")
    first_key = page.locator("input[name=submission_key]").input_value()
    page.get_by_label("Petugas yang melayani Anda").select_option(label="Maria Ndun")
    answer_unsur(page, 1)
    page.get_by_label("Saran atau komentar (tidak wajib)").fill("Petugas membentak saya")
    page.get_by_label("Saya ingin mendapat balasan").check()
    page.get_by_label("Nomor HP atau e-mail (hanya jika Anda ingin dibalas)").fill("0813 1111 2222")
    page.get_by_label("Usia").select_option(label="25–34 tahun")
    page.get_by_role("button", name="Kirim jawaban").click()
    assert re.fullmatch(r"SW-\w{4}-\w{4}-\w{4}", page.locator("#receipt").inner_text())
    if how == "button":
        page.get_by_role("link", name="Isi survei baru").click()
    else:
        page.wait_for_url(re.compile(rf"/s/{kiosk.public_code}\?lang=id$"), timeout=20_000)
    page.wait_for_selector("input[name=submission_key]", state="attached")
    # An empty form: nothing of the first citizen's answers, comment or contact.
    assert page.locator("input:checked").count() == 0
    assert page.get_by_label("Saran atau komentar (tidak wajib)").input_value() == ""
    assert page.get_by_label("Nomor HP atau e-mail (hanya jika Anda ingin dibalas)").input_value() == ""
    assert page.get_by_label("Usia").input_value() == ""
    assert page.get_by_label("Petugas yang melayani Anda").input_value() == "unknown"
    assert "membentak" not in page.content() and "0813" not in page.content()
    second_key = page.locator("input[name=submission_key]").input_value()
    assert second_key != first_key
    # The next citizen's answers count as a second response.
    answer_unsur(page, 4)
    page.get_by_role("button", name="Kirim jawaban").click()
    page.locator("#receipt").wait_for()
    saved = saved_responses(db)
    assert [(r.channel, r.submission_key, r.u1) for r in saved] == [
        ("kiosk", first_key, 1), ("kiosk", second_key, 4)]
    assert db.session.scalar(select(func.count()).select_from(ReplyRequest)) == 1
    # The back button does not bring a citizen's answers back either.
    page.go_back()
    page.wait_for_selector("input[name=submission_key]", state="attached")
    assert page.locator("input:checked").count() == 0
    assert page.locator("input[name=submission_key]").input_value() not in (first_key, second_key)
