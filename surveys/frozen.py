"""Frozen JSON documents (an evaluation record's evidence, a publication's snapshot): numbers
rounded the same way on every backend, the canonical text and its SHA-256 digest, which anyone
can recompute from the stored JSON."""
from __future__ import annotations

import hashlib
import json
import math

DIGITS = 4  # figures are rounded so the JSON text is short and the same on every backend


def json_number(value) -> float | None:
    """A finite float rounded to DIGITS, or None (JSON has no NaN)."""
    if value is None:
        return None
    value = float(value)
    return round(value, DIGITS) if math.isfinite(value) else None


def json_pair(pair) -> list[float] | None:
    """An interval's two ends as json_number, or None."""
    return None if pair is None else [json_number(pair[0]), json_number(pair[1])]


def canonical_json(document: dict) -> str:
    """The text the digest is taken over: sorted keys, no spaces, UTF-8 characters kept."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_sha256(document: dict) -> str:
    """SHA-256 hex digest of the canonical JSON in UTF-8."""
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()
