"""The public part of the OpenAPI document: the units' published results (no key). The schemas
mirror `surveys.publishing.snapshot.build_snapshot` and `surveys.publishing.reads.headlines`."""
from __future__ import annotations

from app.api.openapi_records import DAY, INTEGER, INTERVAL, NUMBER, TEXT, TIME, closed_object
from surveys.models.response import PROFILE
from surveys.publishing.snapshot import SCHEMA

COUNT = {"anyOf": [INTEGER, {"const": "*"}],
         "description": "Respondents, or \"*\" where 1–4 (or a cell that would give one away) "
                        "are hidden: DESIGN §6, as the NHS Friends and Family Test does it."}
INDEX = closed_object({
    "ikm": {"type": "number"}, "ikm_exact": NUMBER, "ci95": INTERVAL,
    "mutu": {"type": "string", "enum": ["A", "B", "C", "D"]}, "kinerja": {"type": "string"},
    "grade": {"type": "string", "description": "The mutu and the chance it is right: 'B (97%)'."},
    "band_probability": NUMBER,
    "se": {**NUMBER, "description": "Standard error of ikm_exact: compares two published periods."},
    "caution": {"type": "boolean", "description": "Under 100 respondents: use with care."},
    "below_target": {"type": "boolean",
                     "description": "Fewer respondents than the Krejcie–Morgan target."},
    "unsur": {"type": "array", "items": closed_object({
        "code": {"type": "string"}, "n": INTEGER, "nrr": NUMBER, "ci95": INTERVAL})},
}, nullable=True, description="The IKM (PermenPANRB 14/2017); null under 10 respondents or "
                               "where the count is hidden.")
ROW = {"code": {"type": "string"}, "name": {"type": "string"}, "n": COUNT, "index": INDEX}
SNAPSHOT = closed_object({
    "schema": {"const": SCHEMA}, "method": {"type": "string"},
    "prepared_at": {"type": "string", "format": "date-time"},
    "unit": closed_object({"code": {"type": "string"}, "name": {"type": "string"},
                     "timezone": {"type": "string"}}),
    "period": closed_object({"code": {"type": "string"}, "from": DAY, "to": DAY}),
    "rules": closed_object({"hidden_counts": {"type": "string"}, "index_min": INTEGER,
                      "caution_below": INTEGER}),
    "respondents": COUNT, "population": {"type": ["integer", "null"]},
    "target": {"type": ["integer", "null"], "description": "Krejcie–Morgan sample target."},
    "below_target": {"type": "boolean"}, "index": INDEX,
    "services": {"type": "array", "items": closed_object({**ROW, "unit": {"type": "string"}})},
    "sub_units": {"type": "array", "items": closed_object(ROW)},
    "profile": closed_object({dimension: {"type": "array", "items": closed_object({
        "code": {"type": "string", "description": "A profile code; tidak_menjawab: not said."},
        "n": COUNT,
        "index": closed_object({"ikm": {"type": "number"}, "ci95": INTERVAL,
                                "mutu": {"type": "string"}, "caution": {"type": "boolean"}},
                               nullable=True)})} for dimension in PROFILE},
                            description="Respondents and IKM by age band, gender, education "
                                        "and occupation, suppressed like every public table."),
    "iku": {"type": "array", "items": closed_object({
        "indicator": {"type": "string", "enum": ["ikm", "waiting", "responses"]},
        "target": {"type": "number"}, "n": COUNT, "value": NUMBER, "ci95": INTERVAL,
        "met": {"type": ["boolean", "null"]}, "certain": {"type": "boolean"}}),
            "description": "IKU targets of the period and their realisation (hidden under "
                           "10 respondents)."},
}, nullable=True, description="The frozen public figures; no officer appears in them.")
VERSION = {"version": INTEGER, "status": {"type": "string", "enum": ["published", "superseded"]},
           "published_at": TIME, "correction_reason": TEXT,
           "snapshot_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}
HEADLINE = closed_object({
    "period": {"type": "string"}, "version": INTEGER, "published_at": TIME,
    "respondents": COUNT, "target": {"type": ["integer", "null"]},
    "below_target": {"type": "boolean"},
    "index": closed_object({"ikm": {"type": "number"}, "ikm_exact": {"type": "number"},
                      "ci95": INTERVAL, "mutu": {"type": "string"},
                      "grade": {"type": "string"}, "caution": {"type": "boolean"}},
                     nullable=True),
}, nullable=True, description="The latest publication's headline; null: no publication yet.")

SCHEMAS = {
    "PublishedSnapshot": SNAPSHOT,
    "PublicUnits": closed_object({"units": {"type": "array", "items": closed_object({
        "code": {"type": "string"}, "name": {"type": "string"},
        "organization": {"type": "string"}, "parent": TEXT, "latest": HEADLINE})}}),
    "PublishedIndices": closed_object({
        "unit": {"type": "string"}, "period": {"type": "string"}, "from": DAY, "to": DAY,
        "published": {"type": "boolean"},
        "version": {"type": ["integer", "null"]},
        "status": {"type": ["string", "null"], "enum": ["published", "superseded", None]},
        "published_at": TIME, "correction_reason": TEXT,
        "snapshot_sha256": {"type": ["string", "null"], "pattern": "^[0-9a-f]{64}$"},
        "snapshot": {"$ref": "#/components/schemas/PublishedSnapshot"},
        "versions": {"type": "array", "items": closed_object(VERSION)},
    }, description="The shown version's fields are null when the period has no publication."),
}
