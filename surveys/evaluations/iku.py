"""The realisation of an IKU target from the data, with its interval (DESIGN §3, issue 13).

ikm: the unit tree's IKM with its interval; waiting: the share of respondents who waited under
15 minutes (waiting band 1) among those who said, with the Wilson interval; responses: the
respondents as a percentage of the Krejcie–Morgan target for the unit's population. Excluded
responses never count, as in every figure. Only reads.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from analysis.intervals import wilson_interval
from analysis.sample import krejcie_morgan_target
from surveys.models import IkuTarget, Population, Response, ResponseFlag
from surveys.periods import Period
from surveys.reporting.aggregate import Scope
from surveys.reporting.service import index_view, unit_and_descendant_ids

DIGITS = 2
UNDER_15_MINUTES = 1  # waiting band 1: less than 15 minutes


@dataclass(frozen=True)
class Realisation:
    """A target's realisation: `value` on the target's scale, its 95% interval when the value is
    an estimate, the respondents behind it, and whether it meets the target (`met`) and does so
    beyond its uncertainty (`certain`: the whole interval lies on one side)."""

    indicator: str
    period: str
    unit: str
    target: float
    value: float | None
    ci95: tuple[float, float] | None
    n: int
    met: bool | None
    certain: bool
    problem: str | None = None  # no_respondents, no_waiting_answers, no_population

    def to_dict(self) -> dict:
        out = asdict(self)
        out["ci95"] = None if self.ci95 is None else list(self.ci95)
        return out

    @property
    def text(self) -> str:
        """A short display string (numbers only, so it reads the same in both languages)."""
        if self.value is None:
            return f"– (n = {self.n})"
        unit = "" if self.indicator == "ikm" else "%"
        interval = "" if self.ci95 is None else f" [{self.ci95[0]:.2f}–{self.ci95[1]:.2f}]"
        return f"{self.value:.2f}{unit}{interval}, n = {self.n}"


def _judged(target: IkuTarget, value: float | None, ci95, n: int, problem=None) -> Realisation:
    met = None if value is None else value >= float(target.target)
    low, high = ci95 if ci95 is not None else (value, value)
    certain = value is not None and (low >= target.target if met else high < target.target)
    rounded = None if ci95 is None else (round(ci95[0], DIGITS), round(ci95[1], DIGITS))
    return Realisation(target.indicator, target.period, target.unit.code, float(target.target),
                       None if value is None else round(value, DIGITS), rounded, n, met,
                       bool(certain), problem)


def _population(session: Session, target: IkuTarget) -> int | None:
    return session.scalar(select(Population.size).where(
        Population.unit_id == target.unit_id, Population.period == target.period))


def _waiting(session: Session, target: IkuTarget, period: Period, tree: list[int]) -> Realisation:
    first, after = period.utc_bounds(target.unit.timezone)
    excluded = exists().where(ResponseFlag.response_id == Response.id,
                              ResponseFlag.kind == "excluded")
    answered, quick = session.execute(
        select(func.count(Response.waiting_band),
               func.count(case((Response.waiting_band == UNDER_15_MINUTES, 1))))
        .where(Response.unit_id.in_(tree), Response.submitted_at >= first,
               Response.submitted_at < after, ~excluded)).one()
    if not answered:
        return _judged(target, None, None, 0, "no_waiting_answers")
    low, high = wilson_interval(quick, answered)
    return _judged(target, 100 * quick / answered, (100 * low, 100 * high), int(answered))


def realisation(session: Session, target: IkuTarget) -> Realisation:
    """The target's realisation over its unit (with sub-units) and period."""
    period = Period.parse(target.period)
    tree = unit_and_descendant_ids(session, target.unit)
    if target.indicator == "waiting":
        return _waiting(session, target, period, tree)
    population = _population(session, target)
    view = index_view(session, Scope(period.start, period.end, tuple(tree)), population)
    n = 0 if view.result is None else view.result.n
    if target.indicator == "ikm":
        if view.result is None:
            return _judged(target, None, None, 0, "no_respondents")
        return _judged(target, view.result.ikm_exact, view.result.ci95, n)
    if population is None:
        return _judged(target, None, None, n, "no_population")
    return _judged(target, 100 * n / krejcie_morgan_target(population), None, n)
