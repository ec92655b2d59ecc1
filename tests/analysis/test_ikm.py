"""The IKM, its unsur and its interval, against published figures and independent formulas."""
from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import compute_ikm
from tests.analysis.worked_example import COUNTS, PUBLISHED_IKM, worked_example_rows

CODES = [f"U{j}" for j in range(1, 10)]


def respondent_scores(rows: pd.DataFrame) -> np.ndarray:
    """Each respondent's own score on the 25-100 scale (only meaningful without blanks)."""
    return 25 * rows[CODES].to_numpy(dtype=float).mean(axis=1)


def moderate_answers(n: int, seed: int) -> pd.DataFrame:
    """Answers inside the scale (no interval touches 25 or 100), correlated within respondents."""
    rng = np.random.default_rng(seed)
    mood = rng.normal(0, 0.6, size=(n, 1))
    raw = 2.6 + mood + rng.normal(0, 0.7, size=(n, 9))
    return pd.DataFrame(np.clip(np.rint(raw), 1, 4), columns=CODES)


# --- the published worked example -------------------------------------------------------------

@pytest.mark.parametrize("weight", ["exact", "0.111", "0.11"])
def test_worked_example_reproduces_the_published_index(weight):
    result = compute_ikm(worked_example_rows(), weight=weight)

    assert result.n == 29
    assert result.ikm == PUBLISHED_IKM[weight]
    assert (result.mutu, result.kinerja) == ("A", "Sangat Baik")
    assert result.weight == weight


def test_worked_example_nrr_and_exact_index_match_hand_arithmetic():
    result = compute_ikm(worked_example_rows())

    nrr = {code: Fraction(sum(v * c for v, c in counts.items()), 29)
           for code, counts in COUNTS.items()}
    for item in result.unsur:
        assert item.n == 29
        assert item.nrr == pytest.approx(float(nrr[item.code]), abs=1e-12)
    # 25 × (1/9) × Σ NRR = 25 × 955 / (9 × 29) = 23875 / 261
    assert sum(nrr.values()) == Fraction(955, 29)
    assert result.ikm_exact == pytest.approx(23875 / 261, abs=1e-12)


# --- the interval ---------------------------------------------------------------------------

def test_without_blanks_the_se_is_that_of_respondent_scores():
    rows = worked_example_rows()
    scores = respondent_scores(rows)

    result = compute_ikm(rows)

    # n = 29 < 60: the same se, but the interval is built on the logit of (IKM − 25)/75.
    assert result.se == pytest.approx(stats.sem(scores), rel=1e-10)
    assert result.ci_method == "logit-t"
    p = (scores.mean() - 25) / 75
    half = stats.t.ppf(0.975, 28) * stats.sem(scores) / (p * (1 - p) * 75)
    logit = np.log(p / (1 - p))
    expected = [25 + 75 / (1 + np.exp(-(logit + sign * half))) for sign in (-1, 1)]
    assert result.ci95 == pytest.approx(expected, rel=1e-10)


def test_interval_matches_scipy_t_on_a_larger_sample():
    rows = moderate_answers(200, seed=7)  # n ≥ 60: the linearised t interval
    scores = respondent_scores(rows)
    expected = stats.t.interval(0.95, len(scores) - 1, loc=scores.mean(), scale=stats.sem(scores))

    result = compute_ikm(rows)

    assert result.ci95 == pytest.approx(expected, rel=1e-10)
    assert result.ikm_exact == pytest.approx(scores.mean(), rel=1e-12)


def test_known_population_narrows_the_interval_by_the_finite_population_correction():
    rows = moderate_answers(120, seed=3)
    scores = respondent_scores(rows)
    n, population = len(scores), 400
    # Worked arithmetic: mean ± t(0.975, n−1) · s/√n · √(1 − n/N)
    half = stats.t.ppf(0.975, n - 1) * scores.std(ddof=1) / np.sqrt(n) * np.sqrt(1 - n / population)

    result = compute_ikm(rows, population=population)

    assert result.ci95 == pytest.approx((scores.mean() - half, scores.mean() + half), rel=1e-10)
    for item in result.unsur:
        values = rows[item.code].to_numpy()
        item_half = (stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / np.sqrt(n)
                     * np.sqrt(1 - n / population))
        assert item.ci95 == pytest.approx((values.mean() - item_half, values.mean() + item_half))


