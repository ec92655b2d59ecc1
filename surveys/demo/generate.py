"""Deterministic synthetic responses drawn from the model stated in `surveys.demo.truth`.

Pure: takes the database ids of the demo directory and returns rows to insert. The whole span
(2026-Q2 to 2026-Q4) is always drawn with the same random stream and then cut at `today`, so a
given day's responses are the same whatever `today` is.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from surveys.demo import comments as comment_pool
from surveys.demo.truth import (
    ARRIVAL_BETA,
    BURST,
    CHANNELS,
    DEFAULT_SEED,
    HOLIDAYS,
    ITEMS,
    MODEL,
    OFFICE_HOURS,
    PERIODS,
    SPAN_END,
    SPAN_START,
    TIMEZONE,
    UNITS,
    WAITING_BLANK,
    WAITING_GIVEN_U3,
    WAITING_STREAM,
    WEEKDAY_FACTORS,
    Model,
    UnitTruth,
)
from surveys.periods import Period

MOODS = ("unhappy", "neutral", "happy")


@dataclass(frozen=True)
class DemoIds:
    """Database ids of the demo directory, keyed by the codes and NIPs of `truth`."""

    instrument: int
    units: dict[str, int]  # unit code
    services: dict[tuple[str, str], int]  # (unit code, service code)
    counters: dict[tuple[str, str], int]  # (unit code, counter code)
    counter_touchpoints: dict[tuple[str, str], int]  # (unit code, counter code)
    staff: dict[str, int]  # NIP
    personal_touchpoints: dict[str, int]  # NIP


@dataclass(frozen=True)
class Generated:
    """Rows for `insert(Response)` (no receipt yet), in time order, and each row's comment."""

    responses: list[dict]
    comments: list[str | None]


def working_days(start: date, end: date) -> list[date]:
    """Days in [start, end) when the units serve: Monday to Friday, national holidays excepted."""
    days, day = [], start
    while day < end:
        if day.weekday() in OFFICE_HOURS and day not in HOLIDAYS:
            days.append(day)
        day += timedelta(days=1)
    return days


def populations(today: date) -> list[tuple[str, str, int]]:
    """(unit code, period code, service users) for each period begun before `today`: the unit's
    daily service users times the working days of the period before `today`."""
    rows = []
    for period in map(Period.parse, PERIODS):
        open_days = len(working_days(period.start, min(period.end, today)))
        if open_days:
            rows.extend((u.code, period.code, u.daily_users * open_days) for u in UNITS)
    return rows


def generate(
    ids: DemoIds, today: date, seed: int = DEFAULT_SEED, model: Model = MODEL
) -> Generated:
    """Every response submitted before `today` (in WITA), the planted burst included."""
    rng = np.random.default_rng(seed)
    waiting_rng = np.random.default_rng([seed, WAITING_STREAM])  # its own stream: see truth
    days = working_days(SPAN_START, SPAN_END)
    zone = ZoneInfo(TIMEZONE)
    midnights = [datetime(d.year, d.month, d.day, tzinfo=zone).astimezone(UTC) for d in days]
    keep_days = sum(day < today for day in days)
    rows: list[tuple[dict, str | None]] = []
    for unit in UNITS:
        draws = _draw_unit(rng, unit, days, model)
        draws["waiting"] = draw_waiting(waiting_rng, draws["answers"][:, ITEMS.index("U3")])
        rows.extend(_unit_rows(ids, unit, draws, midnights, keep_days))
    rows.extend(_burst_rows(ids, rng, today))
    rows.sort(key=lambda row: row[0]["submitted_at"])
    for row, _ in rows:
        row["instrument_id"] = ids.instrument
    return Generated([row for row, _ in rows], [comment for _, comment in rows])


