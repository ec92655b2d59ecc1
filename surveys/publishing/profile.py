"""Results by respondent profile (age band, gender, education, occupation) for a publication.

The roll-up has no profile keys, so this reads the period's response rows once, when a draft
is prepared; the public then reads the frozen snapshot, never these rows. Each dimension is a
tree of counts under the unit's total, suppressed like every other public table (DESIGN §6);
"prefer not to say" is its own row, so the rows add up to the total.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis import compute_ikm
from analysis.suppression import INDEX_MIN, Cell, index_rule, suppressed
from surveys.models import Response, ResponseFlag, Unit
from surveys.models.response import PROFILE as DIMENSIONS
from surveys.models.response import UNSUR_CODES
from surveys.periods import Period

NOT_SAID = "tidak_menjawab"


def _frame(session: Session, unit_ids: tuple[int, ...], period: Period) -> pd.DataFrame:
    """One row per counted respondent of the tree in the period (local days of each unit)."""
    excluded = select(ResponseFlag.response_id).where(ResponseFlag.kind == "excluded")
    rows = []
    for unit_id, zone in session.execute(select(Unit.id, Unit.timezone)
                                         .where(Unit.id.in_(unit_ids))):
        start, end = period.utc_bounds(zone)
        rows += session.execute(
            select(*(getattr(Response, code.lower()) for code in UNSUR_CODES),
                   *(getattr(Response, name) for name in DIMENSIONS))
            .where(Response.unit_id == unit_id, Response.submitted_at >= start,
                   Response.submitted_at < end, Response.id.not_in(excluded))).all()
    frame = pd.DataFrame(rows, columns=[*UNSUR_CODES, *DIMENSIONS])
    for code in UNSUR_CODES:
        frame[code] = frame[code].astype("float64")
    return frame[frame[list(UNSUR_CODES)].notna().any(axis=1)]


def _group_index(answers: pd.DataFrame) -> dict | None:
    """IKM, interval and mutu of one shown group with enough respondents, else None."""
    rule = index_rule(len(answers))
    if not rule.shown:
        return None
    try:
        result = compute_ikm(answers[list(UNSUR_CODES)])
    except ValueError:  # an unsur nobody in the group answered
        return None
    low, high = result.ci95 or (None, None)
    return {"ikm": result.ikm, "ci95": None if low is None else [round(low, 4), round(high, 4)],
            "mutu": result.mutu, "caution": rule.caution}


def profile_tables(session: Session, unit_ids: tuple[int, ...], period: Period,
                   total_n: int) -> dict:
    """{dimension: [{"code", "n", "index"}]} with counts of 1–4 (and their covering siblings)
    shown as "*" and no index for a hidden or thin group."""
    frame = _frame(session, unit_ids, period)
    tables = {}
    for name, codes in DIMENSIONS.items():
        values = frame[name].fillna(NOT_SAID)
        groups = [*codes, NOT_SAID]
        counts = [int((values == code).sum()) for code in groups]
        tree = [Cell("total", total_n)] + [Cell(i, n, "total") for i, n in enumerate(counts)]
        hidden = suppressed(tree)
        tables[name] = [
            {"code": code, "n": "*" if i in hidden else counts[i],
             "index": None if i in hidden or counts[i] < INDEX_MIN
             else _group_index(frame[values == code])}
            for i, code in enumerate(groups)]
    return tables
