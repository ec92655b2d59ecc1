"""Confidence intervals shared by the index, its unsur and its shares.

Each function returns (low, high) or None when the data cannot support an interval. The choice
of method for the IKM (linearised t, logit near the ceiling, Clopper-Pearson when every answer is
4) is made once, in `ikm_interval`, so raw rows and sufficient statistics give the same answer.
"""
from __future__ import annotations

import math

from scipy import special

from analysis.errors import PopulationTooSmall

IKM_LOW, IKM_HIGH = 25.0, 100.0
# Below this many respondents the linearised t interval undercovers near the ends of the scale,
# so the interval is built on the logit of (IKM − 25)/75 instead (DESIGN §4).
LOGIT_BELOW_N = 60


def t_quantile(probability: float, df: float) -> float:
    """The t(df) quantile: `scipy.special.stdtrit`, the function `scipy.stats.t.ppf` evaluates,
    called directly (the distribution object's argument handling costs ~0.1 ms a call, and a
    page of unit indices needs a dozen calls per unit)."""
    return float(special.stdtrit(df, probability))


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence}")


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
    _check_confidence(confidence)
    if variance < 0 or math.isnan(variance):
        raise ValueError(f"variance must be a non-negative number, got {variance}")
    half_width = t_quantile(0.5 + confidence / 2, df) * math.sqrt(variance)
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


def logit_interval(
    ikm: float, variance: float, df: int, confidence: float = 0.95
) -> tuple[float, float] | None:
    """t interval on logit(p), p = (IKM − 25)/75, mapped back: it stays inside 25-100 and is
    asymmetric near the ceiling. Delta method: se_logit = se / (p(1 − p) · 75)."""
    if df < 1:
        return None
    _check_confidence(confidence)
    p = (ikm - IKM_LOW) / (IKM_HIGH - IKM_LOW)
    if not 0 < p < 1:
        raise ValueError(f"the logit interval needs 25 < IKM < 100, got {ikm}")
    se_logit = math.sqrt(variance) / (p * (1 - p) * (IKM_HIGH - IKM_LOW))
    half = t_quantile(0.5 + confidence / 2, df) * se_logit
    centre = math.log(p / (1 - p))
    return tuple(  # type: ignore[return-value]
        float(IKM_LOW + (IKM_HIGH - IKM_LOW) * special.expit(centre + sign * half))
        for sign in (-1, 1)
    )


