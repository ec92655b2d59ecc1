"""Reading QR codes back as a phone would: decode the pixels with ZXing, never trust our encoder.

PDF pages are rasterised with poppler's `pdftoppm` (Debian package poppler-utils); SVGs from
`qrcode`'s path factory are redrawn module by module from their path.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageDraw

PDFTOPPM = shutil.which("pdftoppm")
_MODULE = re.compile(r"M(\d+),(\d+)H(\d+)V(\d+)H(\d+)z")


def decode_image(image: Image.Image) -> list[str]:
    """Texts of every QR code ZXing finds in the image."""
    return [result.text for result in zxingcpp.read_barcodes(image.convert("L"),
                                                             formats=zxingcpp.BarcodeFormat.QRCode)]


def decode_png(data: bytes) -> list[str]:
    return decode_image(Image.open(io.BytesIO(data)))


def decode_svg(data: bytes, scale: int = 8) -> list[str]:
    """Redraw the SVG's unit squares (x, y, x+1, y+1) as pixels, then decode them."""
    text = data.decode()
    size = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', text)[1])
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    squares = _MODULE.findall(text)
    assert squares, "no modules found in the SVG path"
    for x, y, right, bottom, _left in squares:
        draw.rectangle([int(x) * scale, int(y) * scale,
                        int(right) * scale - 1, int(bottom) * scale - 1], fill=0)
    return decode_image(image)


def pdf_pages_as_images(pdf: Path, dpi: int = 100) -> list[Image.Image]:
    """Each page rendered by pdftoppm; fails (never skips) where poppler-utils is missing."""
    if PDFTOPPM is None:
        pytest.fail("pdftoppm is missing: run `make browser-deps` or, as root, "
                    "`apt-get install chromium poppler-utils`")
    prefix = pdf.with_suffix("")
    subprocess.run([PDFTOPPM, "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True)
    pages = sorted(pdf.parent.glob(prefix.name + "-*.png"),
                   key=lambda path: int(path.stem.rsplit("-", 1)[1]))
    images = []
    for path in pages:
        with Image.open(path) as image:  # read now: an unread page must not hold its file open
            images.append(image.copy())
    return images


def pdf_text(data: bytes) -> str:
    """The text drawn on the pages (fpdf2 writes `(...) Tj` in compressed content streams)."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            # Tolerant of a stream cut short: its compressed bytes may end in b"\r", which the
            # pattern takes for the line end (the stream then failed to decompress, by chance).
            chunks.append(zlib.decompressobj().decompress(stream))
        except zlib.error:
            chunks.append(stream)
    shown = re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", b"\n".join(chunks), re.S)
    return "\n".join(part.replace(b"\\(", b"(").replace(b"\\)", b")").decode("latin-1")
                     for part in shown)


def pdf_page_sizes(data: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of each page's MediaBox."""
    return [(float(w), float(h)) for w, h in
            re.findall(rb"/MediaBox\s*\[\s*0(?:\.0+)?\s+0(?:\.0+)?\s+([\d.]+)\s+([\d.]+)\s*\]", data)]


def pdf_page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
