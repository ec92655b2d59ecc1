"""The transparency portal in headless Chromium on the demo (issue 14, must-show 1): the index and
unit pages render (full-page screenshots kept in test-artifacts/portal/), each chart's drawn
numbers equal the table it points to and the unit's published JSON, the pages work with
JavaScript off (same tables, the period form, the links), each weighs under 150 KB over the wire
with nothing from another host, and the index's and unit page's figures are the published ones."""
from __future__ import annotations

import math
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from scipy import stats

from surveys.demo.truth import UNITS
from tests.admin.chart_reading import table
from tests.admin.test_dashboard import demo  # noqa: F401 (fixture: the demo on 2026-11-23)
from tests.browser.portal_reading import check_trend, check_unsur, described_charts
from tests.browser.test_page_weight import load

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "portal"
BUDGET_BYTES = 150 * 1024
SHOWN = ("kupang-dukcapil", "kupang-dishub")  # the corrected unit, and one below its target
LATEST, PREVIOUS, DRAFT = "2026-Q3", "2026-Q2", "2026-Q4"  # the demo's publications
PERIOD_LABEL = "Periode (contoh 2026-Q3)"


def backend(database_url: str) -> str:
    return database_url.split(":")[0].split("+")[0]


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def published(page, base: str, code: str, period: str) -> dict:
    """The unit's published JSON download for the period (its current version)."""
    answer = page.context.request.get(f"{base}/unit/{code}/{period}.json")
    assert answer.ok, (code, period, answer.status)
    return answer.json()


def words(text: str) -> str:
    return " ".join(text.split())


def test_unit_pages_charts_read_as_their_tables_and_the_published_json(db, demo, live_server,
                                                                     page, database_url):
    page.goto(live_server + "/")
    assert page.locator("section.unit").count() == len(UNITS)
    shot(page, f"{backend(database_url)}-index")
    for code in SHOWN:
        page.goto(f"{live_server}/unit/{code}")
        shot(page, f"{backend(database_url)}-unit-{code}")
        files = {period: published(page, live_server, code, period)
                 for period in (PREVIOUS, LATEST)}
        snapshot = files[LATEST]["snapshot"]
        html = page.content()
        charts = described_charts(page)
        assert set(charts) == {"tren", "per-unsur"}, code
        trend, unsur = table(html, "tren"), table(html, "per-unsur")
        check_trend(charts["tren"], trend, {p: f["snapshot"] for p, f in files.items()})
        check_unsur(charts["per-unsur"], unsur, snapshot["index"]["unsur"])

        # The tables are the published JSON, printed.
        assert [row[0] for row in trend] == [PREVIOUS, LATEST]
        for period, n, ikm, interval in trend:
            figures = files[period]["snapshot"]
            assert int(n) == figures["respondents"]
            assert ikm == f"{figures['index']['ikm']:.2f}"
            low, high = figures["index"]["ci95"]
            assert interval == f"{low:.2f}–{high:.2f}"
        for (name, n, nrr, interval), item in zip(unsur, snapshot["index"]["unsur"], strict=True):
            assert name.split()[0] == item["code"] and int(n) == item["n"]
            assert float(nrr) == pytest.approx(item["nrr"], abs=5e-4)
            assert interval == "{:.2f}–{:.2f}".format(*item["ci95"])
        # IKM = 25 × the mean of the nine NRR (PermenPANRB 14/2017), from the printed table:
        # each NRR printed to 3 decimals moves the mean by at most 0.0005.
        nrr = [float(row[2]) for row in unsur]
        assert len(nrr) == 9
        assert 25 * sum(nrr) / 9 == pytest.approx(snapshot["index"]["ikm_exact"], abs=0.0125)
        index = snapshot["index"]
        assert words(page.locator("#ikm").inner_text()) == \
            f"{index['ikm']:.2f} · {index['grade']} · {index['kinerja']}"
        assert words(page.locator("#responden").inner_text()) == (
            f"Jumlah responden: {snapshot['respondents']} · sampel minimal (Krejcie–Morgan) "
            f"{snapshot['target']} dari {snapshot['population']} pengguna layanan")
        below = snapshot["respondents"] < snapshot["target"]
        assert snapshot["below_target"] is below
        assert page.locator("#mutu-data").count() == int(below), code
    assert page.locator("#mutu-data").count() == 1  # Dishub: below its Krejcie–Morgan target


def main_text(page) -> str:
    return page.locator("main").inner_text()


