"""Comparing periods (Welch, Benjamini–Hochberg across units, trend) and the officers' funnel,
all from roll-up aggregates."""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis import AnalysisError, IkmResult
from analysis.compare import Comparison, Trend, benjamini_hochberg, compare_periods, trend
from analysis.version import METHOD
from surveys.models import Unit
from surveys.periods import Period
from surveys.reporting.aggregate import WITH_FLAGGED, Scope
from surveys.reporting.service import (
    find_unit,
    organization_officers,
    unit_and_descendant_ids,
    unit_tree_indices,
)


@dataclass(frozen=True)
class UnitChange:
    """One unit tree's IKM in two periods and the difference b − a (None without an se)."""

    unit_code: str
    ikm_a: float | None
    ikm_b: float | None
    comparison: Comparison | None
    adjusted_p: float | None = None
    significant: bool | None = None  # after Benjamini–Hochberg across the units compared


def change_between(unit_code: str, ra: IkmResult | None, rb: IkmResult | None) -> UnitChange:
    """One unit's change from result `ra` to `rb` (Welch on the linearised se), not adjusted for
    other comparisons: the question of one unit's own page."""
    comparison = None
    if ra is not None and rb is not None and ra.se and rb.se:
        comparison = compare_periods((ra.ikm_exact, ra.se, ra.n), (rb.ikm_exact, rb.se, rb.n))
    return UnitChange(unit_code, ra and ra.ikm_exact, rb and rb.ikm_exact, comparison)


def compare_units(
    session: Session, period_a: str, period_b: str, *, q: float = 0.05,
    flag_states=WITH_FLAGGED,
) -> list[UnitChange]:
    """Every unit tree's IKM change from `period_a` to `period_b` (Welch on the linearised se),
    with Benjamini–Hochberg at false discovery rate q across the units compared."""
    a, b = Period.parse(period_a), Period.parse(period_b)
    first = unit_tree_indices(session, a.start, a.end, flag_states)
    second = unit_tree_indices(session, b.start, b.end, flag_states)
    codes = dict(session.execute(select(Unit.id, Unit.code)).all())
    changes = [change_between(code, first.get(unit_id), second.get(unit_id))
               for unit_id, code in sorted(codes.items(), key=lambda item: item[1])]
    compared = [i for i, change in enumerate(changes) if change.comparison is not None]
    if compared:
        reject, adjusted = benjamini_hochberg([changes[i].comparison.p_value for i in compared], q)
        for i, significant, p in zip(compared, reject, adjusted):
            changes[i] = replace(changes[i], adjusted_p=float(p), significant=bool(significant))
    return changes


def unit_trend(session: Session, unit_code: str, periods: list[str]) -> Trend:
    """The unit tree's IKM trend over consecutive periods (weighted by 1/se²)."""
    unit = find_unit(session, unit_code)
    rows = []
    for x, code in enumerate(periods):
        period = Period.parse(code)
        result = unit_tree_indices(session, period.start, period.end).get(unit.id)
        if result is not None and result.se:
            rows.append({"x": x, "estimate": result.ikm_exact, "se": result.se})
    if len(rows) < 2:
        raise AnalysisError("a trend needs at least two periods with an index")
    return trend(pd.DataFrame(rows))


def officer_funnel(session: Session, unit_code: str, period: str) -> pd.DataFrame:
    """The unit tree's officers on the funnel around their unit (95% and 99.8% limits, widened
    for genuine between-officer variation); never a ranking. `attrs` carry the method and the
    variances the limits rest on (sigma2, tau2)."""
    unit = find_unit(session, unit_code)
    parsed = Period.parse(period)
    scores = organization_officers(session, unit, Scope(parsed.start, parsed.end))
    tree = set(unit_and_descendant_ids(session, unit))
    funnel = scores.funnel()
    out = funnel[funnel["unit"].isin(tree)].reset_index(drop=True)
    out.attrs.update(funnel.attrs, version=METHOD, sigma2=scores.sigma2, tau2=scores.tau2)
    return out
