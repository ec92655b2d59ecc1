"""Reading an SKM report back: its text as pdftotext lays it out, its pages as images."""
from __future__ import annotations

from PIL import ImageStat

from tests.evaluations.pages import pdf_text
from tests.qr.decode import pdf_pages_as_images

CHAPTERS = ("BAB I PENDAHULUAN", "BAB II PENGUMPULAN DATA SURVEI",
            "BAB III HASIL PENGOLAHAN DATA SURVEI", "BAB IV ANALISIS HASIL SURVEI",
            "BAB V RENCANA TINDAK LANJUT", "LAMPIRAN KUESIONER SURVEI KEPUASAN MASYARAKAT")


def report_text(data: bytes, tmp_path) -> str:
    assert data.startswith(b"%PDF-"), data[:40]
    return pdf_text(data, tmp_path)


def lines_of(text: str) -> list[str]:
    """The text's lines, whitespace folded (pdftotext -layout pads columns with spaces)."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def inked_pages(data: bytes, tmp_path, pages: tuple[int, ...]) -> list:
    """The given pages (0-based) rendered by pdftoppm, each asserted to carry ink: a blank page
    is one colour; text makes a good share of its pixels dark."""
    path = tmp_path / "laporan.pdf"
    path.write_bytes(data)
    images = pdf_pages_as_images(path)
    chosen = [images[number] for number in pages]
    for number, image in zip(pages, chosen):
        grey = image.convert("L")
        low, high = grey.getextrema()
        dark = sum(grey.histogram()[:128])
        assert high - low > 200 and dark > 2000, f"page {number + 1} looks blank"
        assert ImageStat.Stat(grey).mean[0] > 180, f"page {number + 1} is not mostly paper"
    return chosen
