"""Sample adequacy by Krejcie & Morgan (1970), the table printed in PermenPANRB 14/2017.

s = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P)), χ² = 3.841, P = 0.5, d = 0.05.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from analysis.errors import PopulationTooSmall

CHI_SQUARE = 3.841  # χ² with 1 df at 95%, as Krejcie & Morgan print it (1.96² rounded)
PROPORTION = 0.5  # P that maximises P(1−P): the most demanding case
MARGIN = 0.05  # d, the margin of error the regulation's table is built on


def _check_population(population: int | None) -> None:
    if population is not None and (isinstance(population, bool) or population < 1):
        raise ValueError(f"population must be a positive integer, got {population!r}")


def required_sample_size(population: int | None = None, margin: float = MARGIN) -> int:
    """Respondents needed for a margin of error `margin` on a proportion at P = 0.5.

    Rounded to the nearest integer (halves up), which reproduces every entry of the Krejcie &
    Morgan table (N=50→44, 100→80, 1000→278, 10000→370, 1000000→384); rounding up would give
    45 for N=50 and 385 for an unknown N. With `population` None the population is unlimited.
    """
    _check_population(population)
    if not 0 < margin < 1:
        raise ValueError(f"margin must lie strictly between 0 and 1, got {margin}")
    pq = PROPORTION * (1 - PROPORTION)
    if population is None:
        size = CHI_SQUARE * pq / margin**2
    else:
        size = CHI_SQUARE * population * pq / (margin**2 * (population - 1) + CHI_SQUARE * pq)
    return int(math.floor(size + 0.5))


def krejcie_morgan_target(population: int | None) -> int:
    """The regulation's target sample size for a population of service users (d = 0.05)."""
    return required_sample_size(population, MARGIN)


def margin_of_error(n: int, population: int | None = None) -> float:
    """Achieved margin of error d for a proportion at P = 0.5, finite-population corrected.

    The Krejcie & Morgan formula solved for d: d² = χ²·P(1−P)·(N−n) / (n·(N−1)); without N,
    d = sqrt(χ²·P(1−P)/n). A census (n = N) has no sampling error.
    """
    _check_population(population)
    if n < 1:
        raise ValueError(f"margin of error needs at least one respondent, got n={n}")
    pq = PROPORTION * (1 - PROPORTION)
    if population is None:
        return math.sqrt(CHI_SQUARE * pq / n)
    if population < n:
        raise PopulationTooSmall(population, n)
    if population == n:
        return 0.0
    return math.sqrt(CHI_SQUARE * pq * (population - n) / (n * (population - 1)))


@dataclass(frozen=True)
class SampleAdequacy:
    """Achieved n against the Krejcie & Morgan target for a known population."""

    population: int
    n: int
    target: int
    adequate: bool
    margin_of_error: float

    def to_dict(self) -> dict:
        return {
            "population": self.population,
            "target": self.target,
            "adequate": self.adequate,
            "margin_of_error": self.margin_of_error,
        }


def assess_sample(n: int, population: int) -> SampleAdequacy:
    """Whether n respondents reach the target for this population, and the margin they achieve."""
    if population is None:
        raise ValueError("sample adequacy needs the population size")
    target = krejcie_morgan_target(population)
    return SampleAdequacy(
        population=int(population),
        n=int(n),
        target=target,
        adequate=n >= target,
        margin_of_error=margin_of_error(n, population),
    )
