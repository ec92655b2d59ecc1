"""The citizen evidence of one officer and period, as one JSON object (DESIGN §5).

`build_evidence` reads the live figures: n, raw and shrunk scores with interval and reliability,
the case-mix-adjusted score when there is enough data, the funnel position against the unit,
the unit's IKM with interval, a sample of comments, the exclusion rules applied, the analysis
method version and the time. Pulling it into a record copies the object and its digest, so later
responses, a rebuilt roll-up or a changed flag never change a finalised record. Only reads.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from analysis import AnalysisError
from analysis.officers import FOR_EVALUATION, SUFFICIENT, OfficerScores
from analysis.version import METHOD
from surveys.frozen import json_number
from surveys.models import Response, ResponseFlag, ResponseObjection, Staff
from surveys.periods import Period
from surveys.reporting.aggregate import Scope
from surveys.reporting.officers import OfficerPeriod, ScoreCache, officer_comments, officer_period
from surveys.reporting.service import (
    index_view,
    officer_casemix,
    unit_and_descendant_ids,
)

SCHEMA = "suara-warga/evidence/1"
COMMENT_SAMPLE = 10  # the latest comments copied into the evidence


def _officer_score(period_figures: OfficerPeriod, scores: OfficerScores | None) -> dict:
    """The officer's n, raw and shrunk scores with interval and reliability, and the n the
    organization's variances say the officer needs for evidence fit for an appraisal."""
    f = period_figures
    return {
        "n": f.n, "raw": json_number(f.raw), "shrunk": json_number(f.shrunk),
        "ci95": None if f.ci_low is None else [json_number(f.ci_low), json_number(f.ci_high)],
        "reliability": json_number(f.reliability), "unit_mean": json_number(f.unit_mean),
        "sufficient": f.sufficient,
        "reliable_for_evaluation": f.reliability is not None and f.reliability >= FOR_EVALUATION,
        "n_needed_for_evaluation": None if scores is None else scores.n_for_reliability(FOR_EVALUATION),
        "problem": f.problem,
    }


def _funnel(scores, staff: Staff) -> dict | None:
    """Where the officer's raw mean lies against their unit's funnel limits at their n."""
    if scores is None:
        return None
    funnel = scores.funnel()
    rows = funnel[funnel["officer"] == staff.nip]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return {"target": json_number(row.target), "n": int(row.n), "raw": json_number(row.raw),
            "limits_95": [json_number(row.lower_95), json_number(row.upper_95)],
            "limits_998": [json_number(row.lower_998), json_number(row.upper_998)],
            "position_95": row.position_95, "position_998": row.position_998,
            "method": funnel.attrs.get("method")}


def _casemix(session: Session, staff: Staff, period: Period) -> dict:
    """The score adjusted for service and channel beside the unadjusted one, or why not."""
    try:
        casemix = officer_casemix(session, staff.unit.code, period.code)
    except (AnalysisError, ValueError) as error:
        return {"available": False, "reason": str(error)}
    rows = casemix.officers[casemix.officers["officer"] == staff.nip]
    if rows.empty:
        return {"available": False, "reason": "the officer has no responses in the model"}
    row = rows.iloc[0]
    return {"available": True, "n": int(row.n), "unadjusted": json_number(row.unadjusted),
            "adjusted": json_number(row.adjusted), "ci95": [json_number(row.ci_low), json_number(row.ci_high)],
            "adjusters": list(casemix.adjusters), "dropped": dict(sorted(casemix.dropped.items())),
            "method": casemix.method}


def _unit_ikm(session: Session, staff: Staff, period: Period) -> dict:
    unit = staff.unit
    scope = Scope(period.start, period.end, tuple(unit_and_descendant_ids(session, unit)))
    view = index_view(session, scope)
    out = {"unit": unit.code, "name": unit.name, "responses": view.responses}
    if view.result is None:
        return {**out, "n": 0, "ikm": None, "ci95": None, "mutu": None, "problem": view.problem}
    result = view.result
    return {**out, "n": result.n, "ikm": json_number(result.ikm_exact),
            "ci95": None if result.ci95 is None else [json_number(v) for v in result.ci95],
            "mutu": result.mutu, "problem": None}


def _exclusions(session: Session, staff: Staff, period: Period) -> dict:
    """The rules that set responses aside, and how many of this officer's they set aside."""
    first, after = period.utc_bounds(staff.unit.timezone)
    own = (Response.staff_id == staff.id, Response.submitted_at >= first,
           Response.submitted_at < after)
    excluded = session.scalar(select(func.count()).select_from(Response).where(
        *own, exists().where(ResponseFlag.response_id == Response.id,
                             ResponseFlag.kind == "excluded")))
    upheld = session.scalar(select(func.count()).select_from(ResponseObjection).join(
        Response, Response.id == ResponseObjection.response_id).where(
        *own, ResponseObjection.status == "upheld"))
    return {
        "excluded_by_flag": int(excluded), "upheld_objections": int(upheld),
        "rules": ["responses flagged 'excluded' after review are not counted",
                  "responses flagged 'suspicious' are counted (the with-flagged view)",
                  "a response whose objection was upheld leaves the officer's score only"],
    }


def build_evidence(session: Session, staff: Staff, period: Period, now: datetime) -> dict:
    """The officer's citizen evidence for `period`, as of `now` (an aware UTC datetime)."""
    cache = ScoreCache(session)
    figures = officer_period(cache, staff, period)
    scores = cache.scores(staff, period)
    score = _officer_score(figures, scores)
    comments, total = officer_comments(session, staff, period)
    last: date = date.fromordinal(period.end.toordinal() - 1)
    return {
        "schema": SCHEMA,
        "officer": {"nip": staff.nip, "name": staff.name, "jabatan": staff.position,
                    "unit": staff.unit.code},
        "period": {"code": period.code, "from": period.start.isoformat(), "to": last.isoformat()},
        "pulled_at": now.isoformat(timespec="seconds"),
        "method": METHOD,
        "officer_score": score,
        "thresholds": {"sufficient": SUFFICIENT, "for_evaluation": FOR_EVALUATION},
        "casemix": _casemix(session, staff, period) if score["n"] else
        {"available": False, "reason": "no responses"},
        "funnel": _funnel(scores, staff),
        "unit_ikm": _unit_ikm(session, staff, period),
        "comments": {"total": total, "sample": [
            {"day": c.day.isoformat(), "text": c.text, "service": c.service}
            for c in comments[:COMMENT_SAMPLE]]},
        "exclusions": _exclusions(session, staff, period),
    }