def test_a_census_has_no_sampling_error():
    rows = moderate_answers(50, seed=5)
    result = compute_ikm(rows, population=50)
    assert result.ci95 == pytest.approx((result.ikm_exact, result.ikm_exact))


def test_unsur_interval_is_the_t_interval_of_those_who_answered_it():
    rows = moderate_answers(80, seed=11)
    rows.loc[rows.index[:17], "U4"] = np.nan

    result = compute_ikm(rows)

    for item in result.unsur:
        values = rows[item.code].dropna().to_numpy()
        expected = stats.t.interval(0.95, len(values) - 1, loc=values.mean(),
                                    scale=stats.sem(values))
        assert item.n == len(values)
        assert item.nrr == pytest.approx(values.mean())
        assert item.ci95 == pytest.approx(expected, rel=1e-10)
    assert result.unsur[3].n == 63


# --- blanks ---------------------------------------------------------------------------------

def test_blanks_are_not_applicable_never_zero():
    rows = pd.DataFrame({code: [3.0, 3.0, 3.0, 3.0] for code in CODES})
    rows["U1"] = [4, 3, np.nan, 2]  # NRR 9/3 = 3, not 9/4
    rows["U2"] = [np.nan, 4, 4, 3]  # NRR 11/3

    result = compute_ikm(rows)

    assert [(u.code, u.n) for u in result.unsur[:3]] == [("U1", 3), ("U2", 3), ("U3", 4)]
    assert result.unsur[0].nrr == pytest.approx(3.0)
    assert result.unsur[1].nrr == pytest.approx(11 / 3)
    # 25 × (1/9) × (3 + 11/3 + 7 × 3) = 2075/27 = 76.85…, band B
    assert result.ikm_exact == pytest.approx(2075 / 27)
    assert (result.ikm, result.mutu) == (76.85, "B")


def test_interval_with_blanks_agrees_with_a_respondent_bootstrap():
    rng = np.random.default_rng(2024)
    n = 300
    mood = rng.normal(0, 0.7, size=(n, 1))
    answers = np.clip(np.rint(2.9 + mood + rng.normal(0, 0.6, size=(n, 9))), 1, 4)
    answers[rng.random((n, 9)) < 0.15] = np.nan  # about 15% not applicable
    answers[np.isnan(answers).all(axis=1), 0] = 3  # every row is a respondent
    rows = pd.DataFrame(answers, columns=CODES)

    def ikm_of(indices, axis=-1):
        # Independent statistic: NRR over answering respondents, averaged, on the 25-100 scale.
        return 25 * np.nanmean(answers[indices], axis=-2).mean(axis=-1)

    boot = stats.bootstrap((np.arange(n),), ikm_of, vectorized=True, n_resamples=3000,
                           method="BCa", random_state=np.random.default_rng(1), batch=500)
    low, high = boot.confidence_interval

    result = compute_ikm(rows)

    assert result.ikm_exact == pytest.approx(ikm_of(np.arange(n)))
    width = high - low
    assert abs(result.ci95[0] - low) < 0.15 * width
    assert abs(result.ci95[1] - high) < 0.15 * width
    # The check has teeth: treating the 9 answers of a person as independent would be far narrower.
    answered = (~np.isnan(answers)).sum(axis=0)
    naive_se = 25 / 9 * np.sqrt(np.sum(np.nanvar(answers, axis=0, ddof=1) / answered))
    assert 2 * 1.968 * naive_se < 0.7 * width


# --- edge cases -----------------------------------------------------------------------------

def test_a_single_respondent_has_an_index_but_no_interval():
    result = compute_ikm(pd.DataFrame({code: [3] for code in CODES}))
    assert (result.n, result.ikm, result.ci95) == (1, 75.0, None)
    assert all(item.ci95 is None for item in result.unsur)
    assert json.loads(json.dumps(result.to_dict()))["ci95"] is None


