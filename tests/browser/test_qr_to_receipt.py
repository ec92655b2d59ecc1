"""From a printed code to a receipt, as a citizen's phone does it: `flask qr export` writes the
codes, ZXing decodes the image (never the database), Chromium opens the decoded URL and answers."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

import app.public.routes as public_routes
from surveys.models import Response, Touchpoint
from tests.factories import make_unit
from tests.qr.decode import decode_image, decode_png, pdf_pages_as_images

pytestmark = pytest.mark.browser


@pytest.fixture
def exported(db, runner, live_server, tmp_path):
    """The unit's codes exported with the live server as the public address: kind -> file."""
    unit = make_unit(db.session)
    kiosk = Touchpoint(kind="kiosk", unit=unit.unit, counter=unit.counter)
    db.session.add(kiosk)
    db.session.commit()
    result = runner.invoke(args=["qr", "export", "--out", str(tmp_path / "qr"), "--unit", "dukcapil",
                                 "--base-url", live_server, "--size", "A5"])
    assert result.exit_code == 0, result.output
    files = [Path(line) for line in result.stdout.splitlines()]

    def only(prefix: str, suffix: str) -> Path:
        [path] = [f for f in files if f.name.startswith(prefix) and f.suffix == suffix]
        return path

    return {"counter_png": only("loket-", ".png"), "kiosk_png": only("kios-", ".png"),
            "poster_pdf": only("poster-", ".pdf")}


def scanned(path: Path, live_server: str) -> str:
    [url] = decode_png(path.read_bytes())
    assert url.startswith(live_server + "/s/")
    return url


def answer_and_send(page, button: str, values=(4, 3, 3, 4, 3, 4, 4, 2, 3)) -> None:
    """Only the required questions: U1..U9 (other fields are optional)."""
    for j, value in enumerate(values, start=1):
        page.locator(f"input[name='U{j}'][value='{value}']").check()
    page.get_by_role("button", name=button).click()


def saved_response(db, receipt: str) -> Response:
    db.session.expire_all()
    return db.session.scalars(select(Response).where(Response.receipt == receipt)).one()


def test_poster_pdf_code_leads_to_a_receipt_in_bahasa_indonesia(db, exported, live_server, page):
    [first_page] = pdf_pages_as_images(exported["poster_pdf"])  # one counter: one page
    [url] = decode_image(first_page)
    assert url.startswith(live_server + "/s/")
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == "Survei Kepuasan Masyarakat"
    answer_and_send(page, "Kirim jawaban")
    assert page.locator("h1").inner_text() == "Terima kasih!"
    response = saved_response(db, page.locator("#receipt").inner_text())
    assert response.channel == "counter_qr"
    assert url.endswith("/s/" + response.touchpoint.public_code)
    assert [response.u1, response.u8, response.u9] == [4, 2, 3]


def test_png_code_leads_to_a_receipt_in_bahasa_indonesia(db, exported, live_server, page):
    url = scanned(exported["counter_png"], live_server)
    page.goto(url)
    answer_and_send(page, "Kirim jawaban")
    assert page.locator("h1").inner_text() == "Terima kasih!"
    assert saved_response(db, page.locator("#receipt").inner_text()).channel == "counter_qr"


def test_png_code_leads_to_a_receipt_in_english(db, exported, live_server, page):
    url = scanned(exported["counter_png"], live_server)
    page.goto(url + "?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Public Satisfaction Survey"
    answer_and_send(page, "Send answers")
    assert page.locator("h1").inner_text() == "Thank you!"
    assert saved_response(db, page.locator("#receipt").inner_text()).u1 == 4


def test_png_code_leads_to_a_receipt_without_javascript(db, browser, exported, live_server):
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    try:
        page.goto(scanned(exported["counter_png"], live_server))
        answer_and_send(page, "Kirim jawaban")
        assert page.locator("h1").inner_text() == "Terima kasih!"
        assert saved_response(db, page.locator("#receipt").inner_text()).channel == "counter_qr"
    finally:
        context.close()


def test_kiosk_code_returns_to_an_empty_form_after_the_receipt(db, exported, live_server, page,
                                                               monkeypatch):
    monkeypatch.setattr(public_routes, "KIOSK_RESET_SECONDS", 1)  # the tablet waits 10 s
    url = scanned(exported["kiosk_png"], live_server)
    page.goto(url)
    answer_and_send(page, "Kirim jawaban")
    assert page.locator("h1").inner_text() == "Terima kasih!"
    receipt = page.locator("#receipt").inner_text()
    assert saved_response(db, receipt).channel == "kiosk"
    page.wait_for_url(lambda current: current.split("?")[0] == url, timeout=10_000)
    assert page.locator("h1").inner_text() == "Survei Kepuasan Masyarakat"
    assert page.locator("input[type=radio]:checked").count() == 0
    assert receipt not in page.content()
    # The next citizen answers on the same, reset screen.
    answer_and_send(page, "Kirim jawaban", values=(2,) * 9)
    assert page.locator("#receipt").inner_text() != receipt


def test_code_revoked_on_the_admin_page_shows_the_polite_page(db, exported, live_server, page):
    from surveys.models import RoleGrant, User

    unit_id = db.session.scalar(select(Touchpoint.unit_id).limit(1))
    manager = User(username="manajer", display_name="Kepala Unit Uji",
                   grants=[RoleGrant(role="unit_manager", unit_id=unit_id)])
    manager.set_password("rahasia-uji-123")
    db.session.add(manager)
    db.session.commit()
    url = scanned(exported["counter_png"], live_server)
    page.goto(live_server + "/auth/masuk")
    page.get_by_label("Nama pengguna").fill("manajer")
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.locator("form button[type=submit]").click()
    page.goto(live_server + "/admin/unit/dukcapil/kode")
    row = page.locator("tr", has_text=url)
    row.get_by_role("button", name="Cabut kode").click()
    assert page.locator("h1").inner_text() == "Cabut kode ini?"
    page.get_by_role("button", name="Ya, cabut kode").click()
    assert "sudah dicabut" in page.get_by_role("status").first.inner_text()

    citizen = page.context.browser.new_context(locale="id-ID").new_page()
    try:
        answer = citizen.goto(url)
        assert answer.status == 410
        assert "Kode QR ini sudah tidak digunakan lagi." in citizen.get_by_role("alert").inner_text()
    finally:
        citizen.context.close()
