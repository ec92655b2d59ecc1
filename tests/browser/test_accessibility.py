"""axe-core (from npm, `npm ci`) finds no accessibility violation on the citizen's pages:
the form in both languages, the form showing errors, the kiosk form and the thank-you pages."""
from __future__ import annotations

from pathlib import Path

import pytest

from surveys.models import Touchpoint
from tests.factories import make_unit

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def axe_script() -> Path:
    if not AXE.exists():  # a failure, never a skip (`make test` runs `npm ci` first)
        pytest.fail(f"{AXE} is missing: run `npm ci` before the tests")
    return AXE


def violations(page, axe_script: Path, disabled: tuple[str, ...] = ()) -> list[str]:
    """axe's violations on the page as readable lines (rule, impact, where), all rules on."""
    # Evaluated by the browser's devtools protocol, past the page's Content-Security-Policy
    # (which refuses an injected inline <script>, as it should).
    page.evaluate(axe_script.read_text() + "\n;true")
    options = {"rules": {rule: {"enabled": False} for rule in disabled}}
    result = page.evaluate("options => axe.run(document, options)", options)
    assert result["passes"], "axe ran no check"
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in result["violations"]]


def answer_all(page) -> None:
    for j in range(1, 10):
        page.locator(f"#f-U{j} label.opt").nth(2).click()


@pytest.fixture
def unit(db):
    return make_unit(db.session)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_form_has_no_violation(unit, live_server, page, axe_script, lang):
    page.goto(f"{live_server}/s/{unit.counter_code}?lang={lang}")
    assert violations(page, axe_script) == []


def test_personal_code_form_has_no_violation(unit, live_server, page, axe_script):
    page.goto(f"{live_server}/s/{unit.personal_code}")
    assert violations(page, axe_script) == []


def test_form_showing_errors_has_no_violation(unit, live_server, page, axe_script):
    page.goto(f"{live_server}/s/{unit.counter_code}")
    page.locator("#f-U1 label.opt").first.click()
    page.get_by_label("Saya ingin mendapat balasan").check()
    page.get_by_role("button", name="Kirim jawaban").click()
    assert page.get_by_role("alert").count() == 1
    assert page.locator("p.err").count() >= 9  # U2..U9 and the missing contact
    assert violations(page, axe_script) == []


def test_thanks_page_has_no_violation(unit, live_server, page, axe_script):
    page.goto(f"{live_server}/s/{unit.counter_code}")
    answer_all(page)
    page.get_by_role("button", name="Kirim jawaban").click()
    page.locator("#receipt").wait_for()
    assert violations(page, axe_script) == []


def test_kiosk_pages_have_no_violation_but_the_deliberate_reset(db, unit, live_server, page, axe_script):
    kiosk = Touchpoint(kind="kiosk", unit=unit.unit, counter=unit.counter)
    db.session.add(kiosk)
    db.session.commit()
    page.goto(f"{live_server}/s/{kiosk.public_code}")
    assert violations(page, axe_script) == []
    answer_all(page)
    page.get_by_role("button", name="Kirim jawaban").click()
    page.locator("#receipt").wait_for()
    # The kiosk's thank-you page returns to an empty form by itself, on purpose: on a shared
    # tablet the next person must not see the last one's receipt. That timed refresh is the one
    # thing axe reports (WCAG 2.2.1); the page offers the button to go on at once.
    found = violations(page, axe_script)
    assert [line.split(" ")[0] for line in found] == ["meta-refresh"], found
    assert violations(page, axe_script, disabled=("meta-refresh",)) == []