def test_the_portal_works_without_javascript(db, demo, live_server, browser, page,
                                             database_url):
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    plain = context.new_page()
    for path in ("/", *(f"/unit/{code}" for code in SHOWN)):
        page.goto(live_server + path)
        plain.goto(live_server + path)
        name = "index" if path == "/" else path.strip("/").replace("/", "-")
        shot(plain, f"{backend(database_url)}-tanpa-js-{name}")
        assert main_text(plain) == main_text(page), path  # the whole page, JavaScript or not
        tables = plain.locator("table").all_inner_texts()
        assert tables == page.locator("table").all_inner_texts()
        assert path == "/" or len(tables) >= 5, tables
        images = plain.locator("figure img")
        assert images.count() == (0 if path == "/" else 2), path
        for i in range(images.count()):
            assert images.nth(i).evaluate("image => image.naturalWidth") > 0  # drawn

    code = SHOWN[0]
    plain.goto(f"{live_server}/unit/{code}")
    before = published(plain, live_server, code, PREVIOUS)["snapshot"]
    plain.get_by_label(PERIOD_LABEL).fill(PREVIOUS)
    plain.get_by_role("button", name="Tampilkan").click()
    assert plain.url == f"{live_server}/unit/{code}?periode={PREVIOUS}"
    assert f"Periode {PREVIOUS}" in plain.locator("main p").first.inner_text()
    assert plain.locator("#ikm").inner_text().startswith(f"{before['index']['ikm']:.2f} · ")
    assert plain.get_by_label(PERIOD_LABEL).input_value() == PREVIOUS
    assert "Belum ada periode sebelumnya yang diterbitkan." in \
        plain.locator("#perubahan").inner_text()
    assert plain.locator("#tren").count() == 0  # a single published period so far: no trend
    plain.get_by_label(PERIOD_LABEL).fill(DRAFT)  # in its review window: not public yet
    plain.get_by_role("button", name="Tampilkan").click()
    assert plain.url.endswith(f"?periode={DRAFT}")
    assert "Tidak ada data." in plain.locator("#tidak-ada-data").inner_text()
    assert plain.locator("#ikm").count() == 0

    # The links: a published period, the corrected version and back, the downloads.
    plain.get_by_role("link", name=LATEST, exact=True).click()
    assert plain.url.endswith(f"?periode={LATEST}")
    latest = published(plain, live_server, code, LATEST)
    assert plain.locator("#ikm").inner_text().startswith(
        f"{latest['snapshot']['index']['ikm']:.2f} · ")
    plain.locator("#versi").get_by_role("link", name="1", exact=True).click()
    assert urlsplit(plain.url).path == f"/unit/{code}/versi/1"
    assert "Versi 1 sudah dikoreksi." in plain.get_by_role("status").first.inner_text()
    plain.get_by_role("link", name="Lihat versi yang berlaku (versi 2).").click()
    assert plain.url.endswith(f"/unit/{code}?periode={LATEST}")
    with plain.expect_download() as download:
        plain.get_by_role("link", name="JSON", exact=True).click()
    assert Path(download.value.path()).read_text(encoding="utf-8") == \
        plain.context.request.get(f"{live_server}/unit/{code}/{LATEST}.json").text()
    with plain.expect_download() as download:
        plain.get_by_role("link", name="CSV", exact=True).click()
    assert download.value.suggested_filename == f"ikm-{code}-{LATEST}-v2.csv"

    plain.goto(live_server + "/")
    other = next(unit for unit in UNITS if unit.code == SHOWN[1])
    plain.locator(f"#unit-{other.code} h2 a").click()
    assert urlsplit(plain.url).path == f"/unit/{other.code}"
    assert plain.locator("#ikm").count() == 1

    # Every other link of both pages answers (a fresh context: ?lang=en changes nobody's tab).
    checker = browser.new_context(java_script_enabled=False).request
    for path in ("/", f"/unit/{code}"):
        plain.goto(live_server + path)
        hrefs = {a.get_attribute("href") for a in plain.locator("a[href]").all()}
        assert all(not urlsplit(href).netloc for href in hrefs), hrefs  # nothing off-site
        for href in sorted(hrefs):
            answer = checker.get(urljoin(live_server + path, href))
            assert answer.status == 200, (path, href, answer.status)
    context.close()


