"""Display rounding, the mutu/kinerja bands of PermenPANRB 14/2017, and how certain a grade is."""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from scipy import special

from analysis.intervals import t_quantile


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


# --- how certain a grade is ---------------------------------------------------------------------

_HALF_CENT = Decimal("0.005")  # a value rounds half-up into a band from half a cent below its limit


def band_edges(mutu: str) -> tuple[float, float]:
    """[low, high) of a band on the exact (unrounded) scale under the half-up rule: B is
    [76.605, 88.305); A is open above and D open below, so a t distribution's tails stay in them."""
    for index, band in enumerate(BANDS):
        if band.mutu == mutu:
            low = -math.inf if index == len(BANDS) - 1 else float(band.lower - _HALF_CENT)
            high = math.inf if index == 0 else float(BANDS[index - 1].lower - _HALF_CENT)
            return (low, high)
    raise ValueError(f"unknown mutu {mutu!r}; bands are {', '.join(b.mutu for b in BANDS)}")


def _to_logit(value: float) -> float:
    p = (value - 25.0) / 75.0
    if p <= 0:
        return -math.inf
    if p >= 1:
        return math.inf
    return math.log(p / (1 - p))


def band_probability(
    ikm_exact: float,
    se: float | None,
    df: int | None,
    *,
    confidence: float = 0.95,
    interval: tuple[float, float] | None = None,
    scale: str = "linear",
) -> tuple[str, float | None, bool | None]:
    """(mutu, probability, crosses_boundary) of the band of the rounded estimate.

    probability = P(true IKM in that band's exact edges) with the true value distributed as
    estimate + se·T(df) (on the logit of (IKM − 25)/75 when `scale` is "logit", matching the
    logit interval). crosses_boundary: the interval (`interval` if given, else the t interval at
    `confidence`) has ends in different bands. Without an se or df both are None.
    """
    mutu = classify(ikm_exact).mutu
    low_edge, high_edge = band_edges(mutu)
    if se is None or df is None or df < 1 or math.isnan(se):
        crosses = None if interval is None else _crosses(interval)
        return (mutu, None, crosses)
    if se < 0:
        raise ValueError(f"se must be non-negative, got {se}")
    if scale == "logit" and 25.0 < ikm_exact < 100.0:
        p = (ikm_exact - 25.0) / 75.0
        centre, spread = _to_logit(ikm_exact), se / (p * (1 - p) * 75.0)
        low_edge, high_edge = _to_logit(low_edge), _to_logit(high_edge)
    elif scale in ("linear", "logit"):
        centre, spread = ikm_exact, se
    else:
        raise ValueError(f"scale must be 'linear' or 'logit', got {scale!r}")
    if spread == 0:
        probability = 1.0
    else:
        # The t(df) distribution function at the standardised edges, as scipy.stats.t computes it.
        probability = float(special.stdtr(df, (high_edge - centre) / spread)
                            - special.stdtr(df, (low_edge - centre) / spread))
    if interval is None:
        half = t_quantile(0.5 + confidence / 2, df) * se
        interval = (ikm_exact - half, ikm_exact + half)
    return (mutu, probability, _crosses(interval))


def ceiling_band_probability(n: int, *, floor: bool = False) -> tuple[str, float, bool]:
    """When all n respondents answered 4 (A) or, `floor`, all answered 1 (D): the highest
    confidence at which the one-sided Clopper-Pearson bound 25 + 75·β^(1/n) still reaches the
    band's edge, 1 − ((88.305 − 25)/75)^n (mirrored for D). A confidence, not a posterior."""
    if n < 1:
        raise ValueError(f"needs at least one respondent, got n={n}")
    if floor:
        edge = band_edges("D")[1]
        return ("D", 1.0 - ((100.0 - edge) / 75.0) ** n, True)
    edge = band_edges("A")[0]
    return ("A", 1.0 - ((edge - 25.0) / 75.0) ** n, True)


def _crosses(interval: tuple[float, float]) -> bool:
    low, high = interval
    return classify(max(low, 25.0)).mutu != classify(min(high, 100.0)).mutu


def grade_label(mutu: str, probability: float | None) -> str:
    """'B (97%)': the grade and the probability that it is right, floored to a whole percent
    (never claiming more certainty than there is; above 99% it reads '>99%')."""
    if probability is None:
        return mutu
    if probability > 0.99:
        return f"{mutu} (>99%)"
    return f"{mutu} ({math.floor(100 * probability)}%)"
