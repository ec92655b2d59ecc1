"""Comparing periods: a difference with its Welch interval, Benjamini–Hochberg across many
comparisons, and a weighted trend over periods (DESIGN §4, issue 4)."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analysis.version import METHOD


@dataclass(frozen=True)
class Summary:
    """One period's estimate: its mean (e.g. the IKM), the standard error of that mean, and n."""

    mean: float
    se: float
    n: int


@dataclass(frozen=True)
class Comparison:
    """b − a with its Welch–Satterthwaite t interval and two-sided p-value."""

    difference: float
    se: float
    df: float
    ci: tuple[float, float]
    p_value: float
    confidence: float = 0.95
    method: str = "welch-t/1"
    version: str = METHOD


def _summary(value) -> Summary:
    if isinstance(value, Summary):
        return value
    if isinstance(value, dict):
        return Summary(float(value["mean"]), float(value["se"]), int(value["n"]))
    mean, se, n = value
    return Summary(float(mean), float(se), int(n))


def compare_periods(a, b, *, confidence: float = 0.95) -> Comparison:
    """Difference b − a of two independent estimates, each (mean, se of the mean, n) or a Summary.

    se = sqrt(se_a² + se_b²); Welch–Satterthwaite df = se⁴ / (se_a⁴/(n_a − 1) + se_b⁴/(n_b − 1)).
    For an IKM pass its linearised se: the t reference then matches its own interval's n − 1 df.
    """
    a, b = _summary(a), _summary(b)
    if min(a.n, b.n) < 2:
        raise ValueError("each period needs at least two respondents to compare")
    if a.se < 0 or b.se < 0:
        raise ValueError("standard errors must be non-negative")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    va, vb = a.se**2, b.se**2
    difference, se = b.mean - a.mean, math.sqrt(va + vb)
    if se == 0:
        p_value = 1.0 if difference == 0 else 0.0
        return Comparison(difference, 0.0, math.inf, (difference, difference), p_value,
                          confidence)
    df = (va + vb) ** 2 / (va**2 / (a.n - 1) + vb**2 / (b.n - 1))
    half = float(stats.t.ppf(0.5 + confidence / 2, df)) * se
    p_value = float(2 * stats.t.sf(abs(difference) / se, df))
    return Comparison(difference, se, df, (difference - half, difference + half), p_value,
                      confidence)


def benjamini_hochberg(pvalues: Sequence[float], q: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """(reject, adjusted p) under the Benjamini–Hochberg step-up rule at false discovery rate q.

    adjusted p_(i) = min over j ≥ i of m·p_(j)/j (capped at 1), in the input order; reject where
    adjusted p ≤ q. Use when many units or officers are compared at once.
    """
    p = np.asarray(pvalues, dtype=float)
    if p.ndim != 1:
        raise ValueError("p-values must be a flat sequence")
    if ((p < 0) | (p > 1) | np.isnan(p)).any():
        raise ValueError("p-values must lie between 0 and 1")
    if not 0 < q < 1:
        raise ValueError(f"q must lie strictly between 0 and 1, got {q}")
    m = p.size
    if m == 0:
        return np.zeros(0, dtype=bool), np.zeros(0)
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted_sorted = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    adjusted = np.empty(m)
    adjusted[order] = adjusted_sorted
    return adjusted <= q, adjusted


@dataclass(frozen=True)
class Trend:
    """Change per period by weighted least squares, with its interval."""

    slope: float
    se: float
    ci: tuple[float, float]
    df: float
    dispersion: float  # weighted residual SS / (k − 2); 1 means the periods vary as sampled
    periods: int
    confidence: float = 0.95
    method: str = "wls-trend/1"
    version: str = METHOD


def trend(periods: pd.DataFrame, *, confidence: float = 0.95) -> Trend:
    """Slope of `estimate` over periods (columns `estimate`, `se`; `x` optional, else 0, 1, ...
    in row order) weighted by 1/se².

    The slope's se from the sampling variances, sqrt(1/Σw(x − x̄_w)²), is scaled up by
    sqrt(dispersion) when the periods scatter more than their se say (dispersion > 1); the
    interval is then t with k − 2 df, otherwise normal (known variances).
    """
    missing = {"estimate", "se"} - set(periods.columns)
    if missing:
        raise ValueError(f"periods lack the columns {sorted(missing)}")
    y = periods["estimate"].to_numpy(dtype=float)
    se = periods["se"].to_numpy(dtype=float)
    x = (periods["x"].to_numpy(dtype=float) if "x" in periods.columns
         else np.arange(len(periods), dtype=float))
    if len(y) < 2:
        raise ValueError("a trend needs at least two periods")
    if (se <= 0).any() or np.isnan(se).any():
        raise ValueError("every period needs a positive standard error")
    w = 1 / se**2
    x_bar, y_bar = np.average(x, weights=w), np.average(y, weights=w)
    sxx = float(np.sum(w * (x - x_bar) ** 2))
    if sxx == 0:
        raise ValueError("the periods must differ in x")
    slope = float(np.sum(w * (x - x_bar) * (y - y_bar)) / sxx)
    k = len(y)
    residual = y - y_bar - slope * (x - x_bar)
    dispersion = float(np.sum(w * residual**2) / (k - 2)) if k > 2 else 1.0
    slope_se = math.sqrt(max(1.0, dispersion) / sxx)
    if dispersion > 1:
        df = float(k - 2)
        quantile = float(stats.t.ppf(0.5 + confidence / 2, df))
    else:
        df = math.inf
        quantile = float(stats.norm.ppf(0.5 + confidence / 2))
    half = quantile * slope_se
    return Trend(slope, slope_se, (slope - half, slope + half), df, dispersion, k, confidence)
