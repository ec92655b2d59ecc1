"""The published satisfaction index of a unit (with its sub-units) for a period.

This first version reads the answer columns of the period's responses into a DataFrame and lets
`analysis` compute; responses flagged "excluded" do not count.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from analysis import IkmResult, compute_ikm
from surveys.errors import UnitNotFound
from surveys.models import Population, Response, ResponseFlag, Unit
from surveys.models.response import UNSUR_CODES
from surveys.periods import Period


@dataclass(frozen=True)
class UnitIndex:
    """A unit's index for a period; `result` is None when too few responded to publish it."""

    unit: Unit
    period: Period
    n: int
    population: int | None
    result: IkmResult | None
    min_respondents: int

    @property
    def suppressed(self) -> bool:
        return self.result is None


def unit_and_descendant_ids(session: Session, unit: Unit) -> list[int]:
    """The unit and every unit below it: parent figures are recomputed from their respondents."""
    ids, frontier = [unit.id], [unit.id]
    while frontier:
        frontier = list(session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier))))
        ids.extend(frontier)
    return ids


def unit_answers(session: Session, unit: Unit, period: Period) -> pd.DataFrame:
    """U1..U9 of every counted response of the unit tree in the period (NaN = not answered)."""
    start, end = period.utc_bounds(unit.timezone)
    columns = [getattr(Response, code.lower()) for code in UNSUR_CODES]
    excluded = exists().where(
        ResponseFlag.response_id == Response.id, ResponseFlag.kind == "excluded"
    )
    rows = session.execute(
        select(*columns).where(
            Response.unit_id.in_(unit_and_descendant_ids(session, unit)),
            Response.submitted_at >= start,
            Response.submitted_at < end,
            ~excluded,
        )
    ).all()
    return pd.DataFrame(rows, columns=list(UNSUR_CODES), dtype="float64")


def unit_index(
    session: Session, unit_code: str, period_code: str | None, today: date, min_respondents: int
) -> UnitIndex:
    """The public index of `unit_code` for a period (default: the current triwulan)."""
    unit = session.scalars(select(Unit).where(Unit.code == unit_code)).one_or_none()
    if unit is None:
        raise UnitNotFound(unit_code)
    period = Period.parse(period_code) if period_code else Period.quarter_of(today)
    answers = unit_answers(session, unit, period)
    population = session.scalar(
        select(Population.size).where(Population.unit_id == unit.id, Population.period == period.code)
    )
    n = len(answers)
    if population is not None and population < n:
        population = None  # an undercounted population would make the correction meaningless
    result = compute_ikm(answers, population=population) if n >= max(min_respondents, 2) else None
    return UnitIndex(unit, period, n, population, result, min_respondents)
