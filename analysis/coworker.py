"""Summaries of co-worker (rekan kerja) answers: one behaviour's n, mean on the 1–4 scale and on
the 25–100 scale (×25, as the NRR of an unsur), and a t interval on the mean (DESIGN §5)."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.intervals import t_interval

SCALE = (1.0, 4.0)
TO_100 = 25.0  # 1–4 → 25–100, the factor PermenPANRB 14/2017 uses for an unsur's NRR


@dataclass(frozen=True)
class BehaviourSummary:
    n: int
    mean: float | None
    sd: float | None
    ci95: tuple[float, float] | None  # on the 1–4 scale, clipped to it; None below 2 answers

    @property
    def mean_100(self) -> float | None:
        return None if self.mean is None else self.mean * TO_100

    @property
    def ci95_100(self) -> tuple[float, float] | None:
        return None if self.ci95 is None else (self.ci95[0] * TO_100, self.ci95[1] * TO_100)


def summarise(values: Sequence[int], confidence: float = 0.95) -> BehaviourSummary:
    """n, mean, sample SD and mean ± t(n−1)·s/√n of the given 1–4 answers (blanks left out by the
    caller); the interval is clipped to 1–4, since no mean can lie outside the scale."""
    n = len(values)
    if n == 0:
        return BehaviourSummary(0, None, None, None)
    mean = math.fsum(values) / n
    if n == 1:
        return BehaviourSummary(1, mean, None, None)
    variance = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    ci = t_interval(mean, variance / n, n - 1, confidence, bounds=SCALE)
    return BehaviourSummary(n, mean, math.sqrt(variance), ci)
