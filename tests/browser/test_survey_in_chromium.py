"""A citizen's path in a real browser: the unit list, the form, the receipt."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from surveys.models import Response
from tests.factories import make_unit

pytestmark = pytest.mark.browser


def answer_every_unsur(page, label_texts: dict[str, str]) -> None:
    """Taps an answer for each unsur by its visible label, as a person would."""
    for j in range(1, 10):
        fieldset = page.locator(f"#f-U{j}")
        fieldset.get_by_label(label_texts.get(f"U{j}", "Sangat"), exact=False).first.check()


def test_citizen_fills_the_form_from_the_unit_list(db, live_server, page):
    unit = make_unit(db.session)
    page.goto(live_server + "/")
    page.get_by_role("link", name="Survei: Loket 1").click()
    assert page.locator("h1").inner_text() == "Survei Kepuasan Masyarakat"
    page.get_by_label("Layanan yang Anda terima").select_option(label="KTP-el")
    page.get_by_label("Petugas yang melayani Anda").select_option(label="Maria Ndun")
    answer_every_unsur(page, {"U4": "Gratis", "U9": "Dikelola dengan baik"})
    page.get_by_role("button", name="Kirim jawaban").click()
    assert page.locator("h1").inner_text() == "Terima kasih!"
    receipt = page.locator("#receipt").inner_text()
    saved = db.session.scalars(select(Response)).one()
    assert saved.receipt == receipt
    assert saved.staff_id == unit.officers[0].id
    assert saved.u4 == 4 and saved.u9 == 4


def test_missing_answer_is_named_and_can_be_fixed_without_javascript(db, browser, live_server):
    unit = make_unit(db.session)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/s/{unit.counter_code}?lang=en")
    for j in range(1, 10):
        if j != 3:
            page.locator(f"#f-U{j} input[value='3']").check()
    page.get_by_role("button", name="Send answers").click()
    assert "U3" in page.get_by_role("alert").first.inner_text()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    page.locator("#f-U3 input[value='2']").check()
    page.get_by_role("button", name="Send answers").click()
    assert page.locator("#receipt").is_visible()
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    context.close()
