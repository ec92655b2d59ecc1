"""What the printed documents share (the evaluation record, the SKM report): A4 pages in core
fonts only (no font file, no network), text folded to Latin-1 as the posters do, headings,
paragraphs, label–value pairs and number formats."""
from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import XPos, YPos

MARGIN = 15
_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                       "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u00a0": " ",
                       "\u2265": ">=", "\u2264": "<="})


def latin1(text) -> str:
    return str(text).translate(_FOLD).encode("latin-1", "replace").decode("latin-1")


def fixed(value, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def pair_text(pair, digits: int = 1) -> str:
    return "-" if not pair else f"{pair[0]:.{digits}f}-{pair[1]:.{digits}f}"


class A4Document(FPDF):
    """Pages with the shared text helpers; a document adds its own footer."""

    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_font("Helvetica", style="B", size=11)
        self.multi_cell(0, 6, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Helvetica", size=9)

    def line_text(self, text: str, bold: bool = False, size: float = 9) -> None:
        self.set_font("Helvetica", style="B" if bold else "", size=size)
        self.multi_cell(0, 4.6, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Helvetica", size=9)

    def pair(self, label: str, value) -> None:
        self.set_font("Helvetica", style="B", size=9)
        self.cell(55, 4.6, latin1(label))
        self.set_font("Helvetica", size=9)
        self.multi_cell(0, 4.6, latin1(value if value not in (None, "") else "-"),
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
