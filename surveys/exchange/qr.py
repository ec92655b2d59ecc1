"""QR codes of touchpoints as PNG and SVG, and the absolute survey URL they carry.

The URL is absolute (`https://host/s/<public_code>`) because a phone camera opens exactly what
the code holds. Error correction level M survives a smudged or slightly torn poster.
"""
from __future__ import annotations

import io
import re

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M

from surveys.errors import InvalidBaseUrl

QUIET_ZONE = 4  # modules of white border the QR standard asks for
_BASE_URL = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")


def base_url(url: str) -> str:
    """`url` without a trailing slash, refused unless it is an absolute http(s) address."""
    cleaned = (url or "").strip().rstrip("/")
    if not _BASE_URL.match(cleaned):
        raise InvalidBaseUrl(url)
    return cleaned


def survey_url(base: str, public_code: str) -> str:
    """The absolute survey URL of a touchpoint: `<base>/s/<public_code>`."""
    return f"{base_url(base)}/s/{public_code}"


def _code(data: str, box_size: int = 10) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_matrix(data: str) -> list[list[bool]]:
    """The modules of the code (True = dark), quiet zone included; posters draw it as vectors."""
    return _code(data).get_matrix()


def qr_png(data: str, box_size: int = 10) -> bytes:
    """A black-on-white PNG, `box_size` pixels per module."""
    buffer = io.BytesIO()
    _code(data, box_size).make_image().save(buffer)
    return buffer.getvalue()


def qr_svg(data: str) -> bytes:
    """A scalable SVG (one path, one unit per module), for print shops and signage."""
    buffer = io.BytesIO()
    _code(data).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue()
