"""Officer scores shrunk toward their unit, and the funnel they are compared on, against
statsmodels' mixed model and independent arithmetic."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.regression.mixed_linear_model import MixedLMParams

from analysis import METHOD, AnalysisError, funnel_limits, n_for_reliability, officer_scores


def simulate(seed: int, units: int = 4, officers: int = 6, tau: float = 4.0,
             sigma: float = 12.0, balanced: int | None = None) -> pd.DataFrame:
    """Raw per-response officer scores: unit mean + officer effect + noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(units):
        for o in range(officers):
            n = balanced or int(rng.integers(2, 90))
            effect = rng.normal(0, tau)
            for value in 70 + 4 * u + effect + rng.normal(0, sigma, n):
                rows.append({"unit": f"unit-{u}", "officer": f"{u}-{o}", "score": value})
    return pd.DataFrame(rows)


def sufficient(raw: pd.DataFrame) -> pd.DataFrame:
    return (raw.assign(sq=raw.score**2).groupby("officer", sort=False)
            .agg(unit=("unit", "first"), n=("score", "size"), sum=("score", "sum"),
                 sumsq=("sq", "sum")).reset_index())


def fit_mixedlm(raw: pd.DataFrame):
    with warnings.catch_warnings():  # statsmodels warns about its own optimiser's progress
        warnings.simplefilter("ignore")
        return smf.mixedlm("score ~ C(unit)", raw, groups=raw["officer"]).fit(
            reml=True, method="powell")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reml_from_sufficient_statistics_matches_statsmodels_mixedlm(seed):
    raw = simulate(seed)
    scores = officer_scores(sufficient(raw))
    model = fit_mixedlm(raw)

    assert scores.method == "eb-reml/1" and scores.version == METHOD
    assert scores.tau2 == pytest.approx(float(model.cov_re.iloc[0, 0]), rel=1e-3)
    assert scores.sigma2 == pytest.approx(model.scale, rel=1e-3)
    # Ours is the REML maximum: statsmodels' own likelihood is no higher anywhere it stopped.
    at_ours = model.model.loglike(
        MixedLMParams.from_components(cov_re=np.array([[scores.tau2 / scores.sigma2]])),
        profile_fe=True)
    assert at_ours >= model.llf - 1e-7
    # The shrunk scores are the mixed model's predictions: fixed unit mean + BLUP.
    fixed = model.fe_params
    frame = scores.frame.set_index("officer")
    for officer, effect in model.random_effects.items():
        unit = frame.loc[officer, "unit"]
        unit_mean = fixed["Intercept"] + fixed.get(f"C(unit)[T.{unit}]", 0.0)
        assert frame.loc[officer, "unit_mean"] == pytest.approx(unit_mean, abs=1e-3)
        assert frame.loc[officer, "shrunk"] == pytest.approx(unit_mean + effect.iloc[0], abs=1e-3)


def test_in_a_balanced_design_reml_equals_the_anova_estimator():
    raw = simulate(4, units=1, officers=12, balanced=25)
    reml = officer_scores(sufficient(raw), method="reml")
    moments = officer_scores(sufficient(raw), method="mom")

    # ANOVA by hand from the raw rows: τ² = (MSB − MSW)/n0.
    groups = raw.groupby("officer").score
    msw = groups.var(ddof=1).mean()
    msb = 25 * groups.mean().var(ddof=1)
    assert moments.method == "eb-mom/1"
    assert moments.sigma2 == pytest.approx(msw, rel=1e-10)
    assert moments.tau2 == pytest.approx((msb - msw) / 25, rel=1e-10)
    assert reml.tau2 == pytest.approx(moments.tau2, rel=1e-6)


def test_shrinkage_reliability_and_the_insufficient_mark():
    raw = simulate(5)
    scores = officer_scores(sufficient(raw))
    f = scores.frame

    assert list(f.columns[:10]) == ["officer", "unit", "n", "raw", "shrunk", "ci_low", "ci_high",
                                    "reliability", "sufficient", "reliable_for_evaluation"]
    reliability = scores.tau2 / (scores.tau2 + scores.sigma2 / f.n)
    assert f.reliability.to_numpy() == pytest.approx(reliability.to_numpy())
    assert f.shrunk.to_numpy() == pytest.approx(
        (f.unit_mean + reliability * (f.raw - f.unit_mean)).to_numpy())
    assert (f.sufficient == (f.reliability >= 0.70)).all()
    assert (f.reliable_for_evaluation == (f.reliability >= 0.80)).all()
    assert (~f.sufficient).any() and f.sufficient.any()  # the simulation has both kinds
    # Few responses pull hard toward the unit; the interval is never narrower than the posterior.
    few = f.n.idxmin()
    assert abs(f.shrunk[few] - f.unit_mean[few]) < abs(f.raw[few] - f.unit_mean[few])
    posterior = np.sqrt(reliability * scores.sigma2 / f.n)
    assert ((f.ci_high - f.ci_low) >= 2 * 1.959 * posterior).all()


