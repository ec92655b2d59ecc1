"""Request bodies that cannot make a 500 or be cut short.

A chunked body longer than MAX_CONTENT_LENGTH is refused whole (413). JSON nested deeper than
MAX_DEPTH, and strings that are no UTF-8 text (a lone surrogate escape such as "\\ud800", which json
accepts and every database driver then refuses to encode), are refused as invalid JSON, naming
the place they were found.
"""
from __future__ import annotations

from typing import Any

from flask import abort, request
from flask.json.provider import DefaultJSONProvider

# Levels of arrays and objects. The API's bodies are flat objects; json alone stops only at
# Python's recursion limit, and code walking a parsed document recursively would stop sooner.
MAX_DEPTH = 32


class JSONRefused(ValueError):
    """A body that parsed as JSON but is refused; a ValueError, so `request.get_json()` answers
    it with 400 (or None when silent), like any other invalid JSON."""

    def __init__(self, code: str, field: str | None = None):
        super().__init__(f"{code} at {field}" if field else code)
        self.code, self.field = code, field


class StrictJSONProvider(DefaultJSONProvider):
    """The app's JSON (`app.json`): reading refuses too-deep nesting and non-UTF-8 strings."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:  # json's C parser stops at Python's recursion limit
            raise JSONRefused("json_too_deep") from None
        check(value)
        return value


def _name(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def check(value: Any) -> None:
    """Walks a parsed document without recursion; raises JSONRefused at the first problem."""
    pending = [(value, "", 0)]
    while pending:
        item, path, depth = pending.pop()  # depth: how many containers hold `item`
        if isinstance(item, (dict, list)) and depth >= MAX_DEPTH:
            raise JSONRefused("json_too_deep")
        if isinstance(item, str):
            if not _encodable(item):
                raise JSONRefused("invalid_text", path or "$")
        elif isinstance(item, dict):
            for key, member in item.items():
                where = f"{path}.{_name(key)}" if path else _name(key)
                if not _encodable(key):
                    raise JSONRefused("invalid_text", where)
                pending.append((member, where, depth + 1))
        elif isinstance(item, list):
            pending.extend((member, f"{path}[{index}]", depth + 1)
                           for index, member in enumerate(item))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def refuse_oversize_stream() -> None:
    """Registered before every other `before_request` (CSRF reads the form). A chunked body has
    no Content-Length, so Werkzeug reads it up to MAX_CONTENT_LENGTH and then simply stops: the
    app would take its first 64 KiB for the whole body. Read it here (cached for the form and
    JSON parsers) and refuse it with 413 when more follows."""
    limit = request.max_content_length
    if limit is None or request.content_length is not None:
        return
    if "chunked" not in request.headers.get("Transfer-Encoding", "").lower():
        return
    data = request.get_data()
    if len(data) >= limit and request.environ["wsgi.input"].read(1):
        abort(413)
