"""The form is light enough for a cheap phone on 3G: at most 30 KB over the wire, everything
included (the page, its stylesheet and its one script), and nothing loaded from another host."""
from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pytest
from flask import request

from surveys.models import CounterAssignment, Service, Staff, Touchpoint
from tests.factories import make_unit

pytestmark = pytest.mark.browser

BUDGET_BYTES = 30 * 1024
# Styles and script are files (so the Content-Security-Policy allows no inline code).
ASSETS = ["/static/site.css", "/static/survey.js"]


def busy_unit(db):
    """A large unit: 15 services and 12 officers on duty at the counter."""
    unit = make_unit(db.session)
    for n in range(13):
        db.session.add(Service(unit=unit.unit, code=f"svc{n}",
                               name=f"Legalisasi dokumen kependudukan jenis {n}"))
    for n in range(10):
        officer = Staff(nip=f"199102022015031{n:03d}", name=f"Petugas Pelayanan Nomor {n}",
                        position="Pengadministrasi", unit=unit.unit)
        db.session.add(officer)
        db.session.add(CounterAssignment(staff=officer, counter=unit.counter,
                                         starts_on=date(2026, 1, 1)))
    kiosk = Touchpoint(kind="kiosk", unit=unit.unit, counter=unit.counter)
    db.session.add(kiosk)
    db.session.commit()
    return unit, kiosk.public_code


def load(page, url: str, action=None) -> list[tuple[str, int]]:
    """(url, bytes over the wire) of every response the page loads, with headers."""
    responses = []

    def collect(response):
        responses.append(response)

    page.on("response", collect)
    if action is None:
        page.goto(url)
    else:
        action()
    page.wait_for_load_state("networkidle")
    loaded = []
    for response in responses:
        sizes = response.request.sizes()
        loaded.append((response.url, sizes["responseHeadersSize"] + sizes["responseBodySize"]))
    page.remove_listener("response", collect)
    return loaded


def assert_light_and_local(loaded, live_server):
    host = urlsplit(live_server).netloc
    assert loaded, "the browser reported no response"
    assert [url for url, _size in loaded if urlsplit(url).netloc != host] == []
    total = sum(size for _url, size in loaded)
    print(f"page weight: {total} bytes over the wire in {len(loaded)} response(s)")
    assert total <= BUDGET_BYTES, f"{total} bytes: {loaded}"
    return total


@pytest.mark.parametrize("lang", ["id", "en"])
def test_form_weighs_at_most_30_kb_from_its_own_host(db, live_server, page, lang):
    unit, _kiosk = busy_unit(db)
    url = f"{live_server}/s/{unit.counter_code}?lang={lang}"
    loaded = load(page, url)
    assert_light_and_local(loaded, live_server)
    # The page and its own two files are all that is fetched: no font, image or favicon.
    fetched = [url for url, _size in loaded]
    assert fetched[0] == url and sorted(fetched[1:]) == [live_server + asset for asset in ASSETS]


def test_form_with_errors_and_kiosk_form_stay_within_budget(db, live_server, page):
    unit, kiosk_code = busy_unit(db)
    assert_light_and_local(load(page, f"{live_server}/s/{kiosk_code}"), live_server)
    page.goto(f"{live_server}/s/{unit.counter_code}")
    loaded = load(page, None, lambda: page.get_by_role("button", name="Kirim jawaban").click())
    assert page.get_by_role("alert").count() == 1
    assert_light_and_local(loaded, live_server)


def test_server_sends_nothing_but_the_page(app, db, live_server, page):
    """The server's own log of the page load: the page and its two files, no favicon or 404."""
    unit, _kiosk = busy_unit(db)
    served = []

    @app.after_request
    def record(response):
        served.append((request.path, response.status_code))
        return response

    page.goto(f"{live_server}/s/{unit.counter_code}")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert served[0] == (f"/s/{unit.counter_code}", 200)
    assert sorted(served[1:]) == [(asset, 200) for asset in ASSETS]
