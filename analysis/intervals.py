"""Confidence intervals shared by the index and its unsur.

Each function returns (low, high) or None when the data cannot support an interval. New methods
(the logit interval near the ceiling, Clopper-Pearson when every answer is 4) belong here, chosen
by the caller in `analysis.ikm._index_interval`.
"""
from __future__ import annotations

import math

from scipy import stats

from analysis.errors import PopulationTooSmall


def t_interval(
    estimate: float,
    variance: float,
    df: int,
    confidence: float = 0.95,
    bounds: tuple[float, float] | None = None,
) -> tuple[float, float] | None:
    """estimate ± t(df) · sqrt(variance); None without degrees of freedom.

    `bounds` clips the interval to the scale (25-100 for the IKM, 1-4 for an NRR): a t interval can
    spill past the ceiling, and a value nobody can reach is no information.
    """
    if df < 1:
        return None
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    if variance < 0 or math.isnan(variance):
        raise ValueError(f"variance must be a non-negative number, got {variance}")
    half_width = float(stats.t.ppf(0.5 + confidence / 2, df)) * math.sqrt(variance)
    low, high = estimate - half_width, estimate + half_width
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return (float(low), float(high))


def finite_population_factor(n: int, population: int | None) -> float:
    """1 − n/N, the finite-population correction of a variance; 1 when N is unknown."""
    if population is None:
        return 1.0
    if population < n:
        raise PopulationTooSmall(population, n)
    return 1.0 - n / population
