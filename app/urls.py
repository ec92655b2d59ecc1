"""Absolute links (ticket URLs, QR codes, posters) from `PUBLIC_BASE_URL`, never from a Host
header a client chose: without it, the request's own root, whose Host passed `TRUSTED_HOSTS`."""
from __future__ import annotations

from flask import current_app, request, url_for

from surveys.exchange.qr import InvalidBaseUrl, base_url


def public_base() -> str:
    """Where citizens reach this site, without a trailing slash."""
    try:
        return base_url(current_app.config.get("PUBLIC_BASE_URL") or request.url_root)
    except InvalidBaseUrl:
        return base_url(request.url_root)


def public_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint`, as `url_for(..., _external=True)` but on `public_base()`."""
    return public_base() + url_for(endpoint, **values).removeprefix(request.script_root)