def _draw_unit(rng: np.random.Generator, unit: UnitTruth, days: list[date], model: Model) -> dict:
    """Every draw of one unit over the whole span, as arrays (answer 0 = blank)."""
    weekdays = np.array([d.weekday() for d in days])
    counts = rng.poisson(unit.daily_responses * np.array([WEEKDAY_FACTORS[w] for w in weekdays]))
    day = np.repeat(np.arange(len(days)), counts)
    n = day.size
    hours = np.array([OFFICE_HOURS[w] for w in weekdays])  # (open, close) per day
    opens, lengths = hours[day, 0], hours[day, 1] - hours[day, 0]
    seconds = np.floor((opens + lengths * rng.beta(*ARRIVAL_BETA, n)) * 3600).astype(int)

    counter = rng.choice(len(unit.counters), size=n, p=[c.share for c in unit.counters])
    officer = np.zeros(n, dtype=int)
    for ci, c in enumerate(unit.counters):
        regular = [k for k, o in enumerate(unit.officers)
                   if o.counter == c.code and o.rare_count is None]
        weights = np.array([unit.officers[k].weight for k in regular])
        here = counter == ci
        officer[here] = np.array(regular)[
            rng.choice(len(regular), size=int(here.sum()), p=weights / weights.sum())]

    personal = np.array([o.personal_qr for o in unit.officers])[officer]
    on_personal = personal & (rng.random(n) < model.personal_qr_share)
    base = list(model.channel_shares)
    base_draw = rng.choice(len(base), size=n, p=list(model.channel_shares.values()))
    channel = np.where(on_personal, CHANNELS.index("staff_qr"),
                       np.array([CHANNELS.index(c) for c in base])[base_draw])
    named_p = np.array([model.named_probability[c] for c in CHANNELS])
    named = rng.random(n) < named_p[channel]
    service = rng.choice(len(unit.services), size=n, p=[s.share for s in unit.services])

    counter_qr = CHANNELS.index("counter_qr")
    for k, o in enumerate(unit.officers):  # a stand-in, named on a handful of responses
        if o.rare_count:
            ci = [c.code for c in unit.counters].index(o.counter)
            candidates = np.flatnonzero((counter == ci) & (channel == counter_qr) & named)
            officer[rng.choice(candidates, size=o.rare_count, replace=False)] = k

    period = np.array([PERIODS.index(Period.quarter_of(d).code) for d in days])[day]
    common = (model.mu + unit.effect + rng.normal(0.0, model.sigma_eta, n)
              + np.array([s.effect for s in unit.services])[service]
              + np.array([model.channel_effects[c] for c in CHANNELS])[channel])
    officer_effect = np.array([o.effect for o in unit.officers])[officer]
    thresholds = np.array(model.thresholds)
    answers = np.zeros((n, len(ITEMS)), dtype=int)
    for j, item in enumerate(ITEMS):
        shift = np.array([unit.item_shifts.get(item, 0.0)
                          + unit.period_shifts.get(p, {}).get(item, 0.0) for p in PERIODS])
        latent = (common + model.officer_loading[item] * officer_effect + model.item_offsets[item]
                  + shift[period] + rng.normal(0.0, model.sigma_eps, n))
        answers[:, j] = 1 + (latent[:, None] >= thresholds).sum(axis=1)
    for item, rate in model.blank_rates.items():
        answers[rng.random(n) < rate, ITEMS.index(item)] = 0
    officer_blank = ~named | (rng.random(n) < model.officer_rating_blank)
    answers[officer_blank, ITEMS.index("OFFICER")] = 0

    unsur = answers[:, :9]
    mean = unsur.sum(axis=1) / (unsur > 0).sum(axis=1)
    mood = np.where(mean <= 2.5, 0, np.where(mean >= 3.5, 2, 1))
    rate = np.where(mood == 0, model.comment_rate_unhappy, model.comment_rate)
    commented = rng.random(n) < rate
    pick = rng.random(n)
    return dict(day=day, seconds=seconds, counter=counter, officer=officer, channel=channel,
                named=named, service=service, answers=answers, mood=mood, commented=commented,
                pick=pick)


def draw_waiting(rng: np.random.Generator, u3: np.ndarray) -> np.ndarray:
    """A waiting band per respondent (0 = blank) from the row of their U3 answer."""
    table = np.array([WAITING_GIVEN_U3[answer] for answer in sorted(WAITING_GIVEN_U3)])
    cumulative = np.cumsum(table, axis=1)[np.clip(u3, 1, 4) - 1]
    bands = 1 + (rng.random(u3.size)[:, None] >= cumulative[:, :-1]).sum(axis=1)
    return np.where(rng.random(u3.size) < WAITING_BLANK, 0, bands)


def _unit_rows(ids: DemoIds, unit: UnitTruth, draws: dict, midnights: list[datetime],
               keep_days: int):
    """The unit's rows (without instrument) for the days before `today`, with their comments."""
    counters = [c.code for c in unit.counters]
    services = [ids.services[unit.code, s.code] for s in unit.services]
    nips = [o.nip for o in unit.officers]
    columns = {key: value.tolist() for key, value in draws.items()}
    for i, day in enumerate(columns["day"]):
        if day >= keep_days:
            break  # draws are in day order
        channel = CHANNELS[columns["channel"][i]]
        counter = counters[columns["counter"][i]]
        nip = nips[columns["officer"][i]]
        if channel == "counter_qr":
            touchpoint = ids.counter_touchpoints[unit.code, counter]
        elif channel == "staff_qr":
            touchpoint = ids.personal_touchpoints[nip]
        else:
            touchpoint = None
        answers = columns["answers"][i]
        row = {
            "channel": channel,
            "touchpoint_id": touchpoint,
            "unit_id": ids.units[unit.code],
            "service_id": services[columns["service"][i]],
            "counter_id": None if channel == "kiosk" else ids.counters[unit.code, counter],
            "staff_id": ids.staff[nip] if columns["named"][i] else None,
            "submitted_at": midnights[day] + timedelta(seconds=columns["seconds"][i]),
            **{item.lower(): answer or None for item, answer in zip(ITEMS[:9], answers)},
            "officer_rating": answers[9] or None,
            "waiting_band": columns["waiting"][i] or None,
        }
        comment = None
        if columns["commented"][i]:
            texts = comment_pool.pool(unit.code, MOODS[columns["mood"][i]])
            comment = texts[int(columns["pick"][i] * len(texts))]
        yield row, comment


def _burst_rows(ids: DemoIds, rng: np.random.Generator, today: date):
    """The planted burst: identical top answers at one counter within minutes, one officer."""
    offsets = np.sort(rng.uniform(0, BURST.minutes * 60, BURST.count)).tolist()
    local_day = BURST.start.astimezone(ZoneInfo(TIMEZONE)).date()
    if local_day >= today:
        return
    for offset in offsets:
        yield {
            "channel": "counter_qr",
            "touchpoint_id": ids.counter_touchpoints[BURST.unit, BURST.counter],
            "unit_id": ids.units[BURST.unit],
            "service_id": ids.services[BURST.unit, BURST.service],
            "counter_id": ids.counters[BURST.unit, BURST.counter],
            "staff_id": ids.staff[BURST.staff_nip],
            "submitted_at": BURST.start + timedelta(seconds=offset),
            **{item.lower(): BURST.answer for item in ITEMS[:9]},
            "officer_rating": BURST.answer,
            "waiting_band": None,
        }, None
