"""Burst detection: flag (never delete) responses that look like ballot stuffing, with a reason.

Cheap checks run with each submit (`submit_reason`, from counts the storing statement returns:
too fast, one device sending many, a touchpoint far busier than usual); the window checks over many
responses run from `flask responses flag-bursts` (`flag_bursts`). Every flag is a
`ResponseFlag(kind="suspicious")` whose reason says what was seen, so a reviewer can judge it and
reports can be shown with and without flagged responses.
"""
from __future__ import annotations

import math
import statistics
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.reporting import rollup
from surveys.models import Response, ResponseFlag, Touchpoint

SUSPICIOUS = "suspicious"
# Channels left out of the device and window checks: a kiosk tablet is one device serving many
# citizens, and paper questionnaires get their time stamp when a whole batch is imported.
DEVICE_EXEMPT_CHANNELS = ("kiosk", "paper")
WINDOW_EXEMPT_CHANNELS = ("paper",)
_ANSWER_COLUMNS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "officer_rating")


@dataclass(frozen=True)
class AbuseRules:
    """Thresholds of the checks (README "Abuse resistance" says why each is what it is)."""

    min_seconds: int = 10  # nobody reads and answers nine questions faster
    device_window_minutes: int = 30
    device_max: int = 3  # the 4th response from one device within the window is flagged
    touchpoint_window_minutes: int = 10
    # More responses than this at one touchpoint within its window flags each further one as it
    # is stored (the old per-touchpoint refusal's figure; one counter serves far fewer).
    touchpoint_burst_max: int = 40
    touchpoint_min_count: int = 8  # never flag fewer than this many in one window
    baseline_days: int = 28  # the touchpoint's usual daily volume is taken over this span
    office_hours: float = 8.0  # a day's responses arrive over about this many hours
    peak_factor: float = 3.0  # the busiest hour may see this many times the average rate
    tail_probability: float = 1e-6  # chance of a normal window reaching the threshold
    run_length: int = 5  # identical answers in a row at one touchpoint
    run_window_minutes: int = 60


DEFAULT_RULES = AbuseRules()


@dataclass
class BurstReport:
    """What `flag_bursts` found: responses per check, and how many flags it added or extended."""

    inspected: int = 0
    by_check: dict[str, int] = field(default_factory=dict)
    flagged: int = 0  # responses newly flagged or given a new reason
    ids: set[int] = field(default_factory=set, repr=False)  # every response a check found


def too_fast_reason(duration_seconds: int | None, rules: AbuseRules) -> str | None:
    if duration_seconds is not None and duration_seconds < rules.min_seconds:
        return (f"terlalu cepat: formulir diisi dalam {duration_seconds} detik "
                f"(batas wajar {rules.min_seconds} detik)")
    return None


def submit_reason(rules: AbuseRules, *, channel: str, device_hash: str | None,
                  duration_seconds: int | None, device_count: int, touchpoint_count: int) -> str | None:
    """Why a new response looks doubtful, judged as it is stored: too fast, too many from its
    device, or too many at its touchpoint (each count includes it). None: nothing seen.

    Only the new response is judged (earlier ones are left to `flag_bursts`), so two concurrent
    submits never collide on a flag; a busy touchpoint is flagged, never refused.
    """
    reasons = [too_fast_reason(duration_seconds, rules)]
    if device_hash and channel not in DEVICE_EXEMPT_CHANNELS and device_count > rules.device_max:
        reasons.append(_device_reason(device_count, rules.device_window_minutes))
    if channel not in WINDOW_EXEMPT_CHANNELS and touchpoint_count > rules.touchpoint_burst_max:
        reasons.append(f"lonjakan di titik survei: {touchpoint_count} respons dalam "
                       f"{rules.touchpoint_window_minutes} menit "
                       f"(ambang {rules.touchpoint_burst_max} per "
                       f"{rules.touchpoint_window_minutes} menit)")
    return "; ".join(reason for reason in reasons if reason) or None


