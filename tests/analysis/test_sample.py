"""Krejcie & Morgan sample targets, the achieved margin of error and adequacy."""
from __future__ import annotations

import math

import pytest

from analysis import assess_sample, krejcie_morgan_target, margin_of_error, required_sample_size


def km_size(population: float, d: float) -> float:
    """The formula as printed, unrounded: χ²NP(1−P) / (d²(N−1) + χ²P(1−P))."""
    return 3.841 * population * 0.25 / (d**2 * (population - 1) + 3.841 * 0.25)


@pytest.mark.parametrize(("population", "target"), [
    (100, 80), (1000, 278), (10000, 370), (1_000_000, 384), (None, 384),
    # further entries of the table printed in PermenPANRB 14/2017
    (15, 14), (30, 28), (50, 44), (75, 63), (20000, 377), (50000, 381),
])
def test_targets_reproduce_the_krejcie_morgan_table(population, target):
    assert krejcie_morgan_target(population) == target


def test_margin_of_error_solves_the_formula_for_d():
    for n, population in [(29, 1000), (278, 1000), (100, 150), (370, 10000)]:
        d = margin_of_error(n, population)
        assert km_size(population, d) == pytest.approx(n)
    assert margin_of_error(278, 1000) == pytest.approx(0.05, abs=2e-4)


def test_margin_of_error_without_a_population():
    assert margin_of_error(100) == pytest.approx(math.sqrt(3.841 / 4 / 100))
    assert margin_of_error(384) == pytest.approx(0.05, abs=1e-4)


def test_a_census_has_no_margin_of_error():
    assert margin_of_error(80, 80) == 0.0


def test_sample_size_for_a_chosen_margin():
    # 3.841 × 0.25 / 0.1² = 96.0
    assert required_sample_size(None, margin=0.1) == 96
    # 960.25 / (0.0009 × 999 + 0.96025) = 516.4
    assert required_sample_size(1000, margin=0.03) == 516


def test_adequacy_is_reaching_the_target():
    assert assess_sample(278, 1000).adequate
    short = assess_sample(277, 1000)
    assert (short.target, short.adequate) == (278, False)
    assert short.margin_of_error > 0.05


@pytest.mark.parametrize("population", [0, -5])
def test_a_population_must_be_positive(population):
    with pytest.raises(ValueError, match="population"):
        krejcie_morgan_target(population)


def test_a_population_smaller_than_the_sample_is_refused():
    with pytest.raises(ValueError, match="smaller"):
        assess_sample(30, 20)
