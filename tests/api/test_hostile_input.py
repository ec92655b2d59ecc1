"""Hostile input classes of issue 15 (point 5) answer a clear 4xx, never a 500: JSON strings with
lone surrogates, JSON nested thousands of levels deep, integer path parameters beyond 64 bits."""
from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import INT_PARAMETER_MAX
from app.request_body import MAX_DEPTH
from tests.auth.accounts import add_user, attempt
from tests.factories import hidden_fields

FIELDS = ("touchpoint", "officer", "service")
PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
# Text with lone surrogates mixed in, which st.text() alone never draws.
TEXT = st.text(st.characters() | st.characters(categories=["Cs"]), max_size=30)
SURROGATE_TEXT = st.tuples(TEXT, st.characters(categories=["Cs"]), TEXT).map("".join)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(FIELDS) | TEXT, inner, max_size=4),
    max_leaves=20)


def post_json(client, key: str, raw: bytes):
    return client.post("/api/v1/tickets", data=raw, content_type="application/json",
                       headers={"X-API-Key": key})


def encodings(value) -> list[bytes]:
    """The document as escapes (`"\\ud800"`) and as raw (surrogate-passing) UTF-8 bytes."""
    return [json.dumps(value).encode(),
            json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")]


def assert_json_error(answer, *statuses: int) -> None:
    assert answer.status_code in statuses, (answer.status_code, answer.text[:300])
    assert answer.is_json and {"error", "message"} <= set(answer.json)
    assert answer.json["message"]


@PROPERTY
@given(value=JSON_VALUES)
def test_any_json_document_is_answered_without_a_server_error(client, unit, api_key, value):
    for raw in encodings(value):
        answer = post_json(client, api_key, raw)
        assert answer.status_code != 500
        if answer.status_code != 201:
            assert_json_error(answer, 400, 422)


@PROPERTY
@given(field=st.sampled_from(FIELDS), text=SURROGATE_TEXT, as_escape=st.booleans())
def test_a_field_with_a_lone_surrogate_is_400_naming_the_field(client, unit, api_key, field,
                                                              text, as_escape):
    body = {"touchpoint": unit.counter_code, field: text}
    answer = post_json(client, api_key, encodings(body)[0 if as_escape else 1])
    assert_json_error(answer, 400)
    assert answer.json["error"] == "invalid_text"
    assert answer.json["fields"] == {field: "invalid_text"}
    assert field in answer.json["message"]


def test_a_surrogate_in_a_field_name_is_400_too(client, unit, api_key):
    answer = post_json(client, api_key, b'{"touchpoint": "x", "a\\udfffb": 1}')
    assert_json_error(answer, 400)
    assert answer.json["fields"] == {"a\\udfffb": "invalid_text"}


def nested(kind: str, depth: int, leaf: str) -> bytes:
    """`depth` levels of arrays, objects or both around `leaf`."""
    if kind == "list":
        return ("[" * depth + leaf + "]" * depth).encode()
    if kind == "object":
        return ('{"touchpoint":' * depth + leaf + "}" * depth).encode()
    pairs, odd = divmod(depth, 2)
    return ("[" * odd + '[{"a":' * pairs + leaf + "}]" * pairs + "]" * odd).encode()


@PROPERTY
@given(kind=st.sampled_from(["list", "object", "mixed"]),
       depth=st.integers(MAX_DEPTH + 1, 4_000) | st.sampled_from([990, 1000, 1010, 3000]),
       leaf=st.sampled_from(['"x"', "1", "[]", "{}", "null"]))
def test_json_nested_deeper_than_the_limit_is_400(client, unit, api_key, kind, depth, leaf):
    answer = post_json(client, api_key, nested(kind, depth, leaf))
    assert_json_error(answer, 400)
    assert answer.json["error"] == "json_too_deep"


def test_thirty_thousand_levels_within_the_size_limit_are_400(client, unit, api_key):
    answer = post_json(client, api_key, nested("list", 32_000, ""))
    assert_json_error(answer, 400)
    assert answer.json["error"] == "json_too_deep"


@PROPERTY
@given(depth=st.integers(1, MAX_DEPTH - 1))
def test_shallow_nesting_is_a_field_problem_not_a_crash(client, unit, api_key, depth):
    body = b'{"touchpoint": ' + nested("list", depth, '"x"') + b"}"
    answer = post_json(client, api_key, body)
    assert_json_error(answer, 422)
    assert answer.json["fields"] == {"touchpoint": "invalid"}


def _placeholders(rule) -> list[str]:
    """A rule's placeholders as written: "code", "int:touchpoint_id", "any(png, svg):fmt"."""
    return [part.split(">", 1)[0] for part in rule.rule.split("<")[1:]]


def _converters(rule) -> set[str]:
    """The converter names a rule's pattern uses (`<int:touchpoint_id>` → "int")."""
    return {spec.split(":", 1)[0].split("(", 1)[0] for spec in _placeholders(rule) if ":" in spec}


@pytest.fixture
def admin_client(app, db, unit):
    add_user(db, "admin", "admin")
    client = app.test_client()
    assert attempt(client, "admin").status_code == 303
    return client


ARGUMENTS = {"code": "dukcapil", "fmt": "png", "token": "x"}


@PROPERTY
@given(number=st.integers(0, 2**200) | st.sampled_from([2**31 - 1, 2**31, 2**63, 2**64]))
def test_integer_path_parameters_of_any_size_are_never_a_server_error(app, admin_client, number):
    rules = [rule for rule in app.url_map.iter_rules() if "int" in _converters(rule)]
    assert len(rules) >= 4  # the admin pages' touchpoint routes at least
    fields = hidden_fields(admin_client.get("/auth/akun").text)
    for rule in rules:
        path = rule.rule
        for spec in _placeholders(rule):
            name = spec.rsplit(":", 1)[-1]
            value = str(number) if spec.startswith("int") else ARGUMENTS.get(name, "x")
            path = path.replace(f"<{spec}>", value)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            answer = admin_client.open(path, method=method,
                                       data=fields if method == "POST" else None)
            assert answer.status_code < 500, (method, path, answer.status_code)
            if number > INT_PARAMETER_MAX:
                assert answer.status_code == 404, (method, path)


@pytest.mark.parametrize(("size", "status"), [(64 * 1024, 201), (64 * 1024 + 1, 413)])
def test_a_streamed_body_is_read_whole_or_refused_whole(client, unit, api_key, size, status):
    """As a server that de-chunks bodies hands them over (no Content-Length); through gunicorn
    in tests/load/test_chunked_bodies.py."""
    body = json.dumps({"touchpoint": unit.counter_code}).encode()
    body = body[:-1] + b" " * (size - len(body)) + b"}"
    answer = client.post("/api/v1/tickets", input_stream=io.BytesIO(body),
                         headers={"X-API-Key": api_key, "Content-Type": "application/json",
                                  "Transfer-Encoding": "chunked"},
                         environ_overrides={"wsgi.input_terminated": True})
    assert answer.status_code == status
    assert answer.is_json