def flag_bursts(
    session: Session,
    since: datetime | None = None,
    until: datetime | None = None,
    rules: AbuseRules = DEFAULT_RULES,
) -> BurstReport:
    """Run every check over the responses submitted in [since, until) and flag what they find.

    Idempotent: a response already flagged for the same reason is left alone. Flushes only.
    Takes the roll-up lock first, so two checks never flag the same response at once.
    """
    rollup.lock(session)
    context = max(rules.baseline_days * 24 * 60, rules.run_window_minutes,
                  rules.device_window_minutes, rules.touchpoint_window_minutes)
    query = select(
        Response.id, Response.touchpoint_id, Response.unit_id, Response.channel,
        Response.submitted_at, Response.device_hash, Response.duration_seconds,
        Response.staff_id, Response.service_id, *(getattr(Response, c) for c in _ANSWER_COLUMNS),
    ).order_by(Response.submitted_at, Response.id)
    if since is not None:
        query = query.where(Response.submitted_at >= since - timedelta(minutes=context))
    if until is not None:
        query = query.where(Response.submitted_at < until)
    rows = session.execute(query).all()

    def in_scope(row) -> bool:
        return since is None or row.submitted_at >= since

    reasons: dict[int, list[str]] = defaultdict(list)
    report = BurstReport(inspected=sum(1 for row in rows if in_scope(row)))
    codes = dict(session.execute(select(Touchpoint.id, Touchpoint.public_code)).all())
    checks = {
        "touchpoint_volume": _touchpoint_volume(rows, codes, rules),
        "device_volume": _device_volume(rows, rules),
        "identical_run": _identical_runs(rows, rules),
        "too_fast": {row.id: reason for row in rows
                     if (reason := too_fast_reason(row.duration_seconds, rules))},
    }
    scoped = {row.id for row in rows if in_scope(row)}
    for name, found in checks.items():
        found = {rid: reason for rid, reason in found.items() if rid in scoped}
        report.by_check[name] = len(found)
        for rid, reason in found.items():
            reasons[rid].append(reason)
    report.ids = set(reasons)
    report.flagged = _record(session, reasons)
    return report


def poisson_threshold(mean: float, tail: float) -> int:
    """The smallest k with P(X >= k) < tail for X ~ Poisson(mean)."""
    k, pmf, below = 0, math.exp(-mean), 0.0
    while 1.0 - below >= tail:
        below += pmf
        k += 1
        pmf *= mean / k
    return k


def _touchpoint_volume(rows, codes: dict[int, str], rules: AbuseRules) -> dict[int, str]:
    """Windows with far more responses than the touchpoint usually gets (Poisson tail)."""
    found: dict[int, str] = {}
    window = timedelta(minutes=rules.touchpoint_window_minutes)
    for key, group in _groups(rows, WINDOW_EXEMPT_CHANNELS).items():
        per_day: dict = defaultdict(int)
        for row in group:
            per_day[row.submitted_at.date()] += 1
        usual = statistics.median(per_day.values())
        mean = (usual / (rules.office_hours * 60) * rules.touchpoint_window_minutes
                * rules.peak_factor)
        threshold = max(rules.touchpoint_min_count,
                        poisson_threshold(mean, rules.tail_probability))
        marked = _dense(group, window, threshold)
        where = (f"titik survei {codes.get(key)}" if isinstance(key, int)
                 else f"saluran {key[2]} unit #{key[1]}")
        for segment in _segments(group, marked):
            minutes = _minutes(segment[0].submitted_at, segment[-1].submitted_at)
            reason = (f"lonjakan: {len(segment)} respons dalam {minutes} menit di {where} "
                      f"(biasanya sekitar {usual:g} per hari; ambang {threshold} per "
                      f"{rules.touchpoint_window_minutes} menit)")
            found.update({row.id: reason for row in segment})
    return found


