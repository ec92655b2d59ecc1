"""An officer's citizen-feedback figures for their own page and their evaluator's (DESIGN §5).

Per period: n, raw mean, the empirical-Bayes estimate shrunk toward the unit with its interval
and reliability (from `service.organization_officers`, the same model the API and the CLI use),
the comments naming the officer, a trend by period and by month, and the officer's own dot on
the unit's funnel among anonymous others. Only reads; the caller decides who may see it
(`surveys.organization.grants.may_see_officer`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from analysis import AnalysisError
from analysis.officers import SUFFICIENT, OfficerScores
from surveys.errors import InvalidPeriod
from surveys.models import (
    Answer,
    InstrumentItem,
    Response,
    ResponseFlag,
    ResponseObjection,
    Service,
    Staff,
    User,
)
from surveys.organization import grants
from surveys.periods import Period
from surveys.periods import local_day
from surveys.reporting.aggregate import Scope, officer_frame
from surveys.reporting.dashboard import Officers, funnel_dots
from surveys.reporting.service import organization_officers

TREND_PERIODS = 4  # the chosen period and the three before it
TREND_MONTHS = 12  # the monthly trend: the months ending with the chosen period's last one
COMMENT_LIMIT = 20  # the latest comments shown; the total is counted
# Why a period has no shrunk score: nobody named the officer, or the organization's data cannot
# yet separate officers from one another (too few officers or responses to estimate τ²).
NO_RESPONSES, NO_MODEL = "no_responses", "no_model"


@dataclass(frozen=True)
class OfficerPeriod:
    """One officer's figures over one period (scores on the 25–100 scale)."""

    period: Period
    n: int = 0  # responses with an officer score (U6, U7 or the officer rating)
    raw: float | None = None
    shrunk: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    reliability: float | None = None
    unit_mean: float | None = None  # what the estimate is shrunk toward
    needed: int | None = None  # n giving reliability 0.70 with this period's variances
    problem: str | None = None  # NO_RESPONSES or NO_MODEL when there is no shrunk score

    @property
    def sufficient(self) -> bool:
        """Reliability ≥ 0.70: below it the score is "data belum cukup" wherever it appears."""
        return self.reliability is not None and self.reliability >= SUFFICIENT


@dataclass(frozen=True)
class Comment:
    day: date  # the unit's local day
    text: str
    service: str | None


@dataclass(frozen=True)
class OfficerPage:
    staff: Staff
    current: OfficerPeriod
    previous: OfficerPeriod | None
    trend: list[OfficerPeriod]  # oldest first, ending with `current`
    comments: list[Comment]  # newest first, at most COMMENT_LIMIT
    comment_count: int
    months: list[OfficerPeriod] = ()  # oldest first, at most TREND_MONTHS, none after today
    funnel: Officers | None = None  # the unit's officers, anonymous; the officer's dot `focus`

    @property
    def own_dot(self):
        """The officer's own dot on the funnel, or None when they are not on it."""
        rows = self.funnel.rows if self.funnel is not None else ()
        return next((row for row in rows if row.focus), None)


def previous_period(period: Period) -> Period | None:
    """The period of the same kind just before `period` (2026-Q1 → 2025-Q4), None before 2000."""
    year, _, part = period.code.partition("-")
    y = int(year)
    if not part:
        code = f"{y - 1}"
    elif part[0] == "S":
        code = f"{y}-S1" if part == "S2" else f"{y - 1}-S2"
    elif part[0] == "Q":
        quarter = int(part[1])
        code = f"{y}-Q{quarter - 1}" if quarter > 1 else f"{y - 1}-Q4"
    else:
        month = int(part)
        code = f"{y}-{month - 1:02d}" if month > 1 else f"{y - 1}-12"
    try:
        return Period.parse(code)
    except InvalidPeriod:
        return None


class ScoreCache:
    """Each organization's officer scores per period, computed once per page."""

    def __init__(self, session: Session):
        self.session = session
        self._scores: dict[tuple[int, str], OfficerScores | None] = {}

    def scores(self, staff: Staff, period: Period) -> OfficerScores | None:
        key = (staff.unit.organization_id, period.code)
        if key not in self._scores:
            try:
                self._scores[key] = organization_officers(
                    self.session, staff.unit, Scope(period.start, period.end))
            except AnalysisError:
                self._scores[key] = None
        return self._scores[key]


