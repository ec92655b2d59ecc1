"""The Indeks Kepuasan Masyarakat (IKM) of a set of responses, with its clustered interval.

DESIGN §4: NRR_j over the respondents who answered unsur j, IKM = 25 × (1/J) × Σ NRR_j, and a
confidence interval by linearisation with the respondent as the cluster.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.errors import NoRespondents, UnansweredUnsur
from analysis.grading import (
    band_probability,
    ceiling_band_probability,
    classify,
    grade_label,
    round_half_up,
)
from analysis.intervals import (
    clustered_percent_satisfied,
    finite_population_factor,
    ikm_interval,
    t_interval,
)
from analysis.sample import SampleAdequacy, assess_sample
from analysis.version import METHOD
# Weight per unsur: "exact" is 1/J (the default, and the only mode for new results); the legacy
# modes reproduce published reports that rounded the weight to 0.111 or 0.11.
WEIGHTS: dict[str, float | None] = {"exact": None, "0.111": 0.111, "0.11": 0.11}
IKM_SCALE = (25.0, 100.0)
ANSWER_SCALE = (1.0, 4.0)
ANSWER_VALUES = (1, 2, 3, 4)

_UNSUR_CODE = re.compile(r"U([0-9]+)")


def unsur_columns(answers: pd.DataFrame) -> list[str]:
    """The unsur columns of a frame (U1, U2, ...) in questionnaire order; others are ignored."""
    codes = [c for c in answers.columns if isinstance(c, str) and _UNSUR_CODE.fullmatch(c)]
    return sorted(codes, key=lambda code: int(code[1:]))


def _interval_key(confidence: float) -> str:
    """JSON key of an interval: `ci95` at 95%, `ci90` at 90%, ..."""
    return f"ci{confidence * 100:g}"


def _as_list(interval: tuple[float, float] | None) -> list[float] | None:
    return None if interval is None else [interval[0], interval[1]]


@dataclass(frozen=True)
class UnsurResult:
    """One unsur: how many answered it, its NRR (mean answer, 1-4) and that mean's t interval."""

    code: str
    n: int
    nrr: float
    ci95: tuple[float, float] | None
    confidence: float = 0.95

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "n": self.n,
            "nrr": self.nrr,
            _interval_key(self.confidence): _as_list(self.ci95),
        }


@dataclass(frozen=True)
class IkmResult:
    """The index of one group of respondents: for display (ikm, mutu) and audit (ikm_exact).

    `ci95` holds the interval at `confidence` (95% unless asked otherwise); None when n = 1.
    """

    n: int
    ikm_exact: float
    ikm: float
    mutu: str
    kinerja: str
    ci95: tuple[float, float] | None
    unsur: tuple[UnsurResult, ...]
    weight: str
    method: str = METHOD
    confidence: float = 0.95
    population: int | None = None
    sample: SampleAdequacy | None = field(default=None)
    se: float | None = None  # standard error of ikm_exact (FPC applied); None when n = 1
    ci_method: str = "linearised-t"  # see analysis.intervals.ikm_interval
    satisfied: tuple[float, float, float] | None = None  # share of answers 3-4, Wilson low, high
    band_probability: float | None = None  # P(true IKM in the reported mutu band)
    crosses_boundary: bool | None = None  # the interval reaches into another band

    @property
    def grade(self) -> str:
        """'B (97%)': the mutu and how likely the true IKM lies in its band."""
        return grade_label(self.mutu, self.band_probability)

    def to_dict(self, *, extended: bool = False) -> dict:
        """The JSON object of DESIGN §7 (`flask skm compute --json`); `extended` adds
        `ci_method`, `percent_satisfied` ({share, ci95}), `grade` and `crosses_boundary`."""
        result = {
            "n": self.n,
            "ikm": self.ikm,
            "ikm_exact": self.ikm_exact,
            _interval_key(self.confidence): _as_list(self.ci95),
            "mutu": self.mutu,
            "kinerja": self.kinerja,
            "unsur": [item.to_dict() for item in self.unsur],
            "weight": self.weight,
            "method": self.method,
        }
        if self.sample is not None:
            result["sample"] = self.sample.to_dict()
        if extended:
            result["ci_method"] = self.ci_method
            result["percent_satisfied"] = None if self.satisfied is None else {
                "share": self.satisfied[0],
                _interval_key(self.confidence): [self.satisfied[1], self.satisfied[2]],
            }
            result["grade"] = self.grade
            result["crosses_boundary"] = self.crosses_boundary
        return result


