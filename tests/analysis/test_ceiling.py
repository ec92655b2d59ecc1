"""The interval near the ceiling (logit, Clopper-Pearson), percent satisfied (Wilson) and how
certain a grade is, each against an independent computation."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from analysis import (
    band_probability,
    compute_ikm,
    grade_label,
    ikm_interval,
    percent_satisfied,
    required_sample_size,
)

CODES = [f"U{j}" for j in range(1, 10)]


def near_ceiling(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    latent = 1.4 + rng.normal(0, 0.5, (n, 1)) + rng.normal(0, 0.6, (n, 9))
    return pd.DataFrame(1 + (latent[..., None] >= [-1.55, -0.55, 0.95]).sum(-1), columns=CODES)


# --- choosing the interval ------------------------------------------------------------------

def test_small_samples_get_the_logit_interval_large_ones_the_linearised_t():
    small = ikm_interval(92.0, 2.0, 40, all_perfect=False)
    large = ikm_interval(92.0, 2.0, 60, all_perfect=False)
    assert small[2] == "logit-t" and large[2] == "linearised-t"
    # Independent arithmetic: logit(p) ± t·se/(p(1−p)·75), mapped back to 25-100.
    p, se = (92.0 - 25) / 75, np.sqrt(2.0)
    half = stats.t.ppf(0.975, 39) * se / (p * (1 - p) * 75)
    expected = 25 + 75 * stats.logistic.cdf(np.log(p / (1 - p)) + np.array([-half, half]))
    assert small[:2] == pytest.approx(tuple(expected), rel=1e-12)
    # Near the ceiling it leans away from 100: shorter above than below.
    assert small[1] - 92.0 < 92.0 - small[0]
    assert large[:2] == pytest.approx((92 - stats.t.ppf(0.975, 59) * se,
                                       92 + stats.t.ppf(0.975, 59) * se))


@pytest.mark.parametrize("n", [1, 5, 30, 200])
def test_every_answer_four_gives_the_clopper_pearson_bound(n):
    rows = pd.DataFrame({code: [4] * n for code in CODES})

    result = compute_ikm(rows)

    exact = stats.binomtest(n, n).proportion_ci(0.95, method="exact")
    assert result.ci_method == "clopper-pearson-ceiling"
    assert result.ci95 == pytest.approx((25 + 75 * exact.low, 100.0), rel=1e-12)
    assert result.mutu == "A" and result.crosses_boundary
    # The confidence that the IKM reaches band A grows with n, and is the Clopper-Pearson level
    # at which the one-sided bound equals A's edge 88.305.
    if result.band_probability < 1 - 1e-9:  # at n = 200 it is 1 to double precision
        one_sided = stats.binomtest(n, n, alternative="greater").proportion_ci(
            result.band_probability, method="exact")
        assert 25 + 75 * one_sided.low == pytest.approx(88.305, abs=1e-4)  # scipy's root finder
    assert result.grade == grade_label("A", result.band_probability)


def test_every_answer_one_gives_the_mirror_bound_and_a_census_the_point():
    rows = pd.DataFrame({code: [1] * 20 for code in CODES})
    result = compute_ikm(rows)
    exact = stats.binomtest(20, 20).proportion_ci(0.95, method="exact")
    assert result.ci_method == "clopper-pearson-floor"
    assert result.ci95 == pytest.approx((25.0, 100 - 75 * exact.low), rel=1e-12)

    census = compute_ikm(pd.DataFrame({code: [4] * 20 for code in CODES}), population=20)
    assert census.ci95 == (100.0, 100.0)


def test_the_logit_interval_agrees_with_a_respondent_bootstrap():
    rows = near_ceiling(45, seed=8)
    answers = rows.to_numpy(dtype=float)

    def ikm_of(indices, axis=-1):
        return 25 * answers[indices].mean(axis=(-2, -1))

    boot = stats.bootstrap((np.arange(len(rows)),), ikm_of, vectorized=True, n_resamples=4000,
                           method="BCa", random_state=np.random.default_rng(3), batch=500)
    low, high = boot.confidence_interval

    result = compute_ikm(rows)

    assert result.ci_method == "logit-t"
    width = high - low
    assert abs(result.ci95[0] - low) < 0.15 * width
    assert abs(result.ci95[1] - high) < 0.15 * width


# --- percent satisfied ----------------------------------------------------------------------

@pytest.mark.parametrize(("k", "n"), [(0, 10), (7, 10), (10, 10), (181, 200), (3, 1000)])
def test_percent_satisfied_is_the_wilson_interval(k, n):
    share, low, high = percent_satisfied(k, n)
    expected = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert share == k / n
    assert (low, high) == pytest.approx(expected, abs=1e-12)


def test_percent_satisfied_of_an_index_respects_the_respondent_as_cluster():
    # Each respondent gives the same answer to all nine unsur: nine answers carry one opinion.
    answers = np.repeat(np.array([4, 3, 2, 4, 1, 3, 4, 2, 3, 3] * 5)[:, None], 9, axis=1)
    rows = pd.DataFrame(answers, columns=CODES)

    share, low, high = compute_ikm(rows).satisfied

    respondents = len(rows)
    satisfied = int((answers[:, 0] >= 3).sum())
    assert share == pytest.approx(satisfied / respondents)
    # Linearised variance p(1−p)/(n−1): the Wilson interval at n − 1 effective answers.
    effective = respondents - 1
    expected = proportion_confint(share * effective, effective, method="wilson")
    assert (low, high) == pytest.approx(expected, rel=1e-10)
    naive = proportion_confint(9 * satisfied, 9 * respondents, method="wilson")
    assert high - low > 2.5 * (naive[1] - naive[0])


# --- how certain the grade is ----------------------------------------------------------------

def test_band_probability_is_the_t_mass_between_the_band_edges():
    mutu, probability, crosses = band_probability(84.0, 2.0, 99)

    # Band B holds the values that round half-up to 76.61-88.30: [76.605, 88.305).
    expected = stats.t.cdf(88.305, 99, 84.0, 2.0) - stats.t.cdf(76.605, 99, 84.0, 2.0)
    assert mutu == "B"
    assert probability == pytest.approx(expected, rel=1e-12)
    assert crosses is False  # 84 ± 1.98·2 stays inside B
    assert grade_label(mutu, probability) == f"B ({int(np.floor(100 * expected))}%)"


def test_an_estimate_at_a_boundary_is_a_coin_toss_and_flagged():
    mutu, probability, crosses = band_probability(88.305, 1.5, 200)
    assert mutu == "A"
    assert probability == pytest.approx(0.5, abs=1e-9)
    assert crosses is True


def test_compute_ikm_reports_the_grade_with_its_certainty():
    result = compute_ikm(near_ceiling(300, seed=2))
    payload = result.to_dict(extended=True)

    assert result.ci_method == "linearised-t"
    se = result.se
    low, high = (x for x in (stats.t.cdf(e, 299, result.ikm_exact, se) for e in (88.305, np.inf)))
    assert result.band_probability == pytest.approx(high - low, rel=1e-9)
    assert payload["grade"] == grade_label(result.mutu, result.band_probability)
    assert payload["ci_method"] == "linearised-t"
    assert payload["percent_satisfied"]["share"] == result.satisfied[0]
    assert payload["crosses_boundary"] == result.crosses_boundary
    assert list(result.to_dict())[-1] == "method"  # the documented JSON keeps its keys


def test_the_n_needed_for_a_chosen_margin_is_krejcie_morgan():
    # d = 0.05 at an unlimited population: 3.841·0.25/0.0025 = 384.1 → 384; d = 0.10 → 96.
    assert required_sample_size(None, 0.05) == 384
    assert required_sample_size(None, 0.10) == 96