def test_the_n_for_a_reliability_follows_from_the_variance_share():
    # Between-officer share 0.05: σ²/τ² = 19; 0.70 needs 7/3·19 = 44.3 → 45, 0.80 needs 76.
    assert n_for_reliability(0.70, tau2=0.05, sigma2=0.95) == 45
    assert n_for_reliability(0.80, tau2=0.05, sigma2=0.95) == 76
    for r in (0.7, 0.8, 0.9):
        n = n_for_reliability(r, tau2=3.0, sigma2=140.0)
        assert 3.0 / (3.0 + 140.0 / n) >= r - 1e-12  # 0.9 needs exactly 420
        assert 3.0 / (3.0 + 140.0 / (n - 1)) < r
    assert n_for_reliability(0.7, tau2=0.0, sigma2=1.0) is None


def test_empirical_bayes_intervals_cover_the_officers_true_means():
    rng = np.random.default_rng(11)
    covered, total = 0, 0
    for _ in range(20):
        n = rng.integers(3, 120, size=40)
        truth = 75 + rng.normal(0, 4.0, 40)
        means = truth + rng.normal(0, 12.0, 40) / np.sqrt(n)
        within = 144.0 * rng.chisquare(n - 1)
        frame = pd.DataFrame({"officer": range(40), "unit": "u", "n": n, "sum": means * n,
                              "sumsq": within + n * means**2})
        scores = officer_scores(frame).frame
        covered += int(((scores.ci_low <= truth) & (truth <= scores.ci_high)).sum())
        total += 40
    assert 0.92 <= covered / total <= 0.98


def test_bad_officer_statistics_are_refused():
    with pytest.raises(ValueError, match="columns"):
        officer_scores(pd.DataFrame({"officer": [1], "n": [3]}))
    one_each = pd.DataFrame({"officer": [1, 2], "unit": ["a", "b"], "n": [5, 6],
                             "sum": [300.0, 400.0], "sumsq": [18500.0, 27000.0]})
    with pytest.raises(AnalysisError, match="two or more officers"):
        officer_scores(one_each)
    with pytest.raises(ValueError, match="method"):
        officer_scores(one_each, method="bayes")


# --- the funnel ------------------------------------------------------------------------------

def test_funnel_limits_widen_for_genuine_between_officer_variation():
    limits = funnel_limits(80.0, 150.0, [10, 100, 1000], tau2=4.0)
    assert list(limits.columns) == ["n", "lower_95", "upper_95", "lower_998", "upper_998"]
    for level, label in ((0.95, "95"), (0.998, "998")):
        z = stats.norm.ppf(0.5 + level / 2)
        spread = np.sqrt(150.0 / np.array([10, 100, 1000]) + 4.0)
        assert limits[f"upper_{label}"].to_numpy() == pytest.approx(80 + z * spread)
        assert limits[f"lower_{label}"].to_numpy() == pytest.approx(80 - z * spread)
    plain = funnel_limits(80.0, 150.0, [1000])
    assert plain.upper_95[0] - 80 < limits.upper_95[2] - 80  # τ² keeps a floor under the width


def test_funnel_positions_officers_without_ranking_them():
    raw = simulate(6)
    scores = officer_scores(sufficient(raw))
    funnel = scores.funnel()

    assert list(funnel.officer) == list(scores.frame.officer)  # input order, never sorted
    for _, row in funnel.iterrows():
        for label in ("95", "998"):
            low, high = row[f"lower_{label}"], row[f"upper_{label}"]
            expected = "above" if row.raw > high else "below" if row.raw < low else "inside"
            assert row[f"position_{label}"] == expected
    assert (funnel.target == scores.frame.unit_mean).all()
    assert (funnel.position_998 == "inside").sum() >= (funnel.position_95 == "inside").sum()