def test_identical_answers_collapse_the_interval_to_the_point():
    result = compute_ikm(pd.DataFrame({code: [3] * 12 for code in CODES}))
    assert result.ci95 == (75.0, 75.0)
    assert result.unsur[0].ci95 == (3.0, 3.0)


@pytest.mark.parametrize("rows", [
    pd.DataFrame({code: [] for code in CODES}, dtype=float),
    pd.DataFrame({code: [np.nan, np.nan] for code in CODES}),
], ids=["no rows", "only blank rows"])
def test_no_respondents_is_a_clear_error(rows):
    with pytest.raises(ValueError, match="no respondents"):
        compute_ikm(rows)


def test_an_unsur_nobody_answered_is_named():
    rows = moderate_answers(10, seed=1)
    rows["U3"] = np.nan
    with pytest.raises(ValueError, match="unsur U3: nobody answered"):
        compute_ikm(rows)


@pytest.mark.parametrize("bad", [0, 5, 2.5])
def test_answers_outside_one_to_four_are_refused(bad):
    rows = moderate_answers(5, seed=1)
    rows.loc[2, "U6"] = bad
    with pytest.raises(ValueError, match="unsur U6"):
        compute_ikm(rows)


def test_invalid_options_are_refused():
    rows = moderate_answers(5, seed=1)
    with pytest.raises(ValueError, match="weight"):
        compute_ikm(rows, weight="0.1")
    with pytest.raises(ValueError, match="population"):
        compute_ikm(rows, population=0)
    with pytest.raises(ValueError, match="smaller than the 5 respondents"):
        compute_ikm(rows, population=4)
    with pytest.raises(ValueError, match="nine-unsur"):
        compute_ikm(rows[["U1", "U2"]], weight="0.111")


def test_the_unsur_are_the_u_columns_given_in_any_order_and_type():
    rows = pd.DataFrame({
        "comment": ["a", "b", "c"],
        "U3": pd.array([4, 2, None], dtype="Int64"),
        "U1": [2.0, 3.0, 4.0],
    })
    result = compute_ikm(rows)
    assert [u.code for u in result.unsur] == ["U1", "U3"]
    # J = 2: 25 × (3 + 3) / 2
    assert result.ikm_exact == pytest.approx(75.0)


# --- rounding and the JSON -----------------------------------------------------------------

def test_display_rounds_half_up_at_a_tie():
    # 8 respondents, each unsur 4,3,3,3,3,3,3,3 → NRR 3.125 → IKM exactly 78.125 (a binary float)
    rows = pd.DataFrame({code: [4, 3, 3, 3, 3, 3, 3, 3] for code in CODES})
    result = compute_ikm(rows)
    assert result.ikm_exact == 78.125
    assert round(78.125, 2) == 78.12  # what Python's half-even round would display
    assert result.ikm == 78.13
    assert result.mutu == "B"


def test_to_dict_is_the_documented_json():
    with_population = compute_ikm(worked_example_rows(), population=1000).to_dict()
    without = compute_ikm(worked_example_rows()).to_dict()

    keys = ["n", "ikm", "ikm_exact", "ci95", "mutu", "kinerja", "unsur", "weight", "method"]
    assert list(without) == keys
    assert list(with_population) == keys + ["sample"]
    assert set(with_population["sample"]) == {"population", "target", "adequate", "margin_of_error"}
    assert with_population["sample"]["population"] == 1000
    assert [set(u) for u in without["unsur"]] == [{"code", "n", "nrr", "ci95"}] * 9
    assert without["method"] == "suarawarga-analysis/2"
    assert json.loads(json.dumps(with_population)) == with_population


def test_another_confidence_level_is_labelled_as_such():
    rows = moderate_answers(60, seed=9)
    ninety = compute_ikm(rows, confidence=0.90)
    ninety_five = compute_ikm(rows)
    assert ninety.ci95[1] - ninety.ci95[0] < ninety_five.ci95[1] - ninety_five.ci95[0]
    assert "ci90" in ninety.to_dict() and "ci95" not in ninety.to_dict()
