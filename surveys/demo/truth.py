"""The stated model behind the demo data: every parameter and every true effect, as data.

Respondent i, served by officer o at a counter of unit u, for service s, through channel c, in
period p, answers item j (U1..U9 and OFFICER) with

    x_ij = mu + unit_u + service_s + channel_c + loading_j * officer_o
           + item_offset_j + item_shift_uj + period_shift_upj + eta_i + eps_ij
    eta_i ~ N(0, sigma_eta) (one per respondent),  eps_ij ~ N(0, sigma_eps)
    y_ij  = 1 + #{k : x_ij >= tau_k}  (so 1..4)

so P(y >= k + 1) = Phi((m - tau_k) / sqrt(sigma_eta^2 + sigma_eps^2)) for the mean latent m, and
E[y] = 1 + sum_k of those. U6, U7 and the officer rating load the officer effect fully; the other
unsur only weakly. Who serves, which counter, service and channel are drawn from the shares below,
independently; a response names its officer with a probability that depends on the channel.
U4 and U9 are sometimes left blank ("not applicable") and the officer rating is asked only when an
officer is named; blanks are missing completely at random, so they do not move the expectations.

The truth functions (`officer_true_score`, `unit_true_ikm`, `unit_true_nrr`) describe the genuine
responses; the planted burst (`BURST`) is outside the model and excluded from them, and the rare
stand-in officers (a handful of responses each) are left out of the unit mixture.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from math import sqrt
from statistics import NormalDist
from zoneinfo import ZoneInfo

# The organization, its units, services, counters and officers with their true effects and shares.
from surveys.demo.roster import (  # noqa: F401  (re-exported: the truth is one import away)
    ORGANIZATION,
    UNITS,
    CounterTruth,
    OfficerTruth,
    ServiceTruth,
    UnitTruth,
)

DEFAULT_SEED = 20260401
TIMEZONE = "Asia/Makassar"  # WITA, UTC+8, no daylight saving
SPAN_START, SPAN_END = date(2026, 4, 1), date(2027, 1, 1)  # [start, end); cut at `today`
PERIODS = ("2026-Q2", "2026-Q3", "2026-Q4")
ITEMS = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9", "OFFICER")
OFFICER_ITEMS = ("U6", "U7", "OFFICER")
CHANNELS = ("counter_qr", "staff_qr", "kiosk", "paper")

# National holidays and cuti bersama 2026 on weekdays within the span (dates of the Islamic
# holidays are estimates): no service, no responses.
HOLIDAYS = frozenset(date.fromisoformat(d) for d in (
    "2026-04-03", "2026-05-01", "2026-05-14", "2026-05-15", "2026-05-27", "2026-06-01",
    "2026-06-16", "2026-08-17", "2026-08-25", "2026-12-24", "2026-12-25",
))
# Service hours in WITA by weekday (Monday = 0), as decimal hours; Saturday and Sunday closed.
OFFICE_HOURS = {0: (8.0, 15.5), 1: (8.0, 15.5), 2: (8.0, 15.5), 3: (8.0, 15.5), 4: (8.0, 14.5)}
# Arrival time = open + (close - open) * Beta(a, b): busiest in the late morning.
ARRIVAL_BETA = (1.8, 2.6)
# Expected responses on a weekday relative to the unit's daily mean (Mondays are busiest).
WEEKDAY_FACTORS = {0: 1.25, 1: 1.05, 2: 1.0, 3: 0.95, 4: 0.75}


@dataclass(frozen=True)
class Model:
    mu: float = 0.55
    sigma_eta: float = 0.5
    sigma_eps: float = 0.6
    thresholds: tuple[float, float, float] = (-1.55, -0.55, 0.95)
    item_offsets: dict[str, float] = field(default_factory=lambda: {
        "U1": 0.10, "U2": 0.0, "U3": -0.25, "U4": 0.35, "U5": 0.10,
        "U6": 0.05, "U7": 0.15, "U8": -0.15, "U9": -0.30, "OFFICER": 0.10})
    officer_loading: dict[str, float] = field(default_factory=lambda: {
        item: (1.0 if item in OFFICER_ITEMS else 0.25) for item in ITEMS})
    channel_effects: dict[str, float] = field(default_factory=lambda: {
        "counter_qr": 0.0, "staff_qr": 0.12, "kiosk": -0.08, "paper": 0.20})
    # Channel of a response served by an officer without a personal QR code ...
    channel_shares: dict[str, float] = field(default_factory=lambda: {
        "counter_qr": 0.72, "kiosk": 0.16, "paper": 0.12})
    # ... and with one: this share on the personal code, the rest as above.
    personal_qr_share: float = 0.40
    named_probability: dict[str, float] = field(default_factory=lambda: {
        "counter_qr": 0.85, "staff_qr": 1.0, "kiosk": 0.40, "paper": 0.55})
    blank_rates: dict[str, float] = field(default_factory=lambda: {"U4": 0.04, "U9": 0.06})
    officer_rating_blank: float = 0.07  # when an officer is named
    comment_rate: float = 0.025  # a short comment ...
    comment_rate_unhappy: float = 0.10  # ... more often when the mean unsur answer is <= 2.5

    @property
    def sigma_total(self) -> float:
        return sqrt(self.sigma_eta**2 + self.sigma_eps**2)


MODEL = Model()

# Waiting time (optional item, bands 1 = under 15 minutes … 5 = over 2 hours), drawn after the
# answers from a random stream of its own (so adding it moved no other value): a respondent
# leaves it blank with WAITING_BLANK, else draws a band from the row of their U3 answer
# (Waktu Penyelesaian): who rated the speed well mostly waited little.
WAITING_STREAM = 15  # the waiting bands' generator is default_rng([seed, WAITING_STREAM])
WAITING_BLANK = 0.15
WAITING_GIVEN_U3: dict[int, tuple[float, float, float, float, float]] = {
    1: (0.25, 0.30, 0.25, 0.13, 0.07),
    2: (0.50, 0.28, 0.14, 0.06, 0.02),
    3: (0.80, 0.14, 0.045, 0.01, 0.005),
    4: (0.92, 0.06, 0.015, 0.005, 0.0),
}


@dataclass(frozen=True)
class PlantedBurst:
    """Suspicious identical answers planted for a detector to find (the loader never flags them)."""

    unit: str
    counter: str  # at the counter's QR touchpoint (channel counter_qr)
    service: str
    staff_nip: str
    start: datetime  # aware UTC
    minutes: int  # every response within [start, start + minutes)
    count: int
    answer: int  # every unsur and the officer rating


BURST = PlantedBurst(
    unit="kupang-samsat", counter="SAH", service="PENGESAHAN-STNK",
    staff_nip="197812032006041003",  # Stefanus Bessie, the weakest officer
    start=datetime(2026, 9, 15, 10, 2, tzinfo=ZoneInfo(TIMEZONE)).astimezone(UTC),
    minutes=10, count=40, answer=4,
)


def unit(code: str) -> UnitTruth:
    return next(u for u in UNITS if u.code == code)


def officer(nip: str) -> OfficerTruth:
    return next(o for u in UNITS for o in u.officers if o.nip == nip)


def unit_of(nip: str) -> UnitTruth:
    return next(u for u in UNITS for o in u.officers if o.nip == nip)


def officers(profile: str | None = None) -> list[OfficerTruth]:
    """Every demo officer, or those with this profile ("better", "worse", "typical", "rare")."""
    return [o for u in UNITS for o in u.officers if profile is None or o.profile == profile]


def expected_answer(mean_latent: float, model: Model = MODEL) -> float:
    """E[y] = 1 + sum_k Phi((m - tau_k) / sigma), sigma = sqrt(sigma_eta^2 + sigma_eps^2)."""
    phi = NormalDist().cdf
    return 1 + sum(phi((mean_latent - tau) / model.sigma_total) for tau in model.thresholds)


def channel_mix(o: OfficerTruth, named_only: bool, model: Model = MODEL) -> dict[str, float]:
    """P(channel) of the responses an officer serves (or, `named_only`, of those naming them)."""
    if o.rare_count is not None:
        return {"counter_qr": 1.0}
    personal = model.personal_qr_share if o.personal_qr else 0.0
    mix = {c: (1 - personal) * share for c, share in model.channel_shares.items()}
    mix["staff_qr"] = personal
    if named_only:
        mix = {c: p * model.named_probability[c] for c, p in mix.items()}
    total = sum(mix.values())
    return {c: p / total for c, p in mix.items() if p > 0}


def serving_shares(u: UnitTruth) -> dict[str, float]:
    """P(officer) of a response to the unit; rare officers are outside the regular draw."""
    shares = {}
    for counter in u.counters:
        regular = [o for o in u.officers if o.counter == counter.code and o.rare_count is None]
        total = sum(o.weight for o in regular)
        shares.update({o.nip: counter.share * o.weight / total for o in regular})
    return shares


def _expected_items(u: UnitTruth, o: OfficerTruth, channels: dict[str, float], items,
                    period: str | None, model: Model = MODEL) -> dict[str, float]:
    shifts = u.period_shifts.get(period, {}) if period else {}
    result = {}
    for item in items:
        base = (model.mu + u.effect + model.item_offsets[item] + u.item_shifts.get(item, 0.0)
                + shifts.get(item, 0.0) + model.officer_loading[item] * o.effect)
        result[item] = sum(
            s.share * pc * expected_answer(base + s.effect + model.channel_effects[c], model)
            for s in u.services for c, pc in channels.items())
    return result


def officer_true_score(nip: str, model: Model = MODEL) -> float:
    """The true expected officer score (25-100): mean over U6, U7 and OFFICER of 25 E[y], over
    the services and channels of the responses that name the officer."""
    o, u = officer(nip), unit_of(nip)
    expected = _expected_items(u, o, channel_mix(o, named_only=True, model=model), OFFICER_ITEMS,
                               None, model)
    return 25 * sum(expected.values()) / len(OFFICER_ITEMS)


def unit_true_nrr(code: str, period: str, model: Model = MODEL) -> dict[str, float]:
    """The true expected answer E[y_j] of each unsur U1..U9 of a unit in a period."""
    u = unit(code)
    nrr = dict.fromkeys(ITEMS[:9], 0.0)
    for nip, share in serving_shares(u).items():
        o = officer(nip)
        expected = _expected_items(u, o, channel_mix(o, False, model), ITEMS[:9], period, model)
        for item, value in expected.items():
            nrr[item] += share * value
    return nrr


def unit_true_ikm(code: str, period: str, model: Model = MODEL) -> float:
    """The true expected IKM of a unit in a period: 25 x the mean over U1..U9 of E[y_j]."""
    nrr = unit_true_nrr(code, period, model)
    return 25 * sum(nrr.values()) / len(nrr)
