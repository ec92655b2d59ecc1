"""Chunked request bodies through a real gunicorn: one longer than MAX_CONTENT_LENGTH (64 KiB)
is refused whole with 413, JSON under /api/, instead of being cut at 64 KiB and read as the
whole body; one within the limit is read in full."""
from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest

from surveys.models import UnitApiKey
from tests.factories import make_unit

LIMIT = 64 * 1024


@pytest.fixture
def api_key(db) -> tuple[str, str]:
    unit = make_unit(db.session)
    key, plain = UnitApiKey.issue(unit.unit, "Mesin antrean")
    db.session.add(key)
    db.session.commit()
    return plain, unit.counter_code


def send_chunked(base_url: str, path: str, body: bytes, headers: dict[str, str]):
    """POSTs `body` in 8 KiB chunks (Transfer-Encoding: chunked, no Content-Length)."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        chunks = (body[start:start + 8192] for start in range(0, len(body), 8192))
        connection.request("POST", path, body=chunks, encode_chunked=True,
                           headers={**headers, "Transfer-Encoding": "chunked"})
        reply = connection.getresponse()
        return reply.status, reply.getheader("Content-Type", ""), reply.read()
    finally:
        connection.close()


def ticket_body(code: str, size: int) -> bytes:
    """A valid ticket request padded with JSON whitespace to exactly `size` bytes."""
    body = json.dumps({"touchpoint": code}).encode()
    return body[:-1] + b" " * (size - len(body)) + b"}"


def test_chunked_bodies_over_the_limit_are_413_and_within_it_are_read_whole(gunicorn_server,
                                                                            api_key):
    base_url, _backend = gunicorn_server
    plain, code = api_key
    headers = {"X-API-Key": plain, "Content-Type": "application/json"}
    for size in (200, LIMIT):  # read in full: a ticket is issued
        status, _type, content = send_chunked(base_url, "/api/v1/tickets",
                                              ticket_body(code, size), headers)
        assert status == 201, (size, content[:200])
    for size in (LIMIT + 1, 100_000, 1_000_000):
        status, content_type, content = send_chunked(base_url, "/api/v1/tickets",
                                                     ticket_body(code, size), headers)
        assert status == 413, (size, status, content[:200])
        assert content_type.startswith("application/json")
        assert json.loads(content)["error"] == "request_entity_too_large"


def test_a_chunked_form_over_the_limit_is_413_not_a_cut_form(gunicorn_server):
    base_url, _backend = gunicorn_server
    form = b"username=admin&password=" + b"x" * 100_000
    status, content_type, content = send_chunked(
        base_url, "/auth/masuk", form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413
    assert content_type.startswith("text/html")
    assert "Data yang dikirim terlalu besar." in content.decode()
