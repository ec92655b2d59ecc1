"""The unit dashboard: what a kepala unit reads every morning, from the roll-up (issue 12).

The index of the period and the one before, with and without flagged responses, the change and
whether it is more than noise, the monthly trend, the unsur, the latest comments, the officers
on a funnel beside their case-mix adjusted scores, and the unit's IKU targets with realisation. Only reads: the view folds the
roll-up queue first. Officers' names are given only to whom `may_see_officer` allows.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from analysis import (
    AnalysisError,
    IkmResult,
    Trend,
    UnansweredUnsur,
    krejcie_morgan_target,
    trend,
)
from analysis.funnel import funnel_limits
from analysis.sufficient import ikm_from_sufficient
from surveys.evaluations.iku_targets import unit_targets
from surveys.models import (
    Answer,
    Complaint,
    InstrumentItem,
    ReplyRequest,
    Response,
    ResponseObjection,
    Staff,
    Unit,
    User,
)
from surveys.organization.grants import may_see_officer
from surveys.periods import Period, local_day
from surveys.reporting.aggregate import WITH_FLAGGED, Scope, grouped_stats
from surveys.reporting.compare import UnitChange, change_between, officer_funnel
from surveys.reporting.service import (
    IndexView,
    officer_casemix,
    unit_and_descendant_ids,
    unit_report,
)

TREND_MONTHS = 12
LATEST_COMMENTS = 10
FUNNEL_POINTS = 40


@dataclass(frozen=True)
class PeriodFigures:
    """A period's index both ways and the sample it rests on against the Krejcie–Morgan target
    (for the unit's population when it is known, else for an unlimited one)."""

    period: Period
    with_flagged: IndexView
    without_flagged: IndexView
    population: int | None
    target: int

    @property
    def flagged(self) -> int:
        """Responses counted "with flagged" only: the suspicious ones."""
        return self.with_flagged.responses - self.without_flagged.responses


@dataclass(frozen=True)
class Month:
    code: str  # 2026-07
    result: IkmResult | None  # None: nobody answered that month, or nobody answered an unsur
    respondents: int = 0
    unanswered: str | None = None  # the unsur nobody answered, when there were respondents


@dataclass(frozen=True)
class Comment:
    submitted_at: datetime  # in the unit's time zone
    text: str
    service: str | None
    counter: str | None
    score: float | None  # 25 × the mean of the respondent's answered unsur
    lowest: tuple[str, ...]  # the unsur the respondent rated lowest
    lowest_answer: int | None
    flags: tuple[str, ...]  # suspicious, excluded, objected
    wants_reply: bool
    officer: str | None  # the officer's name, only for a viewer who may see it


@dataclass(frozen=True)
class Officer:
    """One dot of the funnel, numbered by n (never by score) and named only for some viewers."""

    number: int
    name: str | None
    unit: str
    n: int
    raw: float
    target: float  # the unit mean the officer is compared with
    half_95: float  # the limits at this n are target ± half
    half_998: float
    position_95: str  # inside, above, below
    position_998: str
    reliability: float
    sufficient: bool  # reliability ≥ 0.70, else "data belum cukup"
    adjusted: float | None = None  # case-mix adjusted score and its 95% interval
    adjusted_low: float | None = None
    adjusted_high: float | None = None
    focus: bool = False  # the officer whose own page shows the funnel

    @property
    def difference(self) -> float:
        return self.raw - self.target


@dataclass(frozen=True)
class Officers:
    rows: tuple[Officer, ...] = ()
    curve: tuple[tuple[float, float, float], ...] = ()  # (n, half 95%, half 99.8%)
    problem: str | None = None  # why there is no funnel
    adjusters: tuple[str, ...] = ()  # what the case mix adjusts for
    dropped: tuple[tuple[str, str], ...] = ()  # (adjuster, why not)
    casemix_problem: str | None = None


@dataclass(frozen=True)
class Dashboard:
    unit: Unit
    current: PeriodFigures
    previous: PeriodFigures
    changes: dict[str, UnitChange]  # "with" / "without" flagged
    months: tuple[Month, ...]
    trend: Trend | None
    comments: tuple[Comment, ...]
    waiting_replies: int
    officers: Officers
    iku: tuple = ()  # (IkuTarget, Realisation) of the unit's IKU targets for the period

    @property
    def weakest(self) -> str | None:
        """The unsur with the lowest NRR this period (published view)."""
        result = self.current.with_flagged.result
        if result is None:
            return None
        return min(result.unsur, key=lambda item: item.nrr).code


def default_period(unit: Unit, now: datetime) -> Period:
    """The current triwulan in the unit's time zone."""
    return Period.quarter_of(local_day(now, unit.timezone))


def previous_period(period: Period) -> Period:
    """The period of the same kind just before: 2026-Q1 → 2025-Q4, 2026-07 → 2026-06."""
    year, _, part = period.code.partition("-")
    year = int(year)
    if not part:
        return Period.parse(str(year - 1))
    if part[0] in "SQ":
        kind, number = part[0], int(part[1:])
        last = 2 if kind == "S" else 4
        return Period.parse(f"{year - 1}-{kind}{last}" if number == 1
                            else f"{year}-{kind}{number - 1}")
    month = int(part)
    return Period.parse(f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}")


def period_figures(session: Session, unit: Unit, period: Period) -> PeriodFigures:
    report = unit_report(session, unit.code, period=period.code, officers=False)
    result = report.with_flagged.result
    population = result.population if result is not None else None
    return PeriodFigures(period, report.with_flagged, report.without_flagged, population,
                         krejcie_morgan_target(population))


def months(session: Session, tree: tuple[int, ...], period: Period) -> tuple[Month, ...]:
    """The IKM of each of the TREND_MONTHS months ending with the period's last month (one
    query by day, summed per month), from the first to the last month anyone answered."""
    last = date(period.end.year - (period.end.month == 1), (period.end.month - 2) % 12 + 1, 1)
    first_index = last.year * 12 + last.month - TREND_MONTHS
    first = date(first_index // 12, first_index % 12 + 1, 1)
    daily = grouped_stats(session, Scope(first, period.end, tree, flag_states=WITH_FLAGGED),
                          by="day")
    totals: dict[str, object] = {}
    for day, stats in daily.items():
        code = f"{day.year}-{day.month:02d}"
        totals[code] = stats if code not in totals else totals[code] + stats
    codes = [f"{i // 12}-{i % 12 + 1:02d}" for i in range(first_index, first_index + TREND_MONTHS)]
    answered = [i for i, code in enumerate(codes) if code in totals]
    if not answered:
        return ()
    return tuple(_month(code, totals.get(code)) for code in codes[answered[0]:answered[-1] + 1])


def _month(code: str, stats) -> Month:
    if stats is None:
        return Month(code, None)
    try:
        return Month(code, ikm_from_sufficient(stats), stats.n)
    except UnansweredUnsur as blank:
        return Month(code, None, stats.n, blank.code)
    except AnalysisError:
        return Month(code, None, stats.n)


def monthly_trend(rows: tuple[Month, ...]) -> Trend | None:
    """Change per month (weighted least squares on the months with an se), or None."""
    points = [{"x": x, "estimate": m.result.ikm_exact, "se": m.result.se}
              for x, m in enumerate(rows) if m.result is not None and m.result.se]
    return trend(pd.DataFrame(points)) if len(points) >= 3 else None


def latest_comments(session: Session, unit: Unit, tree: tuple[int, ...], period: Period,
                    viewer: User) -> tuple[Comment, ...]:
    start, end = period.utc_bounds(unit.timezone)
    query = (select(Answer.value_text, Response)
             .join(InstrumentItem, InstrumentItem.id == Answer.item_id)
             .join(Response, Response.id == Answer.response_id)
             .where(InstrumentItem.kind == "text", Answer.value_text.is_not(None),
                    Response.unit_id.in_(tree), Response.submitted_at >= start,
                    Response.submitted_at < end)
             .options(selectinload(Response.flags), selectinload(Response.service),
                      selectinload(Response.counter), selectinload(Response.staff),
                      selectinload(Response.reply_request))
             .order_by(Response.submitted_at.desc(), Response.id.desc())
             .limit(LATEST_COMMENTS))
    zone = ZoneInfo(unit.timezone)
    rows = session.execute(query).all()
    # An upheld objection says the response was not about its officer: it names nobody.
    upheld = set(session.scalars(select(ResponseObjection.response_id).where(
        ResponseObjection.status == "upheld",
        ResponseObjection.response_id.in_([response.id for _text, response in rows]))))
    return tuple(_comment(text, response, zone, viewer, named=response.id not in upheld)
                 for text, response in rows)


def _comment(text: str, response: Response, zone: ZoneInfo, viewer: User,
             named: bool) -> Comment:
    answers = {code: value for code, value in response.unsur().items() if value is not None}
    low = min(answers.values()) if answers else None
    staff = response.staff if named else None
    return Comment(
        submitted_at=response.submitted_at.astimezone(zone), text=text,
        service=response.service.name if response.service else None,
        counter=response.counter.name if response.counter else None,
        score=25.0 * sum(answers.values()) / len(answers) if answers else None,
        lowest=tuple(code for code, value in answers.items() if value == low),
        lowest_answer=low, flags=tuple(sorted(flag.kind for flag in response.flags)),
        wants_reply=response.reply_request is not None,
        officer=staff.name if staff is not None and may_see_officer(viewer, staff.id) else None)


def waiting_replies(session: Session, tree: tuple[int, ...]) -> int:
    """Comments whose writer asked for a reply, whose contact is still kept and whose complaint
    is not closed (selesai) yet."""
    return int(session.scalar(
        select(func.count(ReplyRequest.id))
        .join(Response, Response.id == ReplyRequest.response_id)
        .outerjoin(Complaint, Complaint.response_id == ReplyRequest.response_id)
        .where(Response.unit_id.in_(tree),
               or_(Complaint.id.is_(None), Complaint.status != "selesai"))))


def funnel_dots(session: Session, unit: Unit, period: Period, viewer: User | None,
                focus_staff_id: int | None = None) -> Officers:
    """The unit tree's officers as funnel dots (raw score against n, limits around their own
    unit's mean), numbered by n; names only where `viewer` may see them (None: no names), the
    dot of `focus_staff_id` marked as `focus`."""
    return _funnel_dots(session, unit, period, viewer, focus_staff_id)[0]


def _funnel_dots(session: Session, unit: Unit, period: Period, viewer: User | None,
                 focus_staff_id: int | None = None) -> tuple[Officers, list[str]]:
    """`funnel_dots` and the NIPs of its rows, in row order."""
    try:
        funnel = officer_funnel(session, unit.code, period.code)
    except AnalysisError as error:
        return Officers(problem=str(error)), []
    if funnel.empty:
        return Officers(problem="no officer of this unit was named"), []
    people = {nip: (staff_id, name, unit_name) for nip, staff_id, name, unit_name in
              session.execute(select(Staff.nip, Staff.id, Staff.name, Unit.name)
                              .join(Unit, Unit.id == Staff.unit_id)
                              .where(Staff.nip.in_(list(funnel["officer"]))))}
    funnel = funnel.sort_values(["n", "officer"], kind="stable").reset_index(drop=True)
    rows = []
    for number, row in enumerate(funnel.itertuples(index=False), start=1):
        staff_id, name, unit_name = people[row.officer]
        named = viewer is not None and may_see_officer(viewer, staff_id)
        rows.append(Officer(
            number, name if named else None, unit_name, int(row.n),
            float(row.raw), float(row.target), float(row.upper_95 - row.target),
            float(row.upper_998 - row.target), row.position_95, row.position_998,
            float(row.reliability), bool(row.sufficient), focus=staff_id == focus_staff_id))
    sigma2, tau2 = funnel.attrs["sigma2"], funnel.attrs["tau2"]
    top = max(row.n for row in rows)
    grid = np.geomspace(max(1.0, min(row.n for row in rows) * 0.6), top * 1.05, FUNNEL_POINTS)
    limits = funnel_limits(0.0, sigma2, grid, tau2=tau2)
    curve = tuple((float(n), float(a), float(b)) for n, a, b in
                  zip(grid, limits["upper_95"], limits["upper_998"]))
    return Officers(tuple(rows), curve), list(funnel["officer"])


def officers(session: Session, unit: Unit, period: Period, viewer: User) -> Officers:
    """The funnel of the unit tree's officers beside their case-mix adjusted scores; names only
    where `viewer` may see them."""
    result, nips = _funnel_dots(session, unit, period, viewer)
    if not result.rows:
        return result
    try:
        casemix = officer_casemix(session, unit.code, period.code)
    except (AnalysisError, ValueError) as error:
        return replace(result, casemix_problem=str(error))
    adjusted = casemix.officers.set_index("officer")
    by_nip = dict(zip(nips, range(len(nips))))
    rows = list(result.rows)
    for nip, index in by_nip.items():
        if nip in adjusted.index:
            fit = adjusted.loc[nip]
            rows[index] = replace(rows[index], adjusted=float(fit.adjusted),
                                  adjusted_low=float(fit.ci_low), adjusted_high=float(fit.ci_high))
    return replace(result, rows=tuple(rows), adjusters=tuple(casemix.adjusters),
                   dropped=tuple(sorted(casemix.dropped.items())))


def dashboard(session: Session, unit: Unit, period: Period, viewer: User) -> Dashboard:
    """Everything on the unit's dashboard for `period`, as `viewer` may see it."""
    tree = tuple(unit_and_descendant_ids(session, unit))
    current = period_figures(session, unit, period)
    previous = period_figures(session, unit, previous_period(period))
    changes = {name: change_between(unit.code, getattr(previous, view).result,
                                    getattr(current, view).result)
               for name, view in (("with", "with_flagged"), ("without", "without_flagged"))}
    trend_rows = months(session, tree, period)
    return Dashboard(
        unit, current, previous, changes, trend_rows, monthly_trend(trend_rows),
        latest_comments(session, unit, tree, period, viewer), waiting_replies(session, tree),
        officers(session, unit, period, viewer), tuple(unit_targets(session, unit, period)))
