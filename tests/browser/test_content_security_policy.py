"""Under the Content-Security-Policy (app/__init__.py) the pages still work in Chromium and break
none of its rules: the citizen's form with its script and styles, the kiosk's return to an empty
form, the admin's unit page and the printed ticket with its QR image."""
from __future__ import annotations

import pytest

import app.public.routes as public_routes
from surveys.models import RoleGrant, Touchpoint, UnitApiKey, User
from tests.factories import make_unit

pytestmark = pytest.mark.browser

REPORT = """document.addEventListener("securitypolicyviolation",
  e => window.reportViolation(e.violatedDirective + " " + (e.blockedURI || "inline")));"""
BRAND_BLUE = "rgb(11, 79, 138)"  # buttons in app/static/site.css


@pytest.fixture
def violations(page) -> list[str]:
    """Every CSP violation the browser reports on `page`, by event and on its console."""
    found: list[str] = []
    page.expose_function("reportViolation", lambda text: found.append(text))
    page.add_init_script(REPORT)  # run by the browser before the page, not subject to its CSP
    page.on("console", lambda message: found.append(message.text)
            if "Content Security Policy" in message.text else None)
    return found


def answer_all(page) -> None:
    for j in range(1, 10):
        page.locator(f"#f-U{j} label.opt").nth(3).click()


def test_survey_form_runs_its_script_and_styles(db, live_server, page, violations):
    unit = make_unit(db.session)
    page.goto(f"{live_server}/s/{unit.counter_code}")
    button = page.get_by_role("button", name="Kirim jawaban")
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == BRAND_BLUE
    contact = page.get_by_label("Nomor HP atau e-mail (hanya jika Anda ingin dibalas)")
    assert contact.is_hidden()  # app/static/survey.js ran
    page.get_by_label("Saya ingin mendapat balasan").check()
    assert contact.is_visible()
    contact.fill("warga@contoh.id")
    answer_all(page)
    button.click()
    assert page.locator("h1").inner_text() == "Terima kasih!"
    assert violations == []


def test_kiosk_returns_to_an_empty_form(db, live_server, page, violations, monkeypatch):
    monkeypatch.setattr(public_routes, "KIOSK_RESET_SECONDS", 1)
    unit = make_unit(db.session)
    kiosk = Touchpoint(kind="kiosk", unit=unit.unit, counter=unit.counter)
    db.session.add(kiosk)
    db.session.commit()
    form = f"{live_server}/s/{kiosk.public_code}"
    page.goto(form)
    answer_all(page)
    page.get_by_role("button", name="Kirim jawaban").click()
    assert page.locator("h1").inner_text() == "Terima kasih!"
    page.wait_for_url(lambda current: current.split("?")[0] == form, timeout=10_000)
    assert page.locator("input[type=radio]:checked").count() == 0
    assert violations == []


def test_admin_unit_page_and_printed_ticket(db, live_server, page, violations):
    unit = make_unit(db.session)
    manager = User(username="manajer", display_name="Kepala Unit",
                   grants=[RoleGrant(role="unit_manager", unit_id=unit.unit.id)])
    manager.set_password("rahasia-uji-123")
    key, api_key = UnitApiKey.issue(unit.unit, "Mesin antrean")
    db.session.add_all([manager, key])
    db.session.commit()
    page.goto(f"{live_server}/auth/masuk")
    page.get_by_label("Nama pengguna").fill("manajer")
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.locator("form button[type=submit]").click()
    page.goto(f"{live_server}/admin/unit/{unit.unit.code}/kode")
    assert page.locator("h1").inner_text() == unit.unit.name
    table = page.locator("table")
    assert table.evaluate("t => getComputedStyle(t).borderCollapse") == "collapse"  # admin.css

    issued = page.request.post(f"{live_server}/api/v1/tickets", headers={"X-API-Key": api_key},
                               data={"touchpoint": unit.counter_code})
    assert issued.status == 201
    page.goto(issued.json()["print_url"])
    qr = page.get_by_role("img", name="Kode QR survei kepuasan")
    assert qr.evaluate("img => img.complete && img.naturalWidth") > 0  # a data: image
    assert violations == []
