"""`analysis.sufficient`: the index from additive sums equals `compute_ikm` on the raw rows."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import compute_ikm
from analysis.sufficient import SufficientStats, ikm_from_sufficient, sum_u_squared
from tests.rollup.test_rollup_matches_raw import assert_same_index

CODES = [f"U{j}" for j in range(1, 10)]


def _frame(seed: int, n: int, blank: float, ceiling: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    answers = (np.full((n, 9), 4.0) if ceiling else rng.integers(1, 5, (n, 9)).astype(float))
    answers[rng.random((n, 9)) < blank] = np.nan
    return pd.DataFrame(answers, columns=CODES)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(2, 400), blank=st.sampled_from([0.0, 0.1, 0.4]),
       ceiling=st.booleans(), cuts=st.integers(1, 5), population=st.sampled_from([None, 3]))
def test_sums_of_any_split_give_the_raw_result(seed, n, blank, ceiling, cuts, population):
    answers = _frame(seed, n, blank, ceiling)
    if answers.notna().sum().min() == 0:
        return  # an unsur nobody answered: undefined either way (tested below)
    pieces = np.array_split(np.arange(n), cuts)
    stats = SufficientStats.from_answers(answers.iloc[pieces[0]])
    for piece in pieces[1:]:
        stats = stats + SufficientStats.from_answers(answers.iloc[piece])
    population = None if population is None else population * n
    assert_same_index(ikm_from_sufficient(stats, population=population),
                      compute_ikm(answers, population=population))


def test_sum_of_squared_linearised_scores_matches_the_scores():
    answers = _frame(5, 300, 0.3, False)
    matrix = answers.to_numpy()
    answered = ~np.isnan(matrix)
    counts = answered.sum(axis=0)
    nrr = np.nansum(matrix, axis=0) / counts
    u = 25 / 9 * (np.where(answered, matrix - nrr, 0.0) / counts).sum(axis=1)
    assert sum_u_squared(SufficientStats.from_answers(answers), 25 / 9) == pytest.approx(
        float(np.sum(u**2)), rel=1e-12)


def test_same_refusals_as_the_raw_computation():
    answers = _frame(1, 20, 0.0, False)
    answers["U9"] = np.nan
    with pytest.raises(ValueError, match="U9"):
        compute_ikm(answers)
    with pytest.raises(ValueError, match="U9"):
        ikm_from_sufficient(SufficientStats.from_answers(answers))
