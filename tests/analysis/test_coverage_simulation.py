"""The 95% IKM interval covers the true IKM about 95% of the time: mid-scale and near the ceiling,
at n = 30 and n = 200, over 2000 seeded samples each.

Respondents follow an ordered-probit model like the demo's: item j of respondent i has latent
m + offset_j + eta_i + eps_ij (eta shared by a respondent's nine answers), cut at three thresholds
into 1..4. The true IKM is exact: 25 × mean_j E[y_j], E[y_j] = 1 + Σ_k Φ((m + offset_j − τ_k)/σ).
Samples are drawn and summarised with numpy; each interval is the one `compute_ikm` reports (the
same `ikm_interval`, checked on a subset of samples through `compute_ikm` itself).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from analysis import compute_ikm, ikm_interval

THRESHOLDS = np.array([-1.55, -0.55, 0.95])
OFFSETS = np.array([0.10, 0.0, -0.25, 0.35, 0.10, 0.05, 0.15, -0.15, -0.30])
SIGMA_RESPONDENT, SIGMA_ANSWER = 0.5, 0.6
SAMPLES = 2000
CODES = [f"U{j}" for j in range(1, 10)]


def true_ikm(location: float) -> float:
    sigma = np.hypot(SIGMA_RESPONDENT, SIGMA_ANSWER)
    expected = 1 + norm.cdf((location + OFFSETS[:, None] - THRESHOLDS) / sigma).sum(axis=1)
    return float(25 * expected.mean())


def draw(location: float, n: int, samples: int, rng: np.random.Generator) -> np.ndarray:
    """samples × n × 9 answers."""
    latent = (location + OFFSETS + rng.normal(0, SIGMA_RESPONDENT, (samples, n, 1))
              + rng.normal(0, SIGMA_ANSWER, (samples, n, 9)))
    return 1 + (latent[..., None] >= THRESHOLDS).sum(axis=-1)


@pytest.mark.parametrize("n", [30, 200])
@pytest.mark.parametrize(("location", "expected_band"), [(0.2, (70, 80)), (1.7, (95, 97))],
                         ids=["mid-scale", "near-ceiling"])
def test_the_95_percent_interval_covers_the_true_ikm(location, expected_band, n):
    truth = true_ikm(location)
    assert expected_band[0] < truth < expected_band[1]  # the scenario is what its name says
    rng = np.random.default_rng(20261123 + n + int(location * 10))
    answers = draw(location, n, SAMPLES, rng)
    scores = 25 * answers.mean(axis=2)  # no blanks: the linearised u_i are score deviations / n
    estimate = scores.mean(axis=1)
    variance = scores.var(axis=1, ddof=1) / n
    perfect = (answers == 4).all(axis=(1, 2))

    intervals = [ikm_interval(estimate[s], variance[s], n, all_perfect=bool(perfect[s]))
                 for s in range(SAMPLES)]
    low = np.array([i[0] for i in intervals])
    high = np.array([i[1] for i in intervals])
    coverage = float(np.mean((low <= truth) & (truth <= high)))

    assert 0.93 <= coverage <= 0.97, f"coverage {coverage:.3f}"
    # The method each sample got is what compute_ikm reports for it.
    for s in range(0, SAMPLES, SAMPLES // 20):
        result = compute_ikm(pd.DataFrame(answers[s], columns=CODES))
        assert result.ci95 == pytest.approx((low[s], high[s]), rel=1e-12)
        assert result.ci_method == intervals[s][2]
    assert {i[2] for i in intervals} <= {"logit-t", "linearised-t", "clopper-pearson-ceiling"}
