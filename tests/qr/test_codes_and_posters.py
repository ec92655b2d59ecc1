"""QR images and posters carry exactly the survey URL, as a phone's decoder reads it."""
from __future__ import annotations

import pytest

from surveys.exchange.posters import Poster, posters_pdf
from surveys.exchange.qr import InvalidBaseUrl, base_url, qr_png, qr_svg, survey_url
from tests.qr.decode import (
    decode_png,
    decode_svg,
    pdf_page_count,
    pdf_page_sizes,
    pdf_pages_as_images,
    decode_image,
    pdf_text,
)

MM_TO_PT = 72 / 25.4


@pytest.mark.parametrize("base", ["https://survei.kupangkota.go.id", "http://127.0.0.1:5000/",
                                  "https://pemda.go.id/suarawarga/"])
def test_png_and_svg_decode_to_the_absolute_survey_url(base):
    url = survey_url(base, "AbC123xyz_-Q")
    assert url == base.rstrip("/") + "/s/AbC123xyz_-Q"
    assert decode_png(qr_png(url)) == [url]
    assert decode_svg(qr_svg(url)) == [url]


@pytest.mark.parametrize("bad", ["", "survei.go.id", "ftp://x.go.id", "https://", "https://a b.id",
                                 "javascript:alert(1)"])
def test_base_url_must_be_absolute_http(bad):
    with pytest.raises(InvalidBaseUrl):
        base_url(bad)


@pytest.mark.parametrize(("size", "width_mm", "height_mm"), [("A4", 210, 297), ("A5", 148, 210)])
def test_poster_pages_say_where_how_and_the_typed_url(tmp_path, size, width_mm, height_mm):
    posters = [
        Poster("Dinas Kependudukan dan Pencatatan Sipil \u201cKupang\u201d", "Loket 1 \u2013 KTP-el",
               "https://survei.kupangkota.go.id/s/AbC123xyz"),
        Poster("Dinas Kependudukan dan Pencatatan Sipil", "Loket 2", "https://survei.kupangkota.go.id/s/QrS456uvw"),
    ]
    pdf = posters_pdf(posters, size)
    assert pdf.startswith(b"%PDF-")
    assert pdf_page_count(pdf) == 2
    for width, height in pdf_page_sizes(pdf):
        assert width == pytest.approx(width_mm * MM_TO_PT, abs=1)
        assert height == pytest.approx(height_mm * MM_TO_PT, abs=1)
    text = pdf_text(pdf)
    assert 'Loket 1 - KTP-el' in text  # typographic dash folded for the core font
    assert "Pindai kode ini dengan kamera ponsel Anda" in text
    assert "kurang dari satu menit" in text and "anonim" in text
    assert "https://survei.kupangkota.go.id/s/AbC123xyz" in text
    assert b"/FontFile" not in pdf  # core fonts only: nothing embedded, nothing fetched

    path = tmp_path / f"poster-{size}.pdf"
    path.write_bytes(pdf)
    decoded = [decode_image(page) for page in pdf_pages_as_images(path)]
    assert decoded == [[poster.url] for poster in posters]


def test_poster_refuses_unknown_size_and_empty_list():
    poster = Poster("U", "L", "https://x.id/s/a")
    with pytest.raises(ValueError):
        posters_pdf([poster], "Letter")
    with pytest.raises(ValueError):
        posters_pdf([], "A4")