def _device_volume(rows, rules: AbuseRules) -> dict[int, str]:
    """More responses from one device (its rotating hash) than one citizen gives."""
    by_device: dict[str, list] = defaultdict(list)
    for row in rows:
        if row.device_hash and row.channel not in DEVICE_EXEMPT_CHANNELS:
            by_device[row.device_hash].append(row)
    found: dict[int, str] = {}
    window = timedelta(minutes=rules.device_window_minutes)
    for group in by_device.values():
        marked = _dense(group, window, rules.device_max + 1)
        for segment in _segments(group, marked):
            reason = _device_reason(len(segment), rules.device_window_minutes)
            found.update({row.id: reason for row in segment})
    return found


def _identical_runs(rows, rules: AbuseRules) -> dict[int, str]:
    """Runs of identical answers (every item, officer and service) one after another."""
    found: dict[int, str] = {}
    for group in _groups(rows, WINDOW_EXEMPT_CHANNELS).values():
        run: list = []
        for row in [*group, None]:
            if row is not None and run and _answers(row) == _answers(run[-1]):
                run.append(row)
                continue
            minutes = _minutes(run[0].submitted_at, run[-1].submitted_at) if run else 0
            if len(run) >= rules.run_length and minutes <= rules.run_window_minutes:
                reason = f"{len(run)} jawaban identik berturut-turut dalam {minutes} menit"
                found.update({r.id: reason for r in run})
            run = [row]
    return found


def _groups(rows, exempt: tuple[str, ...]) -> dict[object, list]:
    """Rows per touchpoint (or per unit and channel when there is none), in time order."""
    groups: dict[object, list] = defaultdict(list)
    for row in rows:
        if row.channel in exempt:
            continue
        key = row.touchpoint_id if row.touchpoint_id is not None else \
            ("unit", row.unit_id, row.channel)
        groups[key].append(row)
    return groups


def _dense(group: list, window: timedelta, threshold: int) -> set[int]:
    """Indexes of rows inside some window [t_i, t_i + window) holding >= threshold rows."""
    times = [row.submitted_at for row in group]
    marked: set[int] = set()
    for i, start in enumerate(times):
        end = bisect_left(times, start + window, lo=i)
        if end - i >= threshold:
            marked.update(range(i, end))
    return marked


def _segments(group: list, marked: set[int]) -> list[list]:
    """Consecutive runs of marked rows."""
    segments: list[list] = []
    for i in sorted(marked):
        if segments and i - 1 in marked:
            segments[-1].append(group[i])
        else:
            segments.append([group[i]])
    return segments


def _answers(row) -> tuple:
    return (*(getattr(row, c) for c in _ANSWER_COLUMNS), row.staff_id, row.service_id)


def _minutes(start: datetime, end: datetime) -> int:
    return max(1, math.ceil((end - start).total_seconds() / 60))


_DEVICE_REASON = "satu perangkat mengirim {count} respons dalam {window} menit"


def _device_reason(count: int, window_minutes: int) -> str:
    return _DEVICE_REASON.format(count=count, window=window_minutes)


def _record(session: Session, reasons: dict[int, list[str]]) -> int:
    """Add a suspicious flag, or extend an existing one's reason; returns responses changed.

    A response newly flagged moves to its new flag state's cell of the daily roll-up.
    """
    if not reasons:
        return 0
    existing: dict[int, ResponseFlag] = {}
    kinds: dict[int, list[str]] = defaultdict(list)
    ids = sorted(reasons)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for flag in session.scalars(select(ResponseFlag).where(
                ResponseFlag.response_id.in_(chunk))):
            kinds[flag.response_id].append(flag.kind)
            if flag.kind == SUSPICIOUS:
                existing[flag.response_id] = flag
    changed = 0
    for rid in ids:
        flag = existing.get(rid)
        if flag is None:
            session.add(ResponseFlag(response_id=rid, kind=SUSPICIOUS,
                                     reason="; ".join(reasons[rid])))
            rollup.refresh_flags(session, session.get(Response, rid),
                                 rollup.flag_state(kinds[rid]))
            changed += 1
            continue
        new = [reason for reason in reasons[rid] if reason not in flag.reason]
        if new:
            flag.reason = "; ".join([flag.reason, *new])
            changed += 1
    session.flush()
    return changed