def officer_period(cache: ScoreCache, staff: Staff, period: Period) -> OfficerPeriod:
    """The officer's row of the organization's scores; n and the raw mean alone when the
    model cannot be fitted."""
    scores = cache.scores(staff, period)
    rows = None if scores is None else scores.frame[scores.frame["officer"] == staff.nip]
    if rows is None or rows.empty:
        own = officer_frame(cache.session, Scope(period.start, period.end, staff_id=staff.id))
        if own.empty:
            return OfficerPeriod(period, problem=NO_RESPONSES)
        n = int(own["n"].iloc[0])
        return OfficerPeriod(period, n, float(own["sum"].iloc[0]) / n, problem=NO_MODEL)
    row = rows.iloc[0]
    return OfficerPeriod(
        period, int(row.n), float(row.raw), float(row.shrunk), float(row.ci_low),
        float(row.ci_high), float(row.reliability), float(row.unit_mean),
        scores.n_for_reliability(SUFFICIENT))


def officer_comments(session: Session, staff: Staff, period: Period) -> tuple[list[Comment], int]:
    """The latest comments of responses naming the officer in the period (excluded responses
    and those whose objection was upheld left out, as in every figure of the officer), and how
    many there are. No receipt or contact detail."""
    first, after = period.utc_bounds(staff.unit.timezone)
    excluded = exists().where(ResponseFlag.response_id == Response.id,
                              ResponseFlag.kind == "excluded")
    upheld = exists().where(ResponseObjection.response_id == Response.id,
                            ResponseObjection.status == "upheld")
    conditions = (Response.staff_id == staff.id, Response.submitted_at >= first,
                  Response.submitted_at < after, InstrumentItem.code == "COMMENT",
                  Answer.value_text.is_not(None), Answer.value_text != "", ~excluded, ~upheld)
    base = (select(Response.submitted_at, Answer.value_text, Service.name)
            .join(Answer, Answer.response_id == Response.id)
            .join(InstrumentItem, InstrumentItem.id == Answer.item_id)
            .outerjoin(Service, Service.id == Response.service_id)
            .where(*conditions))
    rows = session.execute(base.order_by(Response.submitted_at.desc(), Response.id.desc())
                           .limit(COMMENT_LIMIT)).all()
    total = session.scalar(select(func.count()).select_from(base.subquery()))
    comments = [Comment(local_day(moment, staff.unit.timezone), text, service)
                for moment, text, service in rows]
    return comments, total


def trend_months(period: Period, today: date | None = None) -> list[Period]:
    """The TREND_MONTHS months ending with the period's last month, or with today's month when
    that comes earlier (no month of the future); oldest first."""
    last = date.fromordinal(period.end.toordinal() - 1)
    if today is not None and today < last:
        last = today
    index = last.year * 12 + last.month - 1
    months = []
    for i in range(index - TREND_MONTHS + 1, index + 1):
        try:
            months.append(Period.parse(f"{i // 12}-{i % 12 + 1:02d}"))
        except InvalidPeriod:  # before 2000
            continue
    return months


def officer_page(session: Session, staff: Staff, period: Period,
                 today: date | None = None) -> OfficerPage:
    """Everything an officer's page shows for `period`: its figures, the previous period's,
    the trend over TREND_PERIODS periods and over the months up to `today` (the unit's local
    day), the officer on the funnel among anonymous others, and the period's comments."""
    cache = ScoreCache(session)
    periods = [period]
    while len(periods) < TREND_PERIODS and (before := previous_period(periods[0])) is not None:
        periods.insert(0, before)
    trend = [officer_period(cache, staff, each) for each in periods]
    months = [officer_period(cache, staff, month) for month in trend_months(period, today)]
    comments, total = officer_comments(session, staff, period)
    previous = trend[-2] if len(trend) > 1 else None
    funnel = funnel_dots(session, staff.unit, period, None, focus_staff_id=staff.id)
    return OfficerPage(staff, trend[-1], previous, trend, comments, total, months, funnel)


def staff_by_ref(session: Session, public_ref: str) -> Staff | None:
    if len(public_ref) > 22:
        return None
    return session.scalars(select(Staff).where(Staff.public_ref == public_ref)).one_or_none()


@dataclass(frozen=True)
class EvaluatedOfficer:
    staff: Staff
    current: OfficerPeriod
    previous: OfficerPeriod | None


def evaluated_officers(session: Session, user: User, period: Period) -> list[EvaluatedOfficer]:
    """The officers `user` evaluates with their figures, in name order (never ranked by score)."""
    ids = grants.evaluated_staff_ids(user)
    if not ids:
        return []
    cache = ScoreCache(session)
    before = previous_period(period)
    staff = session.scalars(select(Staff).where(Staff.id.in_(ids)).order_by(Staff.name, Staff.id))
    return [EvaluatedOfficer(officer, officer_period(cache, officer, period),
                             before and officer_period(cache, officer, before))
            for officer in staff]
