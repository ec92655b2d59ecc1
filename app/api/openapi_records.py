"""Component schemas of the citizen evidence object and of evaluation records, for the OpenAPI
document (app/api/openapi.py). They mirror `surveys.evaluations.evidence.build_evidence` and
`surveys.evaluations.exports.record_dict`; tests/api/test_openapi.py validates real answers."""
from __future__ import annotations

from surveys.evaluations.evidence import COMMENT_SAMPLE, SCHEMA
from surveys.evaluations.exports import LISTED_STATUSES
from surveys.evaluations.predikat import MATRIX
from surveys.models.evaluation import KEBERATAN_DECISIONS, RATINGS

NUMBER = {"type": ["number", "null"]}
INTEGER = {"type": "integer", "minimum": 0}
TEXT = {"type": ["string", "null"]}
INTERVAL = {"type": ["array", "null"], "items": NUMBER, "minItems": 2, "maxItems": 2,
            "description": "[low, high]; null without data."}
DAY = {"type": "string", "format": "date"}
TIME = {"type": ["string", "null"], "format": "date-time", "description": "UTC, ending in `Z`."}


def closed_object(properties: dict, *, required: list[str] | None = None, nullable: bool = False,
            description: str | None = None) -> dict:
    """An object with exactly these properties (all required unless `required` says)."""
    schema = {"type": ["object", "null"] if nullable else "object",
              "required": list(properties) if required is None else required,
              "additionalProperties": False, "properties": properties}
    return schema if description is None else {**schema, "description": description}


_POSITION = {"type": "string", "enum": ["inside", "above", "below"]}

EVIDENCE_PROPERTIES = {
    "schema": {"type": "string", "const": SCHEMA},
    "officer": closed_object({"nip": {"type": "string"}, "name": {"type": "string"},
                        "jabatan": TEXT, "unit": {"type": "string"}}),
    "period": closed_object({"code": {"type": "string"}, "from": DAY,
                       "to": {**DAY, "description": "The last day, inclusive."}}),
    "pulled_at": {"type": "string", "format": "date-time",
                  "description": "When the figures were read (UTC offset included)."},
    "method": {"type": "string", "description": "Version of the analysis methods."},
    "officer_score": closed_object({
        "n": INTEGER, "raw": NUMBER, "shrunk": NUMBER, "ci95": INTERVAL, "reliability": NUMBER,
        "unit_mean": NUMBER, "sufficient": {"type": "boolean"},
        "reliable_for_evaluation": {"type": "boolean"},
        "n_needed_for_evaluation": {"type": ["integer", "null"]}, "problem": TEXT,
    }, description="Raw and empirical-Bayes shrunk score (25–100) with its interval and "
                   "reliability; `sufficient` at reliability ≥ 0.70, `reliable_for_evaluation` "
                   "at ≥ 0.80, else the evidence is not sufficient for an appraisal and "
                   "`n_needed_for_evaluation` says how many responses would be (pool periods)."),
    "thresholds": closed_object({"sufficient": {"type": "number"},
                           "for_evaluation": {"type": "number"}}),
    "casemix": closed_object({
        "available": {"type": "boolean"}, "reason": {"type": "string"}, "n": INTEGER,
        "unadjusted": NUMBER, "adjusted": NUMBER, "ci95": INTERVAL,
        "adjusters": {"type": "array", "items": {"type": "string"}},
        "dropped": {"type": "object", "additionalProperties": {"type": "string"}},
        "method": {"type": "string"},
    }, required=["available"], description="The score adjusted for service and channel beside "
                                            "the unadjusted one, or `reason` why not."),
    "funnel": closed_object({
        "target": NUMBER, "n": INTEGER, "raw": NUMBER, "limits_95": INTERVAL,
        "limits_998": INTERVAL, "position_95": _POSITION, "position_998": _POSITION,
        "method": TEXT,
    }, nullable=True, description="The officer against the unit's funnel limits at their n."),
    "unit_ikm": closed_object({
        "unit": {"type": "string"}, "name": {"type": "string"}, "responses": INTEGER,
        "n": INTEGER, "ikm": NUMBER, "ci95": INTERVAL, "mutu": TEXT, "problem": TEXT,
    }, description="The index of the officer's unit (with its sub-units)."),
    "comments": closed_object({
        "total": INTEGER,
        "sample": {"type": "array", "maxItems": COMMENT_SAMPLE, "items": closed_object(
            {"day": DAY, "text": {"type": "string"}, "service": TEXT})},
    }, description="Citizens' comments about the officer: how many, and the latest "
                   f"{COMMENT_SAMPLE}. Never a citizen's contact."),
    "exclusions": closed_object({
        "excluded_by_flag": INTEGER, "upheld_objections": INTEGER,
        "rules": {"type": "array", "items": {"type": "string"}},
    }, description="The rules that set responses aside and how many of the officer's."),
}
SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
DIGEST_RECIPE = ("SHA-256 hex digest of `json.dumps(evidence, sort_keys=True, "
                 "separators=(\",\", \":\"), ensure_ascii=False)` in UTF-8.")

