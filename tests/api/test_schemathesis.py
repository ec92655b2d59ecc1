"""schemathesis against the API, from its own OpenAPI document (issue 13, point 7): every
operation, with valid and invalid input, some anchored on real officers, units and periods, finds
no server error, and every answer has a documented status, content type and schema. Runs on the
WSGI app in-process over a database holding rated officers, records and a valid key."""
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.test_evaluations_api import world  # noqa: F401 (fixture)
from tests.evaluations.data import CURRENT

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = 40
RUN = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
               phases=[Phase.explicit, Phase.generate],
               suppress_health_check=list(HealthCheck))


def anchors(world) -> dict[str, list[dict]]:
    """Real values to fix for some examples, per operation id, so the 200s are exercised."""
    nip = world.evaluated.nip
    return {
        "staffSatisfaction": [{"path_parameters": {"nip": nip}},
                              {"path_parameters": {"nip": nip}, "query": {"period": CURRENT}},
                              {"path_parameters": {"nip": world.own.nip}},
                              {"path_parameters": {"nip": world.unit.other_unit_officer.nip}}],
        "evaluations": [{"query": {"unit": "dukcapil"}},
                        {"query": {"unit": "dukcapil", "period": CURRENT}},
                        {"query": {"unit": "dukcapil-kec", "period": CURRENT}},
                        {"query": {"unit": "dukcapil-lain"}}],
        "publicUnitIndices": [{"path_parameters": {"code": "dukcapil"}}],
        "createTicket": [{"body": {"touchpoint": world.unit.counter_code}}],
    }


def strategy(operation, fixed: list[dict]):
    free = [operation.as_strategy(generation_mode=mode) for mode in GenerationMode]
    return st.one_of(*free, *(operation.as_strategy(**values) for values in fixed))


def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(app, world):
    app.config["RATELIMIT_API_PER_KEY"] = "100000 per minute"  # the limit is not under test
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"X-API-Key": world.names["key"]}
    fixed = anchors(world)
    seen: dict[str, set[int]] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    # Every documented operation but the document itself, which schemathesis leaves out.
    assert {op.label for op in operations} == {
        "POST /tickets", "GET /tickets/{token}/qr.png", "GET /public/units",
        "GET /public/units/{code}/indices",
        "GET /staff/{nip}/satisfaction", "GET /evaluations"}

    for operation in operations:
        statuses = seen.setdefault(operation.definition.raw["operationId"], set())

        @RUN
        @given(case=strategy(operation, fixed.get(operation.definition.raw["operationId"], [])))
        def run(case):
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            statuses.add(response.status_code)

        run()
    assert 200 in seen["staffSatisfaction"] and 200 in seen["evaluations"]
    assert {400, 401, 403, 404} <= seen["evaluations"] & seen["staffSatisfaction"]
    assert 201 in seen["createTicket"]
