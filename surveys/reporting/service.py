"""Statistics services for the CLI, the web pages and the API: any unit (with its sub-units),
service, counter or officer over a calendar period or a date range, from the roll-up.

Results come with and without flagged responses side by side: "with flagged" counts clean and
suspicious responses (excluded ones never count), "without flagged" only clean ones. These only
read the roll-up: the entry point folds the queue first (`rollup.fold_pending`) and commits.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis import AnalysisError, IkmResult
from analysis.casemix import CaseMix, casemix_adjusted
from analysis.officers import OfficerScores, officer_scores
from analysis.sufficient import ikm_from_sufficient
from analysis.version import METHOD
from surveys.errors import InvalidRange, StaffNotFound, StaffOfAnotherUnit, UnitNotFound
from surveys.models import Population, Service, Staff, Unit
from surveys.periods import InvalidPeriod, Period, check_day
from surveys.reporting.aggregate import (
    WITH_FLAGGED,
    WITHOUT_FLAGGED,
    Scope,
    casemix_cells,
    grouped_stats,
    officer_frame,
    response_count,
)

CASEMIX_ADJUSTERS = ["service", "channel"]


@dataclass(frozen=True)
class IndexView:
    """One view of an index: how many responses it counts, the result, or why there is none."""

    responses: int
    result: IkmResult | None
    problem: str | None = None

    def to_dict(self) -> dict:
        out = {"responses": self.responses, "method": METHOD}
        if self.result is not None:
            out.update(self.result.to_dict(extended=True))
        else:
            out["problem"] = self.problem
        return out


@dataclass(frozen=True)
class UnitReport:
    """A unit's index over a span, with and without flagged responses, and its officers."""

    unit: Unit
    period: str | None
    start: date
    end: date  # exclusive
    with_flagged: IndexView
    without_flagged: IndexView
    officers: pd.DataFrame | None = None  # analysis.officers columns, the unit tree's officers
    officer_problem: str | None = None
    officer_model: dict = field(default_factory=dict)  # tau2, sigma2, method
    method: str = METHOD


def unit_and_descendant_ids(session: Session, unit: Unit) -> list[int]:
    """The unit and every unit below it: parent figures are recomputed from their respondents."""
    ids, frontier = [unit.id], [unit.id]
    while frontier:
        frontier = list(session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier))))
        ids.extend(frontier)
    return ids


def find_unit(session: Session, code: str) -> Unit:
    unit = session.scalars(select(Unit).where(Unit.code == code)).one_or_none()
    if unit is None:
        raise UnitNotFound(code)
    return unit


def span(period: str | None, start: date | None = None, end: date | None = None):
    """(period code or None, first day, day after the last) of a period code or a date range
    [start, end] (both local days, inclusive). Raises InvalidPeriod or InvalidRange."""
    if period is not None:
        if start is not None or end is not None:
            raise InvalidRange("give a period or a date range, not both")
        parsed = Period.parse(period)
        return parsed.code, parsed.start, parsed.end
    if start is None or end is None:
        raise InvalidRange("a date range needs both its first and its last day")
    if end < start:
        raise InvalidRange(f"the range ends ({end}) before it starts ({start})")
    try:
        check_day(start), check_day(end)
    except InvalidPeriod as error:
        raise InvalidRange(str(error)) from None
    return None, start, date.fromordinal(end.toordinal() + 1)


def index_view(session: Session, scope: Scope, population: int | None = None) -> IndexView:
    """The index of the cells in `scope` (the result is None when nobody answered)."""
    responses = response_count(session, scope)
    stats = grouped_stats(session, scope).get(None)
    if stats is None:
        return IndexView(responses, None, "no respondents")
    if population is not None and population < stats.n:
        population = None  # an undercounted population would make the correction meaningless
    try:
        return IndexView(responses, ikm_from_sufficient(stats, population=population))
    except AnalysisError as error:
        return IndexView(responses, None, str(error))


def population_of(session: Session, unit: Unit, period: str | None) -> int | None:
    """The unit's number of service users for the period code, if typed or imported."""
    if period is None:
        return None
    return session.scalar(
        select(Population.size).where(Population.unit_id == unit.id, Population.period == period))


