"""The realisation of an IKU target from the data, with its interval (DESIGN §3, issue 13).

ikm: the unit tree's IKM with its interval, as the published index gives it: with the
finite-population correction when the period's population is known (an IKU is about that
period's service users, a finite population, so the correction is the right uncertainty; it is
also what `flask skm compute --population` and the dashboard report). waiting: the share of
respondents who waited under 15 minutes (waiting band 1) among those who said, with the Wilson
interval, uncorrected (the question is optional: the answerers are not a sample of the
population in the same sense, so the wider interval is the honest one). responses: the
respondents as a percentage of the Krejcie–Morgan target for the unit's population, a count
with no interval. Excluded responses never count, as in every figure; flagged-suspicious ones
do (the published view). Values are rounded half-up to 2 decimals and judged as displayed.
Only reads; the roll-up must be folded first.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from analysis import AnalysisError, UnansweredUnsur, round_half_up
from analysis.intervals import wilson_interval
from analysis.sample import krejcie_morgan_target
from analysis.sufficient import ikm_from_sufficient
from surveys.models import IkuTarget, Population, Response, ResponseFlag
from surveys.periods import Period
from surveys.reporting.aggregate import Scope, grouped_stats
from surveys.reporting.service import unit_and_descendant_ids

DIGITS = 2
UNDER_15_MINUTES = 1  # waiting band 1: less than 15 minutes
# Why a realisation has no value: nobody answered; an unsur nobody answered (the IKM is then
# undefined; `unanswered:U4`); nobody answered the waiting question; no population figure.
PROBLEMS = ("no_respondents", "unanswered", "no_waiting_answers", "no_population")


@dataclass(frozen=True)
class Realisation:
    """A target's realisation: `value` on the target's scale, its 95% interval when the value is
    an estimate, the respondents behind it, and whether it meets the target (`met`) and does so
    beyond its uncertainty (`certain`: the whole interval lies on one side; an estimate without
    an interval, n = 1, is never certain; a count has no uncertainty)."""

    indicator: str
    period: str
    unit: str
    target: float
    value: float | None
    ci95: tuple[float, float] | None
    n: int
    met: bool | None
    certain: bool
    problem: str | None = None  # see PROBLEMS; "unanswered:U4" names the unsur

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


def _rounded(value: float) -> Decimal:
    return round_half_up(value, DIGITS)


def _judged(target: IkuTarget, value: float | None, ci95, n: int, problem=None, *,
            exact: bool = False) -> Realisation:
    """Met when the displayed (rounded) value reaches the target; certain when the displayed
    interval lies wholly on that side of it (or the value is an exact count)."""
    goal = Decimal(str(target.target))
    common = (target.indicator, target.period, target.unit.code, float(goal))
    if value is None:
        return Realisation(*common, None, None, n, None, False, problem)
    shown = _rounded(value)
    met = shown >= goal
    interval = None if ci95 is None else (_rounded(ci95[0]), _rounded(ci95[1]))
    if exact:
        certain = True
    elif interval is None:
        certain = False
    else:
        certain = interval[0] >= goal if met else interval[1] < goal
    return Realisation(*common, float(shown),
                       None if interval is None else (float(interval[0]), float(interval[1])),
                       n, met, certain, problem)


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


def _ikm(target: IkuTarget, stats, population: int | None) -> Realisation:
    if population is not None and population < stats.n:
        population = None  # an undercounted population would make the correction meaningless
    try:
        result = ikm_from_sufficient(stats, population=population)
    except UnansweredUnsur as blank:
        return _judged(target, None, None, stats.n, f"unanswered:{blank.code}")
    except AnalysisError:
        return _judged(target, None, None, stats.n, "no_respondents")
    return _judged(target, result.ikm_exact, result.ci95, result.n)


def realisation(session: Session, target: IkuTarget) -> Realisation:
    """The target's realisation over its unit (with sub-units) and period."""
    period = Period.parse(target.period)
    tree = unit_and_descendant_ids(session, target.unit)
    if target.indicator == "waiting":
        return _waiting(session, target, period, tree)
    stats = grouped_stats(session, Scope(period.start, period.end, tuple(tree))).get(None)
    n = 0 if stats is None else stats.n
    population = _population(session, target)
    if target.indicator == "ikm":
        if stats is None:
            return _judged(target, None, None, 0, "no_respondents")
        return _ikm(target, stats, population)
    if population is None:
        return _judged(target, None, None, n, "no_population")
    return _judged(target, 100 * n / krejcie_morgan_target(population), None, n, exact=True)
