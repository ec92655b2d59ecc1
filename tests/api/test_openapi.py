"""GET /api/v1/openapi.json documents every API route, and API errors are JSON, never HTML."""
from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from tests.api.test_evaluations_api import world  # noqa: F401 (fixture)
from tests.evaluations.data import CURRENT

PREFIX = "/api/v1"
IGNORED_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture
def document(client) -> dict:
    answer = client.get(f"{PREFIX}/openapi.json")  # no API key
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    return answer.json


def validator(document: dict, schema: dict) -> Draft202012Validator:
    """A validator for `schema`, a part of `document`, with the document's $refs resolvable."""
    schema = {**schema, "components": document["components"]}
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def response_validator(document: dict, path: str, method: str, status: int):
    """A validator for the documented JSON body of one response."""
    content = document["paths"][path][method]["responses"][str(status)]["content"]
    return validator(document, content["application/json"]["schema"])


def error_validator(document: dict) -> Draft202012Validator:
    return validator(document, {"$ref": "#/components/schemas/Error"})


def test_the_document_is_valid_openapi_3_1(document):
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": PREFIX}]


def test_every_api_route_is_documented_with_its_methods(app, document):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix(PREFIX))
            routes |= {(path, method.lower()) for method in rule.methods - IGNORED_METHODS}
    documented = {(path, method) for path, item in document["paths"].items()
                  for method in item if method != "parameters"}
    assert routes and documented == routes


def test_a_real_ticket_matches_the_documented_201(client, unit, api_key, document):
    answer = client.post(f"{PREFIX}/tickets", json={"touchpoint": unit.counter_code},
                         headers={"X-API-Key": api_key})
    assert answer.status_code == 201
    response_validator(document, "/tickets", "post", 201).validate(answer.json)
    assert answer.json["officer"] is None  # the nullable fields really are null sometimes


def test_a_real_422_matches_the_documented_error(client, unit, api_key, document):
    answer = client.post(f"{PREFIX}/tickets", json={"touchpoint": unit.counter_code, "x": 1},
                         headers={"X-API-Key": api_key})
    assert answer.status_code == 422
    response_validator(document, "/tickets", "post", 422).validate(answer.json)
    assert answer.json["fields"] == {"x": "unknown_field"}


def test_the_error_schema_rejects_a_body_without_message(document):
    assert not error_validator(document).is_valid({"error": "invalid_fields"})


@pytest.mark.parametrize("method, path, status, code", [
    ("get", "/does-not-exist", 404, "not_found"),
    ("get", "/tickets", 405, "method_not_allowed"),
    ("delete", "/openapi.json", 405, "method_not_allowed"),
])
def test_routing_errors_under_the_api_are_json(client, document, method, path, status, code):
    answer = getattr(client, method)(PREFIX + path)
    assert (answer.status_code, answer.mimetype) == (status, "application/json")
    assert answer.json["error"] == code
    error_validator(document).validate(answer.json)
    if status == 405:
        assert answer.headers["Allow"]  # RFC 9110: a 405 names the methods that work


def test_errors_outside_the_api_stay_html_pages(client):
    answer = client.get("/tidak-ada")
    assert (answer.status_code, answer.mimetype) == (404, "text/html")
    assert "Halaman tidak ditemukan." in answer.text
    refused = client.delete("/")
    assert (refused.status_code, refused.mimetype) == (405, "text/html")
    assert "GET" in refused.headers["Allow"]


def test_real_live_evidence_matches_the_documented_200(client, db, world, document):
    """A well-rated officer, a thinly rated one and one without any response in the period."""
    key = world.names["key"]
    check = response_validator(document, "/staff/{nip}/satisfaction", "get", 200)
    for nip, period in ((world.evaluated.nip, CURRENT), (world.own.nip, CURRENT),
                        (world.own.nip, "2025")):
        answer = client.get(f"{PREFIX}/staff/{nip}/satisfaction", query_string={
            "period": period}, headers={"X-API-Key": key})
        assert answer.status_code == 200
        check.validate(answer.json)
    assert answer.json["funnel"] is None and answer.json["officer_score"]["ci95"] is None
    assert not check.is_valid({**answer.json, "extra": 1})  # the schema is closed


def test_the_evidence_schema_names_exactly_the_keys_of_the_evidence(client, world, document):
    answer = client.get(f"{PREFIX}/staff/{world.evaluated.nip}/satisfaction",
                        query_string={"period": CURRENT},
                        headers={"X-API-Key": world.names["key"]})
    schema = document["components"]["schemas"]["Evidence"]
    assert set(schema["required"]) == set(schema["properties"]) == set(answer.json) - {
        "evidence_sha256"}


def test_real_records_match_the_documented_200(client, world, document):
    answer = client.get(f"{PREFIX}/evaluations", query_string={"unit": "dukcapil",
                                                               "period": CURRENT},
                        headers={"X-API-Key": world.names["key"]})
    assert answer.status_code == 200 and len(answer.json["records"]) == 4
    response_validator(document, "/evaluations", "get", 200).validate(answer.json)
    record_check = validator(document, {"$ref": "#/components/schemas/EvaluationRecord"})
    tampered = {**answer.json["records"][0], "status": "draft"}
    assert not record_check.is_valid(tampered)  # drafts are never listed


STAFF = "/staff/{nip}/satisfaction"


@pytest.mark.parametrize("path, nip, query, key, status", [
    ("/evaluations", None, {"period": CURRENT}, True, 400),
    ("/evaluations", None, {"unit": "dukcapil", "period": "2026-13"}, True, 400),
    ("/evaluations", None, {"unit": "dukcapil"}, False, 401),
    ("/evaluations", None, {"unit": "dukcapil-lain"}, True, 403),
    ("/evaluations", None, {"unit": "tidak-ada"}, True, 404),
    (STAFF, "evaluated", {"period": "2026-Q0"}, True, 400),
    (STAFF, "evaluated", {}, False, 401),
    (STAFF, "other", {}, True, 403),
    (STAFF, "000000000000000000", {}, True, 404),
])
def test_real_errors_match_their_documented_responses(client, world, document, path, nip,
                                                      query, key, status):
    nips = {"evaluated": world.evaluated.nip, "other": world.unit.other_unit_officer.nip}
    url = path.format(nip=nips.get(nip, nip))
    headers = {"X-API-Key": world.names["key"]} if key else {}
    answer = client.get(PREFIX + url, query_string=query, headers=headers)
    assert answer.status_code == status
    response_validator(document, path, "get", status).validate(answer.json)
    documented = document["paths"][path]["get"]["responses"][str(status)]["description"]
    assert f"`{answer.json['error']}`" in documented


def test_both_record_endpoints_require_the_api_key_scheme(document):
    scheme = document["components"]["securitySchemes"]["apiKey"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "X-API-Key")
    for path in ("/staff/{nip}/satisfaction", "/evaluations"):
        assert document["paths"][path]["get"]["security"] == [{"apiKey": []}]
        assert {"400", "401", "403", "404", "429"} <= set(
            document["paths"][path]["get"]["responses"])
