"""The public API reads published snapshots only (issue 14): `/public/units` lists every unit with
its latest publication (null: none), `/public/units/{code}/indices` gives a period's current
version or an older one, equal to the stored snapshot with its "*" cells, unchanged by later
responses, never an officer; each answer matches the OpenAPI document; bad input is a JSON 4xx."""
from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from surveys.publishing import service
from tests.api.test_openapi import response_validator
from tests.evaluations.coworker_data import user
from tests.publishing.test_publication import PERIOD, PREPARED, office, respond  # noqa: F401

PUBLISHED = datetime(2026, 10, 20, 1, tzinfo=UTC)
CORRECTED = datetime(2026, 10, 27, 1, tzinfo=UTC)


@pytest.fixture
def published(db, office):  # noqa: F811 (the fixture imported above)
    """The office's Q3 published and then corrected; its Q4 only a draft."""
    manager = user(db, "manajer")
    row = service.prepare(db.session, manager, office.unit.unit, PERIOD, PREPARED)
    service.publish(db.session, manager, row, PUBLISHED)
    db.session.commit()
    office.first = dict(row.snapshot)
    respond(db, office.unit.unit, office.unit.services[0], 20, 3.9, 21)
    office.second = service.correct(db.session, manager, row, "Formulir kertas terlambat.",
                                    CORRECTED)
    service.prepare(db.session, manager, office.unit.unit, "2026-Q4",
                    datetime(2026, 11, 2, tzinfo=UTC))
    db.session.commit()
    return office


def body_of(client, path: str, status: int = 200) -> dict:
    answer = client.get(path)
    assert (answer.status_code, answer.mimetype) == (status, "application/json"), answer.text
    return answer.json


def test_units_list_their_latest_publication_or_null(client, db, published):
    document = body_of(client, "/api/v1/openapi.json")
    body = body_of(client, "/api/v1/public/units")
    response_validator(document, "/public/units", "get", 200).validate(body)
    units = {unit["code"]: unit for unit in body["units"]}
    latest = units[published.unit.unit.code]["latest"]
    assert (latest["period"], latest["version"]) == (PERIOD, 2)
    assert latest["respondents"] == published.second.snapshot["respondents"] == 71
    assert latest["index"]["ikm"] == published.second.snapshot["index"]["ikm"]
    assert units[published.other.code]["latest"] is None  # never published: "tidak ada data"
    assert units[published.sub.code]["parent"] == published.unit.unit.code


def test_a_period_is_its_current_version_and_older_ones_stay_readable(client, db, published):
    document = body_of(client, "/api/v1/openapi.json")
    validate = response_validator(document, "/public/units/{code}/indices", "get", 200).validate
    base = f"/api/v1/public/units/{published.unit.unit.code}/indices"
    current = body_of(client, base)  # the latest published period by default
    validate(current)
    assert (current["period"], current["published"], current["version"]) == (PERIOD, True, 2)
    assert current["snapshot"] == published.second.snapshot
    assert current["correction_reason"] == "Formulir kertas terlambat."
    assert [(v["version"], v["status"]) for v in current["versions"]] == [
        (2, "published"), (1, "superseded")]
    first = body_of(client, f"{base}?period={PERIOD}&version=1")
    validate(first)
    assert first["snapshot"] == published.first and first["status"] == "superseded"
    services = {row["name"]: row for row in current["snapshot"]["services"]}
    assert services["Akta Kelahiran"]["n"] == "*"

    respond(db, published.unit.unit, published.unit.services[1], 25, 1.1, 22)  # after that
    assert body_of(client, base) == current
    draft_only = body_of(client, f"{base}?period=2026-Q4")
    validate(draft_only)
    assert (draft_only["published"], draft_only["snapshot"], draft_only["versions"]) == (
        False, None, [])
    text = json.dumps([current, first])
    for secret in (published.evaluated.name, published.evaluated.nip):
        assert secret not in text


@pytest.mark.parametrize(("query", "status", "error"), [
    ("?period=2026-Q9", 400, "invalid_period"),
    ("?period=2026-Q3&version=0", 400, "invalid_version"),
    ("?period=2026-Q3&version=abc", 400, "invalid_version"),
    ("?period=2026-Q3&version=" + "9" * 40, 400, "invalid_version"),
    ("?period=2026-Q3&version=7", 404, "unknown_version"),
])
def test_bad_queries_get_a_json_error(client, db, published, query, status, error):
    body = body_of(client, f"/api/v1/public/units/{published.unit.unit.code}/indices{query}",
                   status)
    assert body["error"] == error and body["message"]


def test_an_unknown_unit_is_404(client, db):
    for code in ("tidak-ada", "x" * 500, "a%00b"):
        assert body_of(client, f"/api/v1/public/units/{code}/indices", 404)["error"] == \
            "unknown_unit"
