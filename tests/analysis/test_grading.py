"""Half-up display rounding and the mutu/kinerja bands, judged on the rounded value."""
from __future__ import annotations

from decimal import Decimal

import pytest

from analysis import classify, round_half_up


@pytest.mark.parametrize(("value", "shown"), [
    (2.675, "2.68"),     # stored as 2.67499999…; round() gives 2.67
    (88.305, "88.31"),
    (65.005, "65.01"),   # round() gives 65.0
    (76.605, "76.61"),
    (64.995, "65.00"),
    (91.4750957854406, "91.48"),
    (78.125, "78.13"),   # an exact binary tie; round() gives 78.12
    (78.1249999, "78.12"),
])
def test_rounding_is_half_up_on_the_decimal_shown(value, shown):
    assert round_half_up(value) == Decimal(shown)


def test_python_round_would_disagree_at_these_ties():
    assert (round(2.675, 2), round(65.005, 2), round(78.125, 2)) == (2.67, 65.0, 78.12)


@pytest.mark.parametrize(("ikm", "mutu", "kinerja"), [
    (100.0, "A", "Sangat Baik"),
    (88.31, "A", "Sangat Baik"),
    (88.30, "B", "Baik"),
    (76.61, "B", "Baik"),
    (76.60, "C", "Kurang Baik"),
    (65.00, "C", "Kurang Baik"),
    (64.99, "D", "Tidak Baik"),
    (25.00, "D", "Tidak Baik"),
])
def test_band_boundaries(ikm, mutu, kinerja):
    band = classify(ikm)
    assert (band.mutu, band.kinerja) == (mutu, kinerja)


@pytest.mark.parametrize(("ikm", "mutu"), [
    (88.305, "A"),   # shown as 88.31
    (88.3049, "B"),  # shown as 88.30
    (76.605, "B"),
    (64.995, "C"),
    (64.9949, "D"),
])
def test_the_grade_follows_the_displayed_value(ikm, mutu):
    assert classify(ikm).mutu == mutu


def test_legacy_weights_can_dip_under_25_and_still_grade_d():
    assert classify(25 * 0.111 * 9).mutu == "D"  # every answer 1 under the 0.111 weight


def test_an_index_above_100_is_refused():
    with pytest.raises(ValueError, match="above"):
        classify(100.01)
