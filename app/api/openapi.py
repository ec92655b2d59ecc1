"""The hand-written OpenAPI 3.1 document of /api/v1, served at /api/v1/openapi.json.

Kept by hand next to app/api/routes.py; tests/api/test_openapi.py fails when a route is missing.
"""
from __future__ import annotations

from app.api.openapi_public import SCHEMAS as PUBLIC_SCHEMAS
from app.api.openapi_records import SCHEMAS

ERROR = {"$ref": "#/components/schemas/Error"}


def _error(description: str, code: str) -> dict:
    """A JSON error response whose `error` is `code`."""
    return {
        "description": f"{description} (`error`: `{code}`).",
        "content": {"application/json": {"schema": ERROR, "example": {
            "error": code, "message": "…"}}},
    }


_FIELD = {"type": ["string", "null"], "maxLength": 64,
          "description": "Optional; `null` or an empty string means absent. No NUL characters."}

DOCUMENT: dict = {
    "openapi": "3.1.0",
    "info": {
        "title": "Suara Warga API",
        "version": "1.0.0",
        "description": "One-time survey tickets for queue machines and receipt printers; the "
                       "units' published results; with the unit's key, its officers' live "
                       "citizen evidence and evaluation records. Every error is JSON (`Error`); `message` is in Bahasa Indonesia, or "
                       "English with `?lang=en`.",
    },
    "servers": [{"url": "/api/v1"}],
    "paths": {
        "/tickets": {
            "post": {
                "operationId": "createTicket",
                "summary": "Issue a signed one-time survey ticket; writes nothing.",
                "security": [{"apiKey": []}],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/TicketRequest"}}},
                },
                "responses": {
                    "201": {
                        "description": "The ticket.",
                        "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Ticket"}}},
                    },
                    "400": {
                        "description": "The body is not a JSON object (`error`: `invalid_json`), "
                                       "nests arrays and objects more than 32 levels deep "
                                       "(`json_too_deep`), or holds a string that is no UTF-8 "
                                       "text, such as a lone surrogate escape `\\ud800` "
                                       "(`invalid_text`; `fields` names where).",
                        "content": {"application/json": {"schema": ERROR, "example": {
                            "error": "invalid_text", "message": "…",
                            "fields": {"officer": "invalid_text"}}}},
                    },
                    "401": _error("The X-API-Key header is missing, wrong or revoked",
                                  "invalid_api_key"),
                    "403": _error("The touchpoint belongs to another unit",
                                  "forbidden_touchpoint"),
                    "413": _error("The body is larger than the server accepts",
                                  "request_entity_too_large"),
                    "422": {
                        "description": "Invalid fields (`error`: `invalid_fields`). `fields` maps "
                                       "each bad field to its problem: `required`, `invalid` "
                                       "(not a string of at most 64 characters), `unknown_field` "
                                       "(not one of the three), `unknown` (no such touchpoint, "
                                       "active officer or service of the unit), `revoked` or "
                                       "`kiosk` (touchpoint), `not_this_touchpoint` (officer "
                                       "other than the personal touchpoint's own).",
                        "content": {"application/json": {"schema": ERROR, "example": {
                            "error": "invalid_fields", "message": "…",
                            "fields": {"touchpoint": "required"}}}},
                    },
                    "429": _error("Too many requests with this key; `message` names the limit",
                                  "too_many_requests"),
                },
            },
        },
        "/tickets/{token}/qr.png": {
            "get": {
                "operationId": "ticketQr",
                "summary": "The QR code of a genuine, unexpired ticket's survey URL.",
                "parameters": [{"name": "token", "in": "path", "required": True,
                                "schema": {"type": "string"},
                                "description": "`token` of a ticket from POST /tickets."}],
                "responses": {
                    "200": {"description": "The QR code; cacheable for an hour.",
                            "content": {"image/png": {}}},
                    "400": _error("Not a ticket this server signed", "ticket_invalid"),
                    "410": _error("The ticket has expired", "ticket_expired"),
                },
            },
        },
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document.",
                "responses": {"200": {"description": "The OpenAPI document.",
                                      "content": {"application/json": {
                                          "schema": {"type": "object"}}}}},
            },
        },
    },
    "components": {
        "securitySchemes": {
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key",
                       "description": "A unit's key, from `flask apikey create`."},
        },
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error", "message"],
                "properties": {
                    "error": {"type": "string", "description": "A stable code."},
                    "message": {"type": "string", "description": "For people, translated."},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"},
                               "description": "Field name to problem code (422, and 400 "
                                              "`invalid_text`)."},
                },
            },
            "TicketRequest": {
                "type": "object",
                "required": ["touchpoint"],
                "additionalProperties": False,
                "properties": {
                    "touchpoint": {"type": "string", "minLength": 1, "maxLength": 64,
                                   "description": "Public code of one of the unit's "
                                                  "touchpoints (not a kiosk)."},
                    "officer": {**_FIELD, "description": "NIP of the unit's active officer who "
                                "served; a personal touchpoint's own officer is implied. "
                                + _FIELD["description"]},
                    "service": {**_FIELD, "description": "Code of the unit's service received. "
                                + _FIELD["description"]},
                },
            },
            "Ticket": {
                "type": "object",
                "required": ["token", "url", "expires_at", "qr_png", "print_url",
                             "touchpoint", "officer", "service"],
                "properties": {
                    "token": {"type": "string",
                              "description": "Signed, single-use; names the officer by an "
                                             "opaque reference, never by NIP or name."},
                    "url": {"type": "string", "format": "uri",
                            "description": "The survey form of this ticket."},
                    "expires_at": {"type": "string", "format": "date-time",
                                   "description": "UTC, ending in `Z`."},
                    "qr_png": {"type": "string", "format": "uri",
                               "description": "GET /tickets/{token}/qr.png for this ticket."},
                    "print_url": {"type": "string", "format": "uri",
                                  "description": "A printable receipt page with the QR."},
                    "touchpoint": {"type": "string"},
                    "officer": {"type": ["string", "null"],
                                "description": "NIP, given or implied by the touchpoint."},
                    "service": {"type": ["string", "null"]},
                },
            },
        },
    },
}

