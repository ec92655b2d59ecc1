"""Officer scores shrunk toward their unit: empirical Bayes, normal–normal (DESIGN §5).

Model: score_oi = β_unit(o) + b_o + e_oi, b_o ~ N(0, τ²), e_oi ~ N(0, σ²); the unit means are
fixed effects. Everything comes from per-officer sufficient statistics (n, Σy, Σy²): the officer
means and the within-officer sum of squares are sufficient for τ² and σ², so REML here gives what
a mixed model fitted on the raw rows gives.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize
from scipy.stats import norm

from analysis.errors import AnalysisError
from analysis.version import METHOD

SUFFICIENT = 0.70  # below this reliability a score is "insufficient data"
FOR_EVALUATION = 0.80  # evidence enters an evaluation as reliable only from here
METHODS = {"reml": "eb-reml/1", "mom": "eb-mom/1"}
COLUMNS = ["officer", "unit", "n", "raw", "shrunk", "ci_low", "ci_high", "reliability",
           "sufficient", "reliable_for_evaluation"]


@dataclass(frozen=True)
class OfficerScores:
    """Per-officer raw and shrunk scores (`frame`, one row per officer in input order) and the
    variance components they rest on.

    `frame` has the columns of COLUMNS plus `unit_mean` (the GLS estimate of the unit's mean the
    officer is shrunk toward) and `se` (the prediction error sd behind ci_low/ci_high).
    """

    frame: pd.DataFrame
    tau2: float  # between-officer variance within units
    sigma2: float  # within-officer (response-level) variance
    method: str  # "eb-reml/1" or "eb-mom/1"
    confidence: float = 0.95
    version: str = METHOD

    @property
    def share(self) -> float:
        """τ²/(τ² + σ²): the share of a response's variance that is between officers."""
        return self.tau2 / (self.tau2 + self.sigma2)

    def n_for_reliability(self, reliability: float) -> int | None:
        """Responses an officer needs for `reliability`: n = r/(1 − r) · σ²/τ², rounded up.
        None when τ² = 0 (officers do not differ, so no n is enough)."""
        return n_for_reliability(reliability, self.tau2, self.sigma2)

    def funnel(self, levels: tuple[float, ...] = (0.95, 0.998)) -> pd.DataFrame:
        """The frame with each officer's funnel limits around their unit and their position."""
        from analysis.funnel import funnel_position

        return funnel_position(self.frame, sigma2=self.sigma2, tau2=self.tau2, levels=levels)


def n_for_reliability(reliability: float, tau2: float, sigma2: float) -> int | None:
    """Smallest n with τ²/(τ² + σ²/n) ≥ reliability; None when τ² = 0."""
    if not 0 < reliability < 1:
        raise ValueError(f"reliability must lie strictly between 0 and 1, got {reliability}")
    if tau2 <= 0:
        return None
    needed = reliability / (1 - reliability) * sigma2 / tau2
    return max(1, math.ceil(needed - 1e-9 * max(1.0, needed)))


def _prepare(stats_frame: pd.DataFrame) -> pd.DataFrame:
    missing = {"officer", "unit", "n", "sum", "sumsq"} - set(stats_frame.columns)
    if missing:
        raise ValueError(f"officer statistics lack the columns {sorted(missing)}")
    frame = stats_frame[["officer", "unit", "n", "sum", "sumsq"]].reset_index(drop=True).copy()
    if frame["officer"].duplicated().any():
        raise ValueError("officer statistics must have one row per officer")
    for column in ("n", "sum", "sumsq"):  # SQL sums may arrive as Decimal
        frame[column] = frame[column].astype(float)
    if (frame["n"] < 1).any():
        raise ValueError("every officer needs at least one response (n ≥ 1)")
    frame["raw"] = frame["sum"] / frame["n"]
    frame["within"] = np.maximum(frame["sumsq"] - frame["sum"] * frame["raw"], 0.0)
    return frame


def _gls_unit_means(mean, weight, unit_codes, n_units):
    """β̂_u = Σ w·ȳ / Σ w over the unit's officers, and Σ w (weights 1/w_o)."""
    total = np.bincount(unit_codes, weights=weight, minlength=n_units)
    return np.bincount(unit_codes, weights=weight * mean, minlength=n_units) / total, total