def organization_officers(
    session: Session, unit: Unit, scope: Scope
) -> OfficerScores:
    """Shrunk scores of every officer of the unit's organization over the scope's days: the
    between-officer variance is estimated from all of them, each is shrunk toward their unit."""
    units = tuple(session.scalars(select(Unit.id).where(
        Unit.organization_id == unit.organization_id)))
    frame = officer_frame(session, replace(scope, unit_ids=units, staff_id=None))
    if frame.empty:
        raise AnalysisError("no officer was named in these responses")
    return officer_scores(frame)


def unit_report(
    session: Session,
    unit_code: str,
    *,
    period: str | None = None,
    start: date | None = None,
    end: date | None = None,
    service_id: int | None = None,
    counter_id: int | None = None,
    staff_id: int | None = None,
    officers: bool = True,
) -> UnitReport:
    """The index of a unit tree (optionally one service, counter or officer of it) for a period
    or date range, both views, and the officers of the tree with their shrunk scores."""
    unit = find_unit(session, unit_code)
    code, first, after = span(period, start, end)
    tree = tuple(unit_and_descendant_ids(session, unit))
    scope = Scope(first, after, tree, service_id, counter_id, staff_id)
    whole_unit = service_id is None and counter_id is None and staff_id is None
    population = population_of(session, unit, code) if whole_unit else None
    views = {name: index_view(session, replace(scope, flag_states=states), population)
             for name, states in (("with", WITH_FLAGGED), ("without", WITHOUT_FLAGGED))}
    report = UnitReport(unit, code, first, after, views["with"], views["without"])
    if not officers:
        return report
    try:
        scores = organization_officers(session, unit, scope)
    except AnalysisError as error:
        return replace(report, officer_problem=str(error))
    frame = scores.frame[scores.frame["unit"].isin(tree)].reset_index(drop=True)
    if staff_id is not None:
        frame = frame[frame["officer"].isin(_nips(session, [staff_id]))].reset_index(drop=True)
    model = {"tau2": scores.tau2, "sigma2": scores.sigma2, "method": scores.method}
    return replace(report, officers=frame, officer_model=model)


def officer_report(session: Session, unit_id: int, nip: str, period: Period) -> UnitReport:
    """The report of one officer of the unit tree `unit_id` over a period: the officer's index
    and shrunk score. Raises StaffNotFound, or StaffOfAnotherUnit outside the tree."""
    staff = session.scalars(select(Staff).where(Staff.nip == nip)).one_or_none()
    if staff is None:
        raise StaffNotFound(nip)
    if staff.unit_id not in unit_and_descendant_ids(session, session.get(Unit, unit_id)):
        raise StaffOfAnotherUnit(nip)
    return unit_report(session, staff.unit.code, period=period.code, staff_id=staff.id)


def _nips(session: Session, staff_ids) -> list[str]:
    return list(session.scalars(select(Staff.nip).where(Staff.id.in_(staff_ids))))


def unit_tree_indices(
    session: Session, start: date, end: date, flag_states=WITH_FLAGGED
) -> dict[int, IkmResult | None]:
    """Every unit's index (each with its sub-units) over [start, end): one GROUP BY unit query,
    then parents summed from their children's statistics, never averaged."""
    own = grouped_stats(session, Scope(start, end, flag_states=flag_states), by="unit_id")
    parents = dict(session.execute(select(Unit.id, Unit.parent_id)).all())
    totals: dict[int, object] = {}
    for unit_id, stats in own.items():
        node = unit_id
        while node is not None:
            totals[node] = stats if node not in totals else totals[node] + stats
            node = parents.get(node)
    out: dict[int, IkmResult | None] = {}
    for unit_id, stats in totals.items():
        try:
            out[unit_id] = ikm_from_sufficient(stats)
        except AnalysisError:
            out[unit_id] = None
    return out


def officer_casemix(session: Session, unit_code: str, period: str | None = None,
                    start: date | None = None, end: date | None = None,
                    flag_states=WITH_FLAGGED) -> CaseMix:
    """Officers of the unit tree adjusted for service and channel (cells summed in SQL)."""
    unit = find_unit(session, unit_code)
    _, first, after = span(period, start, end)
    tree = tuple(unit_and_descendant_ids(session, unit))
    cells = casemix_cells(session, Scope(first, after, tree, flag_states=flag_states))
    names = {str(service_id): code for service_id, code in session.execute(
        select(Service.id, Service.code).where(Service.unit_id.in_(tree)))}
    if len(set(names.values())) == len(names):  # label services by their code when unambiguous
        cells["service"] = [None if s is None else names.get(s, s) for s in cells["service"]]
    return casemix_adjusted(cells, CASEMIX_ADJUSTERS, group="unit")