_PERIOD = {"name": "period", "in": "query", "required": False, "schema": {"type": "string"},
           "description": "2026, 2026-S1, 2026-Q3 or 2026-07 (years 2000-2100); default: the "
                          "current triwulan."}
_BAD_PERIOD = _error("The period is not one of the codes above", "invalid_period")

DOCUMENT["paths"].update({
    "/public/units": {
        "get": {
            "operationId": "publicUnits",
            "summary": "Every unit with the headline of its latest publication; no key.",
            "description": "Published, frozen snapshots only (never live figures); `latest` is "
                           "null for a unit that has published nothing (\"tidak ada data\").",
            "responses": {"200": {"description": "The units.", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/PublicUnits"}}}}},
        },
    },
    "/public/units/{code}/indices": {
        "get": {
            "operationId": "publicUnitIndices",
            "summary": "A unit's published results (with its sub-units) for a period; no key.",
            "description": "The period's current published version, or `version`; "
                           "`published` is false when the unit published nothing for it. Later "
                           "responses change nothing here until the next publication. Counts "
                           "of 1-4 respondents are \"*\" (and what would give them away); "
                           "an index needs 10 respondents. No officer appears.",
            "parameters": [{"name": "code", "in": "path", "required": True,
                            "schema": {"type": "string"}},
                           {**_PERIOD, "description": "As above; default: the unit's latest "
                                                      "published period."},
                           {"name": "version", "in": "query", "required": False,
                            "schema": {"type": "string"},
                            "description": "A published or superseded version number."}],
            "responses": {
                "200": {"description": "The published results.", "content": {
                    "application/json": {"schema": {
                        "$ref": "#/components/schemas/PublishedIndices"}}}},
                "400": {"description": "The period is not one of the codes above "
                                       "(`error`: `invalid_period`), or the version is not a "
                                       "whole number above 0 (`invalid_version`).",
                        "content": {"application/json": {"schema": ERROR, "example": {
                            "error": "invalid_period", "message": "…"}}}},
                "404": {"description": "No unit has this code (`error`: `unknown_unit`), or "
                                       "the period has no such version (`unknown_version`).",
                        "content": {"application/json": {"schema": ERROR, "example": {
                            "error": "unknown_unit", "message": "…"}}}},
            },
        },
    },
    "/staff/{nip}/satisfaction": {
        "get": {
            "operationId": "staffSatisfaction",
            "summary": "One officer's live citizen evidence for a period: the object an "
                       "evaluation record would pull now, with its digest.",
            "description": "For a key of the officer's unit or of a unit above it (the unit's "
                           "e-Kinerja integration). The evidence holds personal data: the "
                           "officer's scores and a sample of citizens' comments about them "
                           "(never a citizen's contact); keep it where the officer's "
                           "appraisal is kept. Responses are `Cache-Control: private, "
                           "no-store`.",
            "security": [{"apiKey": []}],
            "parameters": [{"name": "nip", "in": "path", "required": True,
                            "schema": {"type": "string"},
                            "description": "The officer's NIP (18 digits)."}, _PERIOD],
            "responses": {
                "200": {"description": "The live evidence.", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/LiveEvidence"}}}},
                "400": _BAD_PERIOD,
                "401": _error("The X-API-Key header is missing, wrong or revoked",
                              "invalid_api_key"),
                "403": _error("The officer works outside the key's unit and its sub-units",
                              "forbidden_staff"),
                "404": _error("No staff member has this NIP", "unknown_staff"),
                "429": _error("Too many requests with this key; `message` names the limit",
                              "too_many_requests"),
            },
        },
    },
    "/evaluations": {
        "get": {
            "operationId": "evaluations",
            "summary": "The evaluation records of a unit's officers (and its sub-units') for a "
                       "period: every shared and final version.",
            "description": "Drafts are not listed: they are the evaluator's work in progress. "
                           "A correction is a new version naming the version it supersedes; "
                           "both are listed. Records are matched by their exact period code "
                           "(a 2026 record is not a 2026-Q3 one). Each record carries the "
                           "evidence frozen into it (see `staffSatisfaction` on its personal "
                           "data) and its SHA-256 digest. A key sees only its own unit and the "
                           "units below it. Responses are `Cache-Control: private, no-store`.",
            "security": [{"apiKey": []}],
            "parameters": [{"name": "unit", "in": "query", "required": True,
                            "schema": {"type": "string"},
                            "description": "The unit's code: the key's unit or one below it."},
                           _PERIOD],
            "responses": {
                "200": {"description": "The records, by officer name, NIP and version.",
                        "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/EvaluationList"}}}},
                "400": {"description": "`unit` is missing or empty (`error`: `missing_unit`), "
                                       "or the period is not one of the codes above "
                                       "(`invalid_period`).",
                        "content": {"application/json": {"schema": ERROR, "example": {
                            "error": "missing_unit", "message": "…"}}}},
                "401": _error("The X-API-Key header is missing, wrong or revoked",
                              "invalid_api_key"),
                "403": _error("The unit is not the key's unit nor below it", "forbidden_unit"),
                "404": _error("No unit has this code", "unknown_unit"),
                "429": _error("Too many requests with this key; `message` names the limit",
                              "too_many_requests"),
            },
        },
    },
})

DOCUMENT["components"]["schemas"].update(SCHEMAS)
DOCUMENT["components"]["schemas"].update(PUBLIC_SCHEMAS)