@dataclass(frozen=True)
class IndexExtras:
    """What follows from (IKM, its variance, n): the interval and its method, the se, and how
    certain the grade is. Shared by raw rows and sufficient statistics."""

    ci: tuple[float, float] | None
    ci_method: str
    se: float | None
    mutu: str
    band_probability: float | None
    crosses_boundary: bool | None

    @property
    def grade(self) -> str:
        return grade_label(self.mutu, self.band_probability)


def index_extras(
    ikm_exact: float,
    variance: float | None,
    n: int,
    *,
    all_perfect: bool,
    all_worst: bool = False,
    population: int | None = None,
    confidence: float = 0.95,
) -> IndexExtras:
    """Interval (via `ikm_interval`), se and band probability of an index.

    `variance` is the linearised variance WITHOUT the finite-population correction. The band
    probability follows the interval's method: on the logit scale for "logit-t", the
    Clopper-Pearson confidence for a ceiling or floor, the t distribution otherwise.
    """
    low, high, method = ikm_interval(ikm_exact, variance, n, all_perfect=all_perfect,
                                     all_worst=all_worst, population=population,
                                     confidence=confidence)
    ci = None if low is None else (low, high)
    fpc = finite_population_factor(n, population)
    se = None if variance is None or n < 2 else math.sqrt(max(variance, 0.0) * fpc)
    if method.startswith("clopper-pearson") and fpc > 0:
        mutu, probability, crosses = ceiling_band_probability(n, floor=method.endswith("floor"))
    else:
        mutu, probability, crosses = band_probability(
            ikm_exact, se, n - 1 if se is not None else None, confidence=confidence, interval=ci,
            scale="logit" if method == "logit-t" else "linear")
    return IndexExtras(ci, method, se, mutu, probability, crosses)


def _answer_matrix(answers: pd.DataFrame, codes: list[str]) -> np.ndarray:
    """Respondents × unsur as floats, NaN for a blank; refuses anything but 1, 2, 3, 4."""
    columns = []
    for code in codes:
        try:
            column = pd.to_numeric(answers[code], errors="raise")
        except (TypeError, ValueError) as error:
            raise ValueError(f"unsur {code} holds values that are not numbers: {error}") from None
        columns.append(pd.Series(column).astype("Float64").to_numpy(dtype=float, na_value=np.nan))
    matrix = np.column_stack(columns) if columns else np.empty((len(answers), 0))
    for j, code in enumerate(codes):
        given = matrix[:, j][~np.isnan(matrix[:, j])]
        bad = given[~np.isin(given, ANSWER_VALUES)]
        if bad.size:
            raise ValueError(
                f"unsur {code} has the answer {bad[0]:g}; answers are 1, 2, 3 or 4 "
                "(a blank means not applicable, never 0)"
            )
    return matrix


def _linearised_variance(u: np.ndarray) -> float | None:
    """Var = n/(n−1) Σ u_i² of the linearised scores (no FPC); None for one respondent."""
    n = u.size
    return None if n < 2 else n / (n - 1) * float(np.sum(u**2))


def _satisfied(matrix: np.ndarray, answered: np.ndarray, population: int | None,
               confidence: float) -> tuple[float, float, float]:
    """Share of answers 3-4 with the clustered Wilson interval."""
    a = (np.where(answered, matrix, 0.0) >= 3).sum(axis=1).astype(float)
    m = answered.sum(axis=1).astype(float)
    return clustered_percent_satisfied(
        float(a.sum()), float(m.sum()), float(a @ a), float(a @ m), float(m @ m), a.size,
        population=population, confidence=confidence)