def _reml(mean, n, ssw, unit_codes, n_units):
    """REML for γ = τ²/σ², σ² profiled out: σ²(γ) = Q(γ)/(N − U) and
    −2ℓ(γ) = (N − U)·log Q + Σ log w_o + Σ_u log Σ_o 1/w_o, with w_o = γ + 1/n_o and
    Q = SSW + Σ (ȳ_o − β̂_u)²/w_o."""
    dof = n.sum() - n_units

    def parts(gamma):
        w = gamma + 1.0 / n
        beta, total = _gls_unit_means(mean, 1.0 / w, unit_codes, n_units)
        q = ssw + float(np.sum((mean - beta[unit_codes]) ** 2 / w))
        return q, dof * math.log(q) + float(np.sum(np.log(w))) + float(np.sum(np.log(total)))

    def objective(log_gamma):
        return parts(math.exp(log_gamma))[1]

    best = optimize.minimize_scalar(objective, bounds=(-30.0, 20.0), method="bounded",
                                    options={"xatol": 1e-12, "maxiter": 500})
    gamma = math.exp(best.x)
    if parts(0.0)[1] <= best.fun:  # the boundary: no between-officer variance
        gamma = 0.0
    q, _ = parts(gamma)
    sigma2 = q / dof
    return gamma * sigma2, sigma2


def _moments(mean, n, ssw, unit_codes, n_units):
    """ANOVA estimators with unit fixed effects: σ² = SSW/(N − K),
    τ² = max(0, (SSB − (K − U)σ²) / Σ_u (N_u − Σ_o n_o²/N_u))."""
    k = mean.size
    sigma2 = ssw / (n.sum() - k)
    unit_n = np.bincount(unit_codes, weights=n, minlength=n_units)
    unit_mean = np.bincount(unit_codes, weights=n * mean, minlength=n_units) / unit_n
    ssb = float(np.sum(n * (mean - unit_mean[unit_codes]) ** 2))
    divisor = float(np.sum(unit_n - np.bincount(unit_codes, weights=n**2,
                                                minlength=n_units) / unit_n))
    return max(0.0, (ssb - (k - n_units) * sigma2) / divisor), sigma2


def officer_scores(
    stats: pd.DataFrame, *, method: str = "reml", confidence: float = 0.95
) -> OfficerScores:
    """Raw and shrunk scores of officers from one row each of `officer, unit, n, sum, sumsq`.

    reliability = τ²/(τ² + σ²/n); shrunk = unit_mean + reliability·(raw − unit_mean), where
    unit_mean is the GLS (BLUP) estimate of the unit's mean. The interval is
    shrunk ± z·sqrt(reliability·σ²/n + (1 − reliability)²·Var(unit_mean)): the posterior variance
    plus the uncertainty of the unit mean (Henderson's prediction error variance); the
    uncertainty of τ² and σ² themselves is not included.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    frame = _prepare(stats)
    unit_codes, units = pd.factorize(frame["unit"])
    n_units = len(units)
    mean, n = frame["raw"].to_numpy(), frame["n"].to_numpy()
    ssw = float(frame["within"].sum())
    if n.sum() - len(frame) < 1 or ssw <= 0:
        raise AnalysisError("officer scores need officers with more than one response that vary")
    if len(frame) == n_units:
        raise AnalysisError("the between-officer variance needs a unit with two or more officers")

    estimate = _reml if method == "reml" else _moments
    tau2, sigma2 = estimate(mean, n, ssw, unit_codes, n_units)

    prior = tau2 + sigma2 / n  # variance of an officer mean around its unit mean
    beta, total = _gls_unit_means(mean, 1.0 / prior, unit_codes, n_units)
    reliability = tau2 / prior
    unit_mean = beta[unit_codes]
    pev = reliability * sigma2 / n + (1 - reliability) ** 2 / total[unit_codes]
    se = np.sqrt(pev)
    z = float(norm.ppf(0.5 + confidence / 2))
    shrunk = unit_mean + reliability * (mean - unit_mean)

    result = pd.DataFrame({
        "officer": frame["officer"],
        "unit": frame["unit"],
        "n": frame["n"].astype(int),
        "raw": mean,
        "shrunk": shrunk,
        "ci_low": shrunk - z * se,
        "ci_high": shrunk + z * se,
        "reliability": reliability,
        "sufficient": reliability >= SUFFICIENT,
        "reliable_for_evaluation": reliability >= FOR_EVALUATION,
        "unit_mean": unit_mean,
        "se": se,
    })
    return OfficerScores(result, float(tau2), float(sigma2), METHODS[method], confidence)

