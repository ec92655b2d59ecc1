"""Printable QR posters (PDF, A4 or A5) for counters: one page per touchpoint.

The QR code is drawn as vector rectangles, so it stays sharp at any print size. Text uses the PDF
core fonts (Helvetica, Courier), which every PDF reader has: no font file, no network. The core
fonts cover Latin-1 only, so typographic quotes and dashes are folded to ASCII first.
"""
from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from surveys.exchange.qr import qr_matrix

SIZES = ("A4", "A5")
# ISO 216 sizes in millimetres, given as numbers (fpdf2 warns on the name "A5").
_PAPER_MM = {"A4": (210, 297), "A5": (148, 210)}

# Per paper size: margin and QR side in millimetres, font sizes in points.
_LAYOUT = {
    "A4": {"margin": 18, "qr": 140, "title": 26, "subtitle": 18, "body": 14, "url": 15},
    "A5": {"margin": 12, "qr": 96, "title": 18, "subtitle": 13, "body": 10, "url": 10.5},
}
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    "\u2026": "...", "\u00a0": " ",
})

HEADLINE = "Bagaimana pelayanan kami hari ini?"
INSTRUCTIONS = (
    "Pindai kode ini dengan kamera ponsel Anda, lalu isi Survei Kepuasan Masyarakat.",
    "Hanya perlu kurang dari satu menit. Tanpa nama: jawaban Anda anonim.",
)
FALLBACK = "Tidak bisa memindai? Ketik alamat ini di peramban:"
FOOTER = "Suara Warga - Survei Kepuasan Masyarakat (PermenPANRB 14/2017)"


@dataclass(frozen=True)
class Poster:
    """What one poster says: where it hangs and the survey URL its code carries."""

    unit_name: str
    place: str  # e.g. the counter's name
    url: str


def _latin1(text: str) -> str:
    """Text the core fonts can draw: typographic marks folded to ASCII, anything else to '?'."""
    return text.translate(_FOLD).encode("latin-1", "replace").decode("latin-1")


def _draw_qr(pdf: FPDF, url: str, x: float, y: float, side: float) -> None:
    """The code as filled rectangles, one per horizontal run of dark modules."""
    matrix = qr_matrix(url)
    module = side / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(matrix):
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            # A hair of overlap keeps viewers from drawing white seams between modules.
            pdf.rect(x + start * module, y + row_index * module,
                     (column - start) * module + 0.02, module + 0.02, style="F")


def _page(pdf: FPDF, poster: Poster, size: str) -> None:
    layout = _LAYOUT[size]
    margin = layout["margin"]
    pdf.add_page()
    width = pdf.w - 2 * margin
    pdf.set_xy(margin, margin)
    pdf.set_font("Helvetica", style="B", size=layout["title"])
    pdf.multi_cell(width, layout["title"] * 0.45, _latin1(poster.unit_name), align="C",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(margin)
    pdf.set_font("Helvetica", style="B", size=layout["subtitle"])
    pdf.multi_cell(width, layout["subtitle"] * 0.5, _latin1(poster.place), align="C",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(layout["body"] * 0.4)
    pdf.set_x(margin)
    pdf.set_font("Helvetica", style="B", size=layout["body"] + 2)
    pdf.multi_cell(width, layout["body"] * 0.5, HEADLINE, align="C",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=layout["body"])
    for line in INSTRUCTIONS:
        pdf.set_x(margin)
        pdf.multi_cell(width, layout["body"] * 0.5, line, align="C",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    top = pdf.get_y() + layout["body"] * 0.4
    side = layout["qr"]
    _draw_qr(pdf, poster.url, (pdf.w - side) / 2, top, side)
    pdf.set_xy(margin, top + side + layout["body"] * 0.3)
    pdf.set_font("Helvetica", size=layout["body"])
    pdf.multi_cell(width, layout["body"] * 0.5, FALLBACK, align="C",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(margin)
    pdf.set_font("Courier", style="B", size=layout["url"])
    pdf.multi_cell(width, layout["url"] * 0.5, _latin1(poster.url), align="C", link=poster.url,
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_xy(margin, pdf.h - margin)
    pdf.set_font("Helvetica", size=layout["body"] * 0.7)
    pdf.cell(width, layout["body"] * 0.3, FOOTER, align="C")


def posters_pdf(posters: list[Poster], size: str = "A4", title: str = "Poster QR") -> bytes:
    """One PDF with a page per poster. Raises ValueError for an unknown size or no posters."""
    if size not in SIZES:
        raise ValueError(f"unknown paper size {size!r}; use A4 or A5")
    if not posters:
        raise ValueError("no posters to print")
    pdf = FPDF(orientation="portrait", unit="mm", format=_PAPER_MM[size])
    pdf.set_auto_page_break(False)
    pdf.set_margins(_LAYOUT[size]["margin"], _LAYOUT[size]["margin"])
    pdf.set_title(_latin1(title))
    pdf.set_creator("Suara Warga")
    for poster in posters:
        _page(pdf, poster, size)
    return bytes(pdf.output())