def _unsur_interval(
    values: np.ndarray, fpc: float, confidence: float
) -> tuple[float, float] | None:
    """t interval of one unsur's NRR over those who answered it, with the survey's FPC."""
    if values.size < 2:
        return None
    variance = float(np.var(values, ddof=1)) / values.size * fpc
    return t_interval(float(values.mean()), variance, values.size - 1, confidence, ANSWER_SCALE)


def compute_ikm(
    answers: pd.DataFrame,
    *,
    weight: str = "exact",
    population: int | None = None,
    confidence: float = 0.95,
) -> IkmResult:
    """The IKM of one row per respondent with columns U1..U9 (NaN = blank = not applicable).

    The unsur are the U-columns given (J of them). Rows with no answer at all are not respondents.
    `population` (N service users in the period) adds the finite-population correction and the
    Krejcie & Morgan sample check. Raises ValueError on no respondents, an unsur nobody answered,
    answers outside 1-4, or an unknown weight.
    """
    if weight not in WEIGHTS:
        raise ValueError(f"weight must be one of {', '.join(WEIGHTS)}, got {weight!r}")
    if population is not None and (isinstance(population, bool) or int(population) < 1):
        raise ValueError(f"population must be a positive integer, got {population!r}")
    codes = unsur_columns(answers)
    if not codes:
        raise ValueError("no unsur columns (U1, U2, ...) in the answers")

    if WEIGHTS[weight] is not None and len(codes) != 9:
        raise ValueError(
            f"the legacy weight {weight} belongs to the nine-unsur instrument; "
            f"these answers have {len(codes)} unsur"
        )

    matrix = _answer_matrix(answers, codes)
    answered = ~np.isnan(matrix)
    matrix, answered = matrix[answered.any(axis=1)], answered[answered.any(axis=1)]
    n, n_unsur = matrix.shape
    if n == 0:
        raise NoRespondents()
    counts = answered.sum(axis=0)
    for code, count in zip(codes, counts):
        if count == 0:
            raise UnansweredUnsur(code)

    nrr = np.where(answered, matrix, 0.0).sum(axis=0) / counts
    legacy_weight = WEIGHTS[weight]
    if legacy_weight is None:
        ikm_exact = 25.0 * float(nrr.sum()) / n_unsur
        scale = 25.0 / n_unsur
    else:
        scale = 25.0 * legacy_weight
        ikm_exact = scale * float(nrr.sum())

    fpc = finite_population_factor(n, population)
    # Linearised score of each respondent: their contribution to the index's deviation.
    u = scale * (np.where(answered, matrix - nrr, 0.0) / counts).sum(axis=1)
    given = matrix[answered]
    extras = index_extras(ikm_exact, _linearised_variance(u), int(n),
                          all_perfect=bool((given == 4).all()), all_worst=bool((given == 1).all()),
                          population=population, confidence=confidence)

    unsur = tuple(
        UnsurResult(
            code=code,
            n=int(counts[j]),
            nrr=float(nrr[j]),
            ci95=_unsur_interval(matrix[answered[:, j], j], fpc, confidence),
            confidence=confidence,
        )
        for j, code in enumerate(codes)
    )
    band = classify(ikm_exact)
    return IkmResult(
        n=int(n),
        ikm_exact=ikm_exact,
        ikm=float(round_half_up(ikm_exact)),
        mutu=band.mutu,
        kinerja=band.kinerja,
        ci95=extras.ci,
        unsur=unsur,
        weight=weight,
        confidence=confidence,
        population=None if population is None else int(population),
        sample=None if population is None else assess_sample(int(n), int(population)),
        se=extras.se,
        ci_method=extras.ci_method,
        satisfied=_satisfied(matrix, answered, population, confidence),
        band_probability=extras.band_probability,
        crosses_boundary=extras.crosses_boundary,
    )
