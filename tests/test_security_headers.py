"""Every answer of the app carries the security baseline (flask-talisman, app/__init__.py): a
Content-Security-Policy that allows no inline code, no framing, nosniff, a referrer policy, HSTS
only over HTTPS; cookies HttpOnly, SameSite=Lax, Secure over HTTPS. No template holds inline
script or style, so the policy never needs 'unsafe-inline'."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import create_app
from surveys.db import db as handle
from tests.factories import make_unit
from tests.site_walk import build_site, get_paths, sign_in

TEMPLATES = Path(__file__).resolve().parents[1] / "app" / "templates"
EXPECTED_CSP = {
    "default-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def policy(header: str) -> dict[str, set[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def assert_baseline(response, *, https: bool) -> None:
    where = f"{response.request.path} ({response.status_code})"
    csp = response.headers.get("Content-Security-Policy")
    assert csp, f"{where}: no Content-Security-Policy"
    assert policy(csp) == EXPECTED_CSP, f"{where}: {csp}"
    assert "unsafe" not in csp
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", where
    hsts = response.headers.get("Strict-Transport-Security")
    if https:
        assert hsts and re.match(r"max-age=\d{7,}", hsts), f"{where}: {hsts}"
    else:
        assert hsts is None, f"{where}: HSTS over plain http"


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_every_get_route_answers_with_the_security_headers(app, client, db, scheme):
    site = build_site(client, db)
    base = f"{scheme}://localhost"
    if scheme == "https":
        sign_in(client, base)
    paths = get_paths(app, site)
    assert len(paths) >= 17  # every route, both QR formats, every static file
    for path in paths:  # the unit's API key opens the API's keyed GETs; other pages ignore it
        with client.get(path, base_url=base, headers={"X-API-Key": site.api_key}) as response:
            assert response.status_code == 200, f"{path}: {response.status_code}"
            assert_baseline(response, https=scheme == "https")
    for path in ("/tidak-ada", "/api/v1/tidak-ada", "/admin/unit/tidak-ada"):
        with client.get(path, base_url=base) as response:
            assert response.status_code == 404, path
            assert_baseline(response, https=scheme == "https")
    # Answers to other methods and refusals too: a form without its token, a bad API call.
    with client.post(f"/s/{site.counter_code}", data={}, base_url=base) as refused:
        assert 400 <= refused.status_code < 500
        assert_baseline(refused, https=scheme == "https")
    with client.post("/api/v1/tickets", json={}, base_url=base) as refused:
        assert refused.status_code == 401
        assert_baseline(refused, https=scheme == "https")


def cookies(response) -> dict[str, str]:
    """Set-Cookie headers by cookie name, each the whole header value."""
    return {value.split("=", 1)[0]: value for value in response.headers.getlist("Set-Cookie")}


def flags(header: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}


def test_cookies_are_http_only_lax_and_secure_over_https(app, db):
    code = make_unit(db.session).counter_code
    for base, secure in (("http://localhost", False), ("https://localhost", True)):
        client = app.test_client()  # a new visitor: every cookie is set afresh
        set_cookies = cookies(client.get(f"/s/{code}?lang=en", base_url=base))
        login = client.get("/auth/masuk", base_url=base)
        set_cookies.update(cookies(login))
        assert {"sw_perangkat", "lang", "session"} <= set(set_cookies), set_cookies
        for name in ("sw_perangkat", "session"):
            assert {"httponly", "samesite"} <= flags(set_cookies[name]), set_cookies[name]
            assert "SameSite=Lax" in set_cookies[name]
        for name in ("sw_perangkat", "lang"):
            assert ("secure" in flags(set_cookies[name])) is secure, (base, set_cookies[name])


def test_a_site_served_over_https_sends_its_session_cookie_only_over_https(
        database_url, monkeypatch, db):
    """PUBLIC_BASE_URL https://... makes the session cookie Secure (SESSION_COOKIE_SECURE);
    plain http is still served, not redirected, unless FORCE_HTTPS is on."""
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://survei.kupangkota.go.id")
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret"}
    served = create_app(config)
    assert served.config["SESSION_COOKIE_SECURE"] is True
    assert served.config["PREFERRED_URL_SCHEME"] == "https"
    client = served.test_client()
    login = client.get("/auth/masuk", base_url="https://survei.kupangkota.go.id")
    assert "secure" in flags(cookies(login)["session"])
    assert client.get("/auth/masuk", base_url="http://survei.kupangkota.go.id").status_code == 200

    monkeypatch.setenv("FORCE_HTTPS", "1")
    forced = create_app(config)
    redirected = forced.test_client().get("/auth/masuk", base_url="http://survei.kupangkota.go.id")
    assert redirected.status_code == 302
    assert redirected.headers["Location"] == "https://survei.kupangkota.go.id/auth/masuk"
    for made in (served, forced):
        with made.app_context():
            handle.engine.dispose()


def test_plain_http_is_served_by_default(client):
    """`make run` serves http on 127.0.0.1: no redirect to https, no Secure session cookie."""
    answer = client.get("/auth/masuk")
    assert answer.status_code == 200
    assert "secure" not in flags(cookies(answer)["session"])


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"javascript:", re.I)


def test_no_template_holds_inline_script_or_style():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 10
    found = []
    for template in templates:
        text = template.read_text()
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER, JAVASCRIPT_URL):
            found += [f"{template.relative_to(TEMPLATES)}: {match.group(0)!r}"
                      for match in pattern.finditer(text)]
    assert found == []


def test_the_template_check_finds_inline_code():
    """The patterns above do catch what they are meant to catch."""
    assert INLINE_SCRIPT.search('<script>alert(1)</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/survey.js"></script>')
    assert INLINE_STYLE.search('<p style="color:red">') and INLINE_STYLE.search("<style>p{}</style>")
    assert EVENT_HANDLER.search('<button onclick="go()">')