EVIDENCE = closed_object(EVIDENCE_PROPERTIES, description=(
    "The citizen evidence of one officer and period (DESIGN §5). Figures are rounded to 4 "
    "decimals; null where there is no data."))
LIVE_EVIDENCE = closed_object({**EVIDENCE_PROPERTIES, "evidence_sha256": {
    **SHA256, "description": "Over the object without this key. " + DIGEST_RECIPE}},
    description=EVIDENCE["description"] + " Live: what a record would pull now.")

_RATING = {"type": ["string", "null"], "enum": [*RATINGS, None],
           "description": "di_atas / sesuai / di_bawah (Ekspektasi); null until rated."}
_SNAPSHOT = {"type": ["object", "null"], "description":
             "name, nip, jabatan and unit at the time the record was made."}

RECORD = closed_object({
    "nip": {"type": "string"}, "name": {"type": "string"}, "unit": {"type": "string"},
    "period": {"type": "string"},
    "version": {"type": "integer", "minimum": 1},
    "supersedes_version": {"type": ["integer", "null"], "minimum": 1,
                           "description": "The version this correction replaces; that one "
                                          "stays listed."},
    "correction_reason": TEXT,
    "status": {"type": "string", "enum": list(LISTED_STATUSES)},
    "hasil_rating": _RATING, "perilaku_rating": _RATING,
    "predikat": {"type": ["string", "null"], "enum": [*sorted(set(MATRIX.values())), None]},
    "evaluator": _SNAPSHOT, "atasan": _SNAPSHOT,
    "evidence": {"anyOf": [{"$ref": "#/components/schemas/Evidence"}, {"type": "null"}],
                 "description": "The citizen evidence frozen into the record."},
    "evidence_sha256": {"anyOf": [SHA256, {"type": "null"}], "description": DIGEST_RECIPE},
    "coworker_evidence": {"type": ["object", "null"], "description": (
        "Co-worker (rekan kerja) results, separate evidence: only from 3 answers, never "
        "with names.")},
    "coworker_sha256": {"anyOf": [SHA256, {"type": "null"}]},
    "shared_at": TIME, "finalized_at": TIME, "acknowledged_at": TIME,
    "keberatan": {"type": "array", "items": closed_object({
        "filed_at": TIME,
        "decision": {"type": ["string", "null"], "enum": [*KEBERATAN_DECISIONS, None]},
        "decision_note": TEXT, "decided_at": TIME,
    }), "description": "Keberatan filed against this version and the atasan's decisions (the "
                       "officer's reasons are not given out)."},
})

RECORD_LIST = closed_object({
    "unit": {"type": "string"}, "period": {"type": "string"}, "from": DAY, "to": DAY,
    "statuses": {"type": "array", "items": {"type": "string"}},
    "records": {"type": "array", "items": {"$ref": "#/components/schemas/EvaluationRecord"}},
})

SCHEMAS = {"Evidence": EVIDENCE, "LiveEvidence": LIVE_EVIDENCE, "EvaluationRecord": RECORD,
           "EvaluationList": RECORD_LIST}
