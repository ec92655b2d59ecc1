"""The IKM, every NRR and the clustered interval from additive sufficient statistics (DESIGN §4).

Per unsur j: n_j, Σy_j, Σy_j²; per pair j<k answered together: n_jk, Σy_j·y_k and the sums of y_j
and y_k over those respondents. These add across days, counters and units, so a roll-up summed in
SQL gives exactly what `compute_ikm` gives on the raw rows. Σ_i u_i² of the linearised scores is

    Σ_i u_i² = c² Σ_j Σ_k [S_jk − m_k·S_{j|k} − m_j·S_{k|j} + m_j·m_k·n_jk] / (n_j n_k)

with c = 25/J (or the legacy weight), m_j the NRR, and the diagonal S_jj = Σy_j², S_{j|j} = Σy_j,
n_jj = n_j. The bracket is computed on integers (scaled by n_j n_k), so it is exact.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import NoRespondents, UnansweredUnsur
from analysis.grading import classify, round_half_up
from analysis.ikm import (
    ANSWER_SCALE,
    WEIGHTS,
    IkmResult,
    UnsurResult,
    _answer_matrix,
    index_extras,
    unsur_columns,
)
from analysis.intervals import clustered_percent_satisfied, finite_population_factor, t_interval
from analysis.sample import assess_sample
from analysis.version import METHOD

SATISFIED_FROM = 3  # answers 3 and 4 count as satisfied


@dataclass(frozen=True)
class SufficientStats:
    """Additive statistics of one group of respondents; J×J matrices carry the pairs.

    `pair_n[j, k]` respondents answered both j and k; `pair_prod[j, k]` = Σ y_j·y_k over them;
    `pair_sum[j, k]` = Σ y_j over them (so `pair_sum[k, j]` is Σ y_k). Diagonals: n_j, Σy_j², Σy_j.
    """

    codes: tuple[str, ...]
    n: int
    pair_n: np.ndarray
    pair_prod: np.ndarray
    pair_sum: np.ndarray
    satisfied: np.ndarray
    perfect: int  # respondents whose every answered unsur is 4
    # With a_i the answers 3-4 and m_i the answered unsur of respondent i: Σa_i², Σa_i·m_i, Σm_i².
    sat_sq: int = 0
    sat_answered: int = 0
    answered_sq: int = 0

    @property
    def counts(self) -> np.ndarray:
        return np.diagonal(self.pair_n)

    @property
    def sums(self) -> np.ndarray:
        return np.diagonal(self.pair_sum)

    @property
    def sumsq(self) -> np.ndarray:
        return np.diagonal(self.pair_prod)

    def __add__(self, other: SufficientStats) -> SufficientStats:
        if self.codes != other.codes:
            raise ValueError(f"cannot add statistics of {self.codes} and {other.codes}")
        return SufficientStats(
            self.codes, self.n + other.n, self.pair_n + other.pair_n,
            self.pair_prod + other.pair_prod, self.pair_sum + other.pair_sum,
            self.satisfied + other.satisfied, self.perfect + other.perfect,
            self.sat_sq + other.sat_sq, self.sat_answered + other.sat_answered,
            self.answered_sq + other.answered_sq,
        )

    @classmethod
    def from_answers(cls, answers: pd.DataFrame) -> SufficientStats:
        """The statistics of raw rows (U1..U9 columns, NaN = blank); rows with no answer drop out."""
        codes = unsur_columns(answers)
        matrix = _answer_matrix(answers, codes)
        answered = ~np.isnan(matrix)
        keep = answered.any(axis=1)
        values = np.where(answered, matrix, 0.0)[keep].astype(np.int64)
        mask = answered[keep].astype(np.int64)
        a, m = (values >= SATISFIED_FROM).sum(axis=1), mask.sum(axis=1)
        return cls(
            codes=tuple(codes),
            n=int(keep.sum()),
            pair_n=mask.T @ mask,
            pair_prod=values.T @ values,
            pair_sum=values.T @ mask,
            satisfied=(values >= SATISFIED_FROM).sum(axis=0),
            perfect=int(np.all((values == 4) | (mask == 0), axis=1).sum()),
            sat_sq=int(a @ a), sat_answered=int(a @ m), answered_sq=int(m @ m),
        )

    @classmethod
    def from_sums(
        cls,
        codes: tuple[str, ...],
        n: int,
        perfect: int,
        unsur: Mapping[int, tuple[int, int, int, int]],
        pairs: Mapping[tuple[int, int], tuple[int, int, int, int]],
        respondent_sums: tuple[int, int, int] = (0, 0, 0),
    ) -> SufficientStats:
        """From summed columns: `unsur[j]` = (n_j, Σy_j, Σy_j², satisfied_j) and, for j < k
        (0-based positions in `codes`), `pairs[j, k]` = (n_jk, Σy_j·y_k, Σy_j, Σy_k);
        `respondent_sums` = (Σa_i², Σa_i·m_i, Σm_i²)."""
        size = len(codes)
        # Filled as lists of Python ints (exact, and cheaper than item-wise array writes).
        pair_n, prod, total = ([[0] * size for _ in range(size)] for _ in range(3))
        satisfied = [0] * size
        for j, (count, s, sq, sat) in unsur.items():
            pair_n[j][j], total[j][j], prod[j][j] = int(count), int(s), int(sq)
            satisfied[j] = int(sat)
        for (j, k), (count, p, sj, sk) in pairs.items():
            pair_n[j][k] = pair_n[k][j] = int(count)
            prod[j][k] = prod[k][j] = int(p)
            total[j][k], total[k][j] = int(sj), int(sk)
        return cls(tuple(codes), int(n), *(np.array(m, dtype=object).reshape(size, size)
                                           for m in (pair_n, prod, total)),
                   np.array(satisfied, dtype=object).reshape(size), int(perfect),
                   *(int(v) for v in respondent_sums))


def sum_u_squared(stats: SufficientStats, scale: float) -> float:
    """Σ_i u_i² of the linearised index scores, from the sums alone (the module's formula)."""
    counts = [int(c) for c in stats.counts]
    sums = [int(s) for s in stats.sums]
    # Nested lists of Python ints: indexing them is far cheaper than indexing the arrays.
    prod, pair_sum, pair_n = ([[int(v) for v in row] for row in matrix.tolist()]
                              for matrix in (stats.pair_prod, stats.pair_sum, stats.pair_n))
    total = 0.0
    size = len(counts)
    for j in range(size):
        for k in range(size):
            n_j, n_k = counts[j], counts[k]
            # n_j·n_k × Σ_i (y_ij − m_j)(y_ik − m_k) over those who answered both: an integer.
            bracket = (prod[j][k] * n_j * n_k
                       - sums[k] * pair_sum[j][k] * n_j
                       - sums[j] * pair_sum[k][j] * n_k
                       + sums[j] * sums[k] * pair_n[j][k])
            total += bracket / (n_j * n_k) ** 2
    return scale * scale * total


def _unsur_interval(count: int, s: int, sq: int, fpc: float, confidence: float):
    if count < 2:
        return None
    # Sample variance (q·n − s²) / (n (n − 1)), numerator on integers.
    variance = (sq * count - s * s) / (count * (count - 1)) / count * fpc
    return t_interval(s / count, max(variance, 0.0), count - 1, confidence, ANSWER_SCALE)


def ikm_from_sufficient(
    stats: SufficientStats,
    *,
    weight: str = "exact",
    population: int | None = None,
    confidence: float = 0.95,
) -> IkmResult:
    """What `compute_ikm` returns on the raw rows behind `stats` (equal to rounding error)."""
    if weight not in WEIGHTS:
        raise ValueError(f"weight must be one of {', '.join(WEIGHTS)}, got {weight!r}")
    if population is not None and (isinstance(population, bool) or int(population) < 1):
        raise ValueError(f"population must be a positive integer, got {population!r}")
    codes, n_unsur = stats.codes, len(stats.codes)
    if WEIGHTS[weight] is not None and n_unsur != 9:
        raise ValueError(f"the legacy weight {weight} belongs to the nine-unsur instrument")
    if stats.n == 0:
        raise NoRespondents()
    counts, sums, sumsq = (tuple(int(v) for v in a) for a in (stats.counts, stats.sums, stats.sumsq))
    for code, count in zip(codes, counts):
        if count == 0:
            raise UnansweredUnsur(code)
    nrr = np.array([s / c for s, c in zip(sums, counts)])
    legacy = WEIGHTS[weight]
    scale = 25.0 / n_unsur if legacy is None else 25.0 * legacy
    ikm_exact = 25.0 * float(nrr.sum()) / n_unsur if legacy is None else scale * float(nrr.sum())

    fpc = finite_population_factor(stats.n, population)
    variance = None
    if stats.n >= 2:
        variance = stats.n / (stats.n - 1) * sum_u_squared(stats, scale)
    extras = index_extras(
        ikm_exact, variance, stats.n,
        all_perfect=all(s == 4 * c for s, c in zip(sums, counts)),
        all_worst=all(s == c for s, c in zip(sums, counts)),
        population=population, confidence=confidence,
    )
    unsur = tuple(
        UnsurResult(code, counts[j], float(nrr[j]),
                    _unsur_interval(counts[j], sums[j], sumsq[j], fpc, confidence), confidence)
        for j, code in enumerate(codes)
    )
    satisfied = clustered_percent_satisfied(
        float(sum(int(v) for v in stats.satisfied)), float(sum(counts)), float(stats.sat_sq),
        float(stats.sat_answered), float(stats.answered_sq), stats.n,
        population=population, confidence=confidence)
    band = classify(ikm_exact)
    return IkmResult(
        n=stats.n, ikm_exact=ikm_exact, ikm=float(round_half_up(ikm_exact)), mutu=band.mutu,
        kinerja=band.kinerja, ci95=extras.ci, unsur=unsur, weight=weight, method=METHOD,
        confidence=confidence, population=None if population is None else int(population),
        sample=None if population is None else assess_sample(stats.n, int(population)),
        se=extras.se, ci_method=extras.ci_method, satisfied=satisfied,
        band_probability=extras.band_probability, crosses_boundary=extras.crosses_boundary,
    )
