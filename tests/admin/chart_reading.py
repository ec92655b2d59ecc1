"""Reading the dashboard back as a person would: each chart's drawn positions turned into numbers
through its own axis ticks, and each data table's cells, so a test can compare the two."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from base64 import b64decode
from html import unescape

SVG = "{http://www.w3.org/2000/svg}"
IMAGE = re.compile(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)"')


def charts(html: str) -> list[tuple[str, ET.Element]]:
    """(alt text, parsed SVG) of every chart image of the page, in page order."""
    return [(unescape(alt), ET.fromstring(b64decode(data))) for data, alt in IMAGE.findall(html)]


def table(html: str, table_id: str) -> list[list[str]]:
    """The body rows of a table as lists of cell texts (tags stripped, spaces collapsed)."""
    body = re.search(rf'<table id="{table_id}">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return rows


def _group(svg: ET.Element, gid: str) -> ET.Element:
    found = [g for g in svg.iter(f"{SVG}g") if g.get("id") == gid]
    assert len(found) == 1, f"the chart has {len(found)} groups {gid!r}"
    return found[0]


def markers(svg: ET.Element, gid: str) -> list[tuple[float, float]]:
    """Drawn positions (x, y) of the markers of the series `gid`."""
    return [(float(use.get("x")), float(use.get("y"))) for use in _group(svg, gid).iter(f"{SVG}use")]


def segments(svg: ET.Element, gid: str) -> list[tuple[float, float, float, float]]:
    """(x1, y1, x2, y2) of each straight segment of the collection `gid`."""
    out = []
    for path in _group(svg, gid).iter(f"{SVG}path"):
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
        out.append(tuple(numbers[:4]))
    return out


def ticks(svg: ET.Element, axis: str) -> list[tuple[str, float]]:
    """(label, drawn position) of each tick of axis "x" or "y"."""
    out = []
    for group in svg.iter(f"{SVG}g"):
        if re.fullmatch(rf"{axis}tick_\d+", group.get("id") or ""):
            use = next(group.iter(f"{SVG}use"))
            text = "".join(next(group.iter(f"{SVG}text")).itertext()).strip()
            out.append((text, float(use.get("x" if axis == "x" else "y"))))
    return out


def scale(svg: ET.Element, axis: str):
    """The data value at a drawn position, from the axis' numeric tick labels (a linear axis)."""
    points = [(float(label.replace("\u2212", "-")), position) for label, position in ticks(svg, axis)]
    (v1, p1), (v2, p2) = points[0], points[-1]
    return lambda position: v1 + (position - p1) * (v2 - v1) / (p2 - p1)


def number(text: str) -> float:
    return float(text.replace("±", "").replace("+", "").strip())
