"""No absolute link points to a host a client chose: a request for a Host outside TRUSTED_HOSTS
is refused with 400, and links are built from PUBLIC_BASE_URL (app/urls.py) when it is set."""
from __future__ import annotations

import base64
import re

import pytest

from app.config import LOOPBACK_HOSTS, trusted_hosts
from tests.qr.decode import decode_png, pdf_text
from tests.site_walk import build_site, get_paths, sign_in

EVIL = "evil.example"
PUBLIC = "https://survei.kupangkota.go.id"


def test_a_request_for_another_host_is_refused_everywhere(app, client, db):
    site = build_site(client, db)
    paths = get_paths(app, site)
    answers = [client.get(path, headers={"Host": EVIL}) for path in paths]
    answers.append(client.post("/api/v1/tickets", json={"touchpoint": site.counter_code},
                               headers={"Host": EVIL, "X-API-Key": site.api_key}))
    answers.append(client.post(f"/s/{site.counter_code}", data={}, headers={"Host": EVIL}))
    answers.append(client.get("/tidak-ada", headers={"Host": f"{EVIL}:5000"}))
    for path, answer in zip([*paths, "POST ticket", "POST form", "404"], answers):
        with answer:
            assert answer.status_code == 400, f"{path}: {answer.status_code}"
            assert EVIL.encode() not in answer.data, path
            assert all(EVIL not in value for _name, value in answer.headers), path
            assert "Content-Security-Policy" in answer.headers, path
    api_refusal = answers[len(paths)]
    assert api_refusal.json["error"] == "untrusted_host"
    # The names the site is reached by still work, with or without a port.
    for host in ("localhost", "localhost:5000", "127.0.0.1:8000"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host


def test_links_are_built_from_public_base_url_whatever_trusted_host_asked(app, client, db):
    """A second trusted name (an alias, an internal name) never leaks into a link."""
    alias = "alias.example"
    app.config.update(TRUSTED_HOSTS=["localhost", alias], PUBLIC_BASE_URL=PUBLIC + "/")
    site = build_site(client, db)
    sign_in(client, f"http://{alias}")  # the session cookie then belongs to the alias
    via_alias = {"base_url": f"http://{alias}", "headers": {"X-API-Key": site.api_key}}
    for path in get_paths(app, site):
        with client.get(path, **via_alias) as answer:
            assert answer.status_code == 200, path
            assert alias.encode() not in answer.data, path
            assert all(alias not in value for _name, value in answer.headers), path

    issued = client.post("/api/v1/tickets", json={"touchpoint": site.counter_code},
                         **via_alias)
    assert issued.status_code == 201
    token = issued.json["token"]
    link = f"{PUBLIC}/t/{token}"
    assert issued.json["url"] == link
    assert issued.json["print_url"] == f"{link}/cetak"
    assert issued.json["qr_png"] == f"{PUBLIC}/api/v1/tickets/{token}/qr.png"
    assert decode_png(client.get(f"/api/v1/tickets/{token}/qr.png", **via_alias).data) == [link]

    printed = client.get(f"/t/{token}/cetak", **via_alias).text
    qr = re.search(r'src="data:image/png;base64,([^"]+)"', printed).group(1)
    assert decode_png(base64.b64decode(qr)) == [link]
    assert link in printed

    survey = f"{PUBLIC}/s/{site.counter_code}"
    assert survey in client.get(f"/admin/unit/{site.unit_code}/kode", **via_alias).text
    png = client.get(f"/admin/unit/{site.unit_code}/kode/{site.touchpoint_id}/qr.png",
                     **via_alias)
    assert decode_png(png.data) == [survey]
    for poster in (f"/admin/unit/{site.unit_code}/poster.pdf",
                   f"/admin/unit/{site.unit_code}/kode/{site.touchpoint_id}/poster.pdf"):
        text = pdf_text(client.get(poster, **via_alias).data)
        assert survey in text and alias not in text, poster


def test_without_public_base_url_links_name_the_trusted_host_asked(client, db):
    site = build_site(client, db)
    issued = client.post("/api/v1/tickets", json={"touchpoint": site.counter_code},
                         headers={"Host": "127.0.0.1:5000", "X-API-Key": site.api_key})
    assert issued.json["url"] == f"http://127.0.0.1:5000/t/{issued.json['token']}"


@pytest.mark.parametrize(("listed", "base", "expected"), [
    ("survei.go.id, .kupangkota.go.id", "https://other.go.id", ["survei.go.id", ".kupangkota.go.id"]),
    (None, "https://survei.kupangkota.go.id/", ["survei.kupangkota.go.id"]),
    (None, "http://127.0.0.1:5000", ["127.0.0.1"]),
    ("", None, list(LOOPBACK_HOSTS)),
    (None, None, list(LOOPBACK_HOSTS)),
])
def test_trusted_hosts_default_to_the_public_host_or_this_machine(monkeypatch, listed, base,
                                                                   expected):
    if listed is None:
        monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    else:
        monkeypatch.setenv("TRUSTED_HOSTS", listed)
    assert trusted_hosts(base) == expected
