"""A minimal browser for the load tests: its own cookie jar, no redirects followed (stdlib only)."""
from __future__ import annotations

import functools
import http.client
import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # hand the 303 back to the caller instead of following it


@dataclass(frozen=True)
class Reply:
    status: int
    location: str | None
    text: str


class _FromAddress(urllib.request.HTTPHandler):
    """Connects from a given loopback source address (each citizen its own: DESIGN §8)."""

    def __init__(self, source: str):
        super().__init__()
        self.source = source

    def http_open(self, request):
        return self.do_open(functools.partial(http.client.HTTPConnection,
                                              source_address=(self.source, 0)), request)


class Browser:
    """One citizen's phone: keeps its own cookies (device, CSRF binding), optionally from its own
    source address."""

    def __init__(self, base_url: str, source: str | None = None):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _KeepRedirects(),
            *([_FromAddress(source)] if source else []),
        )

    def _send(self, request: urllib.request.Request) -> Reply:
        try:
            with self._opener.open(request, timeout=60) as reply:
                return Reply(reply.status, reply.headers.get("Location"), reply.read().decode())
        except urllib.error.HTTPError as reply:
            return Reply(reply.code, reply.headers.get("Location"), reply.read().decode())

    def get(self, path: str) -> Reply:
        return self._send(urllib.request.Request(self.base_url + path))

    def post(self, path: str, form: dict[str, str]) -> Reply:
        body = urllib.parse.urlencode(form).encode()
        return self._send(urllib.request.Request(self.base_url + path, data=body, method="POST"))