def clopper_pearson_ceiling(n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The interval when all n respondents gave 4 to every unsur they answered.

    The share q of perfect respondents in the population has the two-sided Clopper-Pearson lower
    limit (α/2)^(1/n) for n of n; a population with that share, everyone else at the floor 25,
    has IKM 25 + 75·q. So low = 25 + 75·(α/2)^(1/n), high = 100 (conservative).
    """
    _check_confidence(confidence)
    if n < 1:
        raise ValueError(f"the Clopper-Pearson bound needs at least one respondent, got n={n}")
    alpha = 1 - confidence
    return (IKM_LOW + (IKM_HIGH - IKM_LOW) * (alpha / 2) ** (1 / n), IKM_HIGH)


def clopper_pearson_floor(n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The mirror image when every answer is 1: low = 25, high = 100 − 75·(α/2)^(1/n)."""
    low, _ = clopper_pearson_ceiling(n, confidence)
    return (IKM_LOW, IKM_LOW + IKM_HIGH - low)


def ikm_interval(
    ikm_exact: float,
    variance: float | None,
    n: int,
    *,
    all_perfect: bool,
    all_worst: bool = False,
    population: int | None = None,
    confidence: float = 0.95,
) -> tuple[float | None, float | None, str]:
    """(low, high, method) of the IKM's interval; the one place that chooses the method.

    `variance` is the linearised variance of the index WITHOUT the finite-population correction
    (n/(n−1) Σ u_i²); the correction (1 − n/N) is applied here when `population` is given.
    - every answer 4 (`all_perfect`): Clopper-Pearson on the share of perfect respondents,
      "clopper-pearson-ceiling" (a census, n = N, gives the point itself);
    - every answer 1 (`all_worst`): the mirror image, "clopper-pearson-floor";
    - n < 60: "logit-t", the t interval (n − 1 df) on the logit of (IKM − 25)/75;
    - otherwise "linearised-t", clipped to 25-100.
    n = 1 without a ceiling or floor has no interval: (None, None, "none").
    """
    _check_confidence(confidence)
    if n < 1:
        raise ValueError(f"an interval needs at least one respondent, got n={n}")
    fpc = finite_population_factor(n, population)
    if all_perfect or all_worst:
        kind = "ceiling" if all_perfect else "floor"
        if fpc == 0.0:
            return (float(ikm_exact), float(ikm_exact), f"clopper-pearson-{kind}")
        bounds = clopper_pearson_ceiling(n, confidence) if all_perfect else (
            clopper_pearson_floor(n, confidence))
        return (*bounds, f"clopper-pearson-{kind}")
    if n < 2 or variance is None:
        return (None, None, "none")
    variance = max(float(variance), 0.0) * fpc
    if n < LOGIT_BELOW_N and IKM_LOW < ikm_exact < IKM_HIGH and variance > 0:
        low, high = logit_interval(ikm_exact, variance, n - 1, confidence)
        return (low, high, "logit-t")
    low, high = t_interval(ikm_exact, variance, n - 1, confidence, bounds=(IKM_LOW, IKM_HIGH))
    return (low, high, "linearised-t")


def wilson_interval(k: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion k/n; k and n may be effective (non-integer) counts."""
    _check_confidence(confidence)
    if n <= 0:
        raise ValueError(f"a proportion needs a positive count, got n={n}")
    if not 0 <= k <= n:
        raise ValueError(f"k must lie between 0 and n, got k={k}, n={n}")
    z = float(special.ndtri(0.5 + confidence / 2))  # the normal quantile
    p = k / n
    denominator = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return (low, high)


def percent_satisfied(k: float, n: float, confidence: float = 0.95) -> tuple[float, float, float]:
    """(share, low, high) of answers 3-4 among n answers, with the Wilson interval.

    Pass effective counts (n_eff = p(1 − p)/Var_clustered, k = p·n_eff) to respect the
    respondent as the cluster; `analysis.ikm` does so.
    """
    low, high = wilson_interval(k, n, confidence)
    return (k / n, low, high)


def clustered_percent_satisfied(
    satisfied: float,
    answered: float,
    sum_aa: float,
    sum_am: float,
    sum_mm: float,
    n: int,
    *,
    population: int | None = None,
    confidence: float = 0.95,
) -> tuple[float, float, float]:
    """(share, low, high) of answers 3-4 with the respondent as the cluster, from sums.

    a_i = respondent i's answers 3-4, m_i = their answered unsur; `satisfied` = Σa_i,
    `answered` = Σm_i, and Σa_i², Σa_i·m_i, Σm_i². The ratio p = Σa/Σm has the linearised
    variance n/(n−1) Σ(a_i − p·m_i)² / (Σm)² × (1 − n/N); the Wilson interval is taken at the
    effective number of answers n_eff = p(1 − p)/Var (at most Σm), or at n respondents when
    p is 0 or 1 or n < 2 (the cluster count: conservative).
    """
    if answered <= 0:
        raise ValueError("percent satisfied needs at least one answer")
    p = satisfied / answered
    effective = float(n)
    if n >= 2 and 0 < p < 1:
        residual = max(sum_aa - 2 * p * sum_am + p * p * sum_mm, 0.0)
        variance = n / (n - 1) * residual / answered**2 * finite_population_factor(n, population)
        effective = answered if variance <= 0 else min(answered, p * (1 - p) / variance)
    _, low, high = percent_satisfied(p * effective, effective, confidence)
    return (p, low, high)
