"""Reading the portal's unit page back as a person would: its charts (the `<figure><img>` each
described by a table) decoded, their drawn positions turned into numbers through the chart's own
axis ticks (tests/admin/chart_reading.py), and compared with the table and the published JSON."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from base64 import b64decode

import pytest

from tests.admin.chart_reading import SVG, markers, scale, segments, ticks

DATA_SVG = "data:image/svg+xml;base64,"
# What the tables print: IKM and its interval to 2 decimals, NRR to 3, NRR intervals to 2; a
# printed number is within half its last digit of the published one (plus float noise).
IKM_PRINTED, NRR_PRINTED, NRR_INTERVAL_PRINTED = 0.0051, 0.00051, 0.0051
DRAWN = 1e-3  # drawn positions read back through the ticks: far finer than any printed digit


def described_charts(page) -> dict[str, ET.Element]:
    """{id of the describing table: parsed SVG} of every chart of the page; each chart is a
    data-URL SVG with a text alternative that points to one table present on the page."""
    out = {}
    images = page.locator("figure img")
    for i in range(images.count()):
        image = images.nth(i)
        src, target = image.get_attribute("src"), image.get_attribute("aria-describedby")
        assert src.startswith(DATA_SVG), src[:40]
        assert "tabel" in image.get_attribute("alt")  # the alt text sends the reader to the table
        assert page.locator(f"table#{target}").count() == 1, target
        assert target not in out
        out[target] = ET.fromstring(b64decode(src[len(DATA_SVG):]))
    return out


def interval(text: str) -> tuple[float, float]:
    low, high = text.split("–")
    return float(low), float(high)


def check_trend(svg: ET.Element, rows: list[list[str]], published: dict[str, dict]) -> None:
    """Each period of the table is a tick; each with an index a dot at its IKM and a bar over its
    interval, equal to the table's printed numbers and to the period's published JSON."""
    positions = dict(ticks(svg, "x"))
    assert list(positions) == [row[0] for row in rows]
    y = scale(svg, "y")
    drawn = [row for row in rows if row[2] != "–"]
    dots, bars = markers(svg, "points"), segments(svg, "intervals")
    assert len(dots) == len(bars) == len(drawn) >= 2
    for (period, _n, ikm, printed), (dot_x, dot_y), bar in zip(drawn, dots, bars, strict=True):
        index = published[period]["index"]
        assert dot_x == pytest.approx(positions[period], abs=DRAWN)
        ends = sorted([y(bar[1]), y(bar[3])])
        assert y(dot_y) == pytest.approx(float(ikm), abs=IKM_PRINTED), period
        assert ends == pytest.approx(list(interval(printed)), abs=IKM_PRINTED), period
        assert y(dot_y) == pytest.approx(index["ikm_exact"], abs=DRAWN), period
        assert ends == pytest.approx(index["ci95"], abs=DRAWN), period
        assert bar[0] == pytest.approx(dot_x, abs=DRAWN)  # the bar stands on its dot


def check_unsur(svg: ET.Element, rows: list[list[str]], unsur: list[dict]) -> None:
    """Each unsur of the table is a tick; its dot at its NRR, its bar over its interval, the
    weakest (lowest NRR) drawn apart and labelled, equal to the table and to the JSON."""
    codes = [row[0].split()[0] for row in rows]
    published = {item["code"]: item for item in unsur}
    assert codes == [item["code"] for item in unsur]
    positions = dict(ticks(svg, "y"))
    assert set(positions) == set(codes)
    x = scale(svg, "x")
    printed = {row[0].split()[0]: row for row in rows}
    weakest = min(codes, key=lambda code: float(printed[code][2]))
    drawn = {}
    for gid in ("points", "weakest"):
        for dot_x, dot_y in markers(svg, gid):
            [code] = [c for c, p in positions.items() if abs(p - dot_y) < DRAWN]
            drawn[code] = (x(dot_x), gid)
    assert set(drawn) == set(codes)
    for code, (value, gid) in drawn.items():
        assert value == pytest.approx(float(printed[code][2]), abs=NRR_PRINTED), code
        assert value == pytest.approx(published[code]["nrr"], abs=DRAWN), code
        assert (gid == "weakest") == (code == weakest), code
    labels = ["".join(text.itertext()) for text in svg.iter(f"{SVG}text")]
    assert "terendah" in labels
    bars = sorted(segments(svg, "intervals"), key=lambda bar: bar[1])  # y grows down: U1 first
    for code, bar in zip(codes, bars, strict=True):
        assert bar[1] == pytest.approx(positions[code], abs=DRAWN)
        ends = sorted([x(bar[0]), x(bar[2])])
        assert ends == pytest.approx(list(interval(printed[code][3])),
                                     abs=NRR_INTERVAL_PRINTED), code
        assert ends == pytest.approx(published[code]["ci95"], abs=DRAWN), code
