"""Display rounding and the mutu/kinerja bands of PermenPANRB 14/2017."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Band:
    """One grade: the mutu letter, the kinerja label and the lowest rounded IKM that earns it."""

    mutu: str
    kinerja: str
    lower: Decimal


# Highest band first; a rounded IKM belongs to the first band whose lower limit it reaches.
BANDS: tuple[Band, ...] = (
    Band("A", "Sangat Baik", Decimal("88.31")),
    Band("B", "Baik", Decimal("76.61")),
    Band("C", "Kurang Baik", Decimal("65.00")),
    Band("D", "Tidak Baik", Decimal("25.00")),
)


def round_half_up(value: float, places: int = 2) -> Decimal:
    """Round half-up as the published reports do (Python's round() is half-even on binary floats).

    Works on the shortest repr of the float, so 2.675 (stored as 2.67499999...) rounds to 2.68.
    """
    if isinstance(value, Decimal):
        exact = value
    else:
        exact = Decimal(repr(float(value)))
    if not exact.is_finite():
        raise ValueError(f"cannot round {value!r}")
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def classify(ikm: float | Decimal) -> Band:
    """The band of an IKM, judged on its value rounded half-up to 2 decimals (as displayed)."""
    rounded = round_half_up(ikm)
    if rounded > 100:
        raise ValueError(f"IKM {rounded} lies above the 25-100 scale")
    # Legacy weights can dip just under 25 (25 × 0.111 × 9 = 24.975): still D.
    if rounded < BANDS[-1].lower:
        return BANDS[-1]
    for band in BANDS:
        if rounded >= band.lower:
            return band
    raise AssertionError("unreachable")  # pragma: no cover
