"""Comparing periods (Welch), many comparisons at once (Benjamini–Hochberg) and a trend over
periods, against scipy and statsmodels."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests

from analysis import METHOD, Summary, benjamini_hochberg, compare_periods, compute_ikm, trend

CODES = [f"U{j}" for j in range(1, 10)]


@pytest.mark.parametrize(("a", "b"), [
    ((78.2, 1.1, 40), (81.0, 0.6, 250)),
    ((90.0, 0.4, 300), (89.1, 0.5, 120)),
    ((70.0, 2.5, 12), (70.0, 2.5, 12)),
])
def test_difference_matches_welch_t_test_from_stats(a, b):
    result = compare_periods(a, b)

    # scipy wants the standard deviation: se·√n.
    t, p = stats.ttest_ind_from_stats(b[0], b[1] * np.sqrt(b[2]), b[2],
                                      a[0], a[1] * np.sqrt(a[2]), a[2], equal_var=False)
    assert result.difference == pytest.approx(b[0] - a[0])
    assert result.difference / result.se == pytest.approx(t, rel=1e-12)
    assert result.p_value == pytest.approx(p, rel=1e-10)
    half = stats.t.ppf(0.975, result.df) * result.se
    assert result.ci == pytest.approx((result.difference - half, result.difference + half))
    assert result.version == METHOD


def test_two_quarters_of_responses_compared_through_their_indices():
    rng = np.random.default_rng(4)
    before = pd.DataFrame(np.clip(np.rint(2.8 + rng.normal(0, .6, (150, 1))
                                          + rng.normal(0, .6, (150, 9))), 1, 4), columns=CODES)
    after = pd.DataFrame(np.clip(np.rint(3.1 + rng.normal(0, .6, (180, 1))
                                         + rng.normal(0, .6, (180, 9))), 1, 4), columns=CODES)
    a, b = compute_ikm(before), compute_ikm(after)

    result = compare_periods(Summary(a.ikm_exact, a.se, a.n), Summary(b.ikm_exact, b.se, b.n))

    # Without blanks the index is the mean of respondent scores: Welch on those scores.
    sa, sb = 25 * before.mean(axis=1), 25 * after.mean(axis=1)
    expected = stats.ttest_ind(sb, sa, equal_var=False)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    assert result.ci == pytest.approx(tuple(expected.confidence_interval(0.95)), rel=1e-9)


def test_benjamini_hochberg_matches_statsmodels():
    rng = np.random.default_rng(9)
    pvalues = np.concatenate([rng.uniform(0, 0.01, 6), rng.uniform(0, 1, 30), [0.05, 0.05]])
    rng.shuffle(pvalues)

    reject, adjusted = benjamini_hochberg(pvalues, q=0.05)

    expected_reject, expected_adjusted, *_ = multipletests(pvalues, alpha=0.05, method="fdr_bh")
    assert (reject == expected_reject).all()
    assert adjusted == pytest.approx(expected_adjusted, rel=1e-12)
    assert 0 < reject.sum() < (pvalues <= 0.05).sum()  # fewer than testing each at 5%


def test_trend_is_the_weighted_least_squares_slope():
    periods = pd.DataFrame({"period": ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"],
                            "estimate": [78.0, 79.1, 80.4, 80.9, 82.6],
                            "se": [1.2, 0.9, 1.0, 0.7, 1.1]})

    result = trend(periods)

    fit = sm.WLS(periods.estimate, sm.add_constant(np.arange(5.0)),
                 weights=1 / periods.se**2).fit()
    assert result.slope == pytest.approx(fit.params.iloc[1], rel=1e-10)
    # Known sampling variances: se = sqrt(1/Σw(x − x̄)²) = statsmodels' se without its scale.
    known = fit.bse.iloc[1] / np.sqrt(fit.scale)
    assert result.dispersion == pytest.approx(fit.scale, rel=1e-10)
    assert result.se == pytest.approx(known * np.sqrt(max(1.0, fit.scale)), rel=1e-10)
    assert result.ci[0] < result.slope < result.ci[1]


def test_a_trend_scattered_beyond_its_standard_errors_gets_a_wider_interval():
    calm = pd.DataFrame({"estimate": [80.0, 80.5, 81.0, 81.5], "se": [1.0] * 4})
    wild = pd.DataFrame({"estimate": [80.0, 86.5, 75.0, 81.5], "se": [1.0] * 4})
    calm_trend, wild_trend = trend(calm), trend(wild)
    assert calm_trend.dispersion < 1 and calm_trend.df == np.inf
    fit = sm.WLS(wild.estimate, sm.add_constant(np.arange(4.0)), weights=np.ones(4)).fit()
    assert wild_trend.se == pytest.approx(fit.bse.iloc[1], rel=1e-10)
    assert wild_trend.ci == pytest.approx(tuple(fit.conf_int().iloc[1]), rel=1e-10)