def test_each_portal_page_weighs_under_150_kb_from_its_own_host(db, demo, live_server, browser):
    host = urlsplit(live_server).netloc
    for path in ("/", *(f"/unit/{unit.code}" for unit in UNITS)):
        url = live_server + path
        context = browser.new_context(locale="id-ID")  # a first visit: nothing cached
        page = context.new_page()
        loaded = load(page, url)
        assert [u for u, _size in loaded if urlsplit(u).netloc != host] == [], path
        assert [u for u, _size in loaded] == [url, f"{live_server}/static/site.css"], loaded
        total = sum(size for _u, size in loaded)
        print(f"{path}: {total} bytes over the wire")
        assert total < BUDGET_BYTES, f"{path}: {total} bytes"
        assert page.locator("script").count() == 0, path
        context.close()


CHANGE = re.compile(r"IKM (\d+\.\d\d) \((\S+)\) → (\d+\.\d\d) \((\S+)\): berubah ([+-]\d+\.\d\d) "
                    r"poin, interval 95% perubahan ([+-]\d+\.\d\d) sampai ([+-]\d+\.\d\d)\. .*"
                    r"\(p = (\d\.\d{3})\).*")


def welch(a: dict, b: dict) -> tuple[float, float, float, float]:
    """b − a of two published indices with its 95% Welch–Satterthwaite interval and p."""
    (ma, sa, na), (mb, sb, nb) = ((s["index"]["ikm_exact"], s["index"]["se"], s["respondents"])
                                  for s in (a, b))
    se = math.hypot(sa, sb)
    df = se**4 / (sa**4 / (na - 1) + sb**4 / (nb - 1))
    half = stats.t.ppf(0.975, df) * se
    difference = mb - ma
    p = 2 * stats.t.sf(abs(difference) / se, df)
    return difference, difference - half, difference + half, p


def test_the_index_lists_every_unit_with_its_latest_published_figures_and_each_unit_its_change(
        db, demo, live_server, page):
    api = page.context.request.get(f"{live_server}/api/v1/public/units").json()["units"]
    assert sorted(unit["code"] for unit in api) == sorted(unit.code for unit in UNITS)
    page.goto(live_server + "/")
    for unit in api:
        latest, code = unit["latest"], unit["code"]
        assert latest["period"] == LATEST  # Q4 is only a draft in its review window
        files = {period: published(page, live_server, code, period)
                 for period in (PREVIOUS, LATEST)}
        snapshot = files[LATEST]["snapshot"]
        assert latest["version"] == files[LATEST]["publikasi"]["versi"] == \
            (2 if code == "kupang-dukcapil" else 1)
        for key in ("respondents", "target", "below_target"):
            assert latest[key] == snapshot[key], (code, key)
        for key in ("ikm", "ikm_exact", "ci95", "mutu", "grade", "caution"):
            assert latest["index"][key] == snapshot["index"][key], (code, key)

        section = page.locator(f"#unit-{code}")
        assert section.locator("h2").inner_text() == unit["name"]
        index = latest["index"]
        assert words(section.locator(".ikm-line").inner_text()) == (
            f"{LATEST}: IKM {index['ikm']:.2f} ({index['ci95'][0]:.2f}–{index['ci95'][1]:.2f}) "
            f"· mutu {index['grade']} · n = {latest['respondents']} dari sampel minimal "
            f"{latest['target']}")
        assert index["grade"].startswith(index["mutu"] + " (")  # the grade with its certainty
        assert latest["below_target"] is (latest["respondents"] < latest["target"])
        flagged = section.get_by_text("Catatan mutu data").count()
        assert flagged == int(latest["below_target"]), code
        assert section.locator(".trend").inner_text().strip().endswith(
            f"Tren: {PREVIOUS} {files[PREVIOUS]['snapshot']['index']['ikm']:.2f} → "
            f"{LATEST} {index['ikm']:.2f}")
    assert page.get_by_text("Catatan mutu data").count() == 1  # the demo has Dishub below target

    for unit in api:
        code = unit["code"]
        before, after = (published(page, live_server, code, period)["snapshot"]
                         for period in (PREVIOUS, LATEST))
        page.goto(f"{live_server}/unit/{code}")
        change = words(page.locator("#perubahan p").first.inner_text())
        found = CHANGE.fullmatch(change)
        assert found, change
        difference, low, high, p = welch(before, after)
        assert found.groups()[:4] == (f"{before['index']['ikm']:.2f}", PREVIOUS,
                                      f"{after['index']['ikm']:.2f}", LATEST), code
        shown = [float(value) for value in found.groups()[4:]]
        assert shown == pytest.approx([difference, low, high, p], abs=0.0051), code
        noise = "tidak-bermakna" if p >= 0.05 else "bermakna"
        assert page.locator(f"#perubahan strong#{noise}").count() == 1, code
