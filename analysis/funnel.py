"""Funnel-plot control limits: officers compared with their unit by n, never ranked (DESIGN §5).

Limits are target ± z·sqrt(σ²/n + τ²): the σ²/n term is the sampling noise of a mean of n
responses; the τ² term widens the funnel for genuine between-officer variation (additive
random-effects overdispersion, Spiegelhalter 2005, "Funnel plots for comparing institutional
performance"), so only officers who differ by more than officers usually do fall outside.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.stats import norm

from analysis.version import METHOD

LEVELS = (0.95, 0.998)


def level_label(level: float) -> str:
    """Column suffix of a level: 0.95 → '95', 0.998 → '998'."""
    return f"{level * 100:g}".replace(".", "")


def _check(sigma2: float, tau2: float, levels) -> None:
    if sigma2 < 0 or tau2 < 0:
        raise ValueError(f"variances must be non-negative, got sigma2={sigma2}, tau2={tau2}")
    for level in levels:
        if not 0 < level < 1:
            raise ValueError(f"levels must lie strictly between 0 and 1, got {level}")


def funnel_limits(
    target: float,
    sigma2: float,
    n,
    *,
    tau2: float = 0.0,
    levels: tuple[float, ...] = LEVELS,
) -> pd.DataFrame:
    """Control limits at each n (a number or an array of n): columns n, lower_95, upper_95,
    lower_998, upper_998 (one pair per level). `target` may be an array matching n."""
    _check(sigma2, tau2, levels)
    counts = np.atleast_1d(np.asarray(n, dtype=float))
    if (counts < 1).any():
        raise ValueError("funnel limits need n ≥ 1")
    spread = np.sqrt(sigma2 / counts + tau2)
    centre = np.broadcast_to(np.asarray(target, dtype=float), counts.shape)
    frame = pd.DataFrame({"n": counts})
    for level in levels:
        z = float(norm.ppf(0.5 + level / 2))
        frame[f"lower_{level_label(level)}"] = centre - z * spread
        frame[f"upper_{level_label(level)}"] = centre + z * spread
    frame.attrs["method"] = "funnel-additive-overdispersion/1"
    frame.attrs["version"] = METHOD
    return frame


def funnel_position(
    officers: pd.DataFrame,
    *,
    sigma2: float,
    tau2: float = 0.0,
    target: float | Mapping | None = None,
    levels: tuple[float, ...] = LEVELS,
    value: str = "raw",
) -> pd.DataFrame:
    """Each officer's limits at their n and whether their `value` (the raw mean by default, what
    the funnel plots) lies "inside", "above" or "below" them: columns `target`, the limits and
    `position_95`, `position_998`. The target is `target` (one number, or a mapping from unit to
    number) or, when None, the officer's `unit_mean` column (as `officer_scores` gives it).
    Row order is kept: a funnel never ranks.
    """
    if target is None:
        if "unit_mean" not in officers.columns:
            raise ValueError("give a target or a unit_mean column")
        centre = officers["unit_mean"].to_numpy(dtype=float)
    elif isinstance(target, Mapping):
        centre = officers["unit"].map(target).to_numpy(dtype=float)
        if np.isnan(centre).any():
            raise ValueError("the target mapping lacks a unit of these officers")
    else:
        centre = np.full(len(officers), float(target))
    limits = funnel_limits(centre, sigma2, officers["n"].to_numpy(), tau2=tau2, levels=levels)
    result = officers.reset_index(drop=True).copy()
    result["target"] = centre
    observed = result[value].to_numpy(dtype=float)
    for level in levels:
        label = level_label(level)
        lower, upper = limits[f"lower_{label}"].to_numpy(), limits[f"upper_{label}"].to_numpy()
        result[f"lower_{label}"], result[f"upper_{label}"] = lower, upper
        result[f"position_{label}"] = np.where(
            observed > upper, "above", np.where(observed < lower, "below", "inside"))
    result.attrs["method"] = "funnel-additive-overdispersion/1"
    result.attrs["version"] = METHOD
    return result
