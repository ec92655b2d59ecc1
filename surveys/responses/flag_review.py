"""A unit manager's review of suspicious responses: list them grouped by burst, exclude or restore.

Burst detection (surveys/responses/abuse.py) flags responses "suspicious" with a reason; here a
person decides. Excluding adds an "excluded" flag with the reviewer's reason (the response then
counts in no figure); restoring removes that flag (it counts as suspicious again, as before). The
response itself is never changed or deleted, the roll-up follows at once (`rollup.refresh_flags`)
and every decision is one audit row per response, with its reason. Functions flush, never commit.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from surveys import audit
from surveys.errors import NotReviewable
from surveys.models import Response, ResponseFlag, Touchpoint, User
from surveys.organization.touchpoints import place_name
from surveys.periods import Period
from surveys.reporting import rollup

SUSPICIOUS, EXCLUDED = "suspicious", "excluded"
REVIEWABLE = (SUSPICIOUS, EXCLUDED)
# Flagged responses at one place closer together than this belong to one burst (the longest
# window the checks use: identical runs within an hour).
BURST_GAP = timedelta(minutes=60)
LIST_LIMIT = 500  # newest flagged responses on one page; choose a period to see older ones
MAX_DECISION = 1000  # responses one decision may name
ANSWERS = tuple(f"u{j}" for j in range(1, 10))


@dataclass(frozen=True)
class FlaggedResponse:
    """One flagged response as a reviewer sees it: when, where, its nine answers and the flags."""

    id: int
    unit: str
    submitted_at: datetime  # in the unit's time zone
    place: str
    channel: str
    answers: tuple[int | None, ...]
    suspicion: str | None  # the detector's reason
    exclusion: str | None  # the reviewer's reason, when excluded

    @property
    def excluded(self) -> bool:
        return self.exclusion is not None


@dataclass(frozen=True)
class Burst:
    """Flagged responses at one place, each within `BURST_GAP` of the previous one."""

    responses: tuple[FlaggedResponse, ...]  # in time order

    @property
    def key(self) -> int:
        return self.responses[0].id

    @property
    def first(self) -> FlaggedResponse:
        return self.responses[0]

    @property
    def last(self) -> FlaggedResponse:
        return self.responses[-1]

    @property
    def excluded(self) -> int:
        return sum(response.excluded for response in self.responses)

    @property
    def reasons(self) -> list[str]:
        """The detector's distinct reasons, in the order first seen."""
        seen = dict.fromkeys(part for response in self.responses if response.suspicion
                             for part in response.suspicion.split("; "))
        return list(seen)


@dataclass(frozen=True)
class Review:
    bursts: list[Burst]  # newest first
    truncated: bool  # more flagged responses than LIST_LIMIT in the scope


def _place(response: Response) -> tuple[object, str]:
    """The grouping key and the name of where a response came from."""
    if response.touchpoint is not None:
        return response.touchpoint_id, place_name(response.touchpoint)
    return ("unit", response.unit_id, response.channel), response.unit.name


def _row(response: Response, place: str) -> FlaggedResponse:
    reasons = {flag.kind: flag.reason for flag in response.flags}
    return FlaggedResponse(
        id=response.id, unit=response.unit.name,
        submitted_at=response.submitted_at.astimezone(ZoneInfo(response.unit.timezone)),
        place=place, channel=response.channel,
        answers=tuple(getattr(response, name) for name in ANSWERS),
        suspicion=reasons.get(SUSPICIOUS), exclusion=reasons.get(EXCLUDED))


def group_bursts(rows: Iterable[tuple[object, FlaggedResponse]]) -> list[Burst]:
    """Bursts of (place key, response) pairs: per place, split where the gap exceeds BURST_GAP;
    newest burst first."""
    by_place: dict[object, list[FlaggedResponse]] = defaultdict(list)
    for key, row in rows:
        by_place[key].append(row)
    bursts: list[list[FlaggedResponse]] = []
    for group in by_place.values():
        group.sort(key=lambda row: (row.submitted_at, row.id))
        current = [group[0]]
        for row in group[1:]:
            if row.submitted_at - current[-1].submitted_at <= BURST_GAP:
                current.append(row)
            else:
                bursts.append(current)
                current = [row]
        bursts.append(current)
    return sorted((Burst(tuple(b)) for b in bursts),
                  key=lambda burst: (burst.first.submitted_at, burst.key), reverse=True)


def _flagged(*kinds: str):
    return exists().where(ResponseFlag.response_id == Response.id, ResponseFlag.kind.in_(kinds))


def flagged_bursts(session: Session, unit_ids: Collection[int], timezone: str,
                   period: Period | None = None) -> Review:
    """The flagged (suspicious or excluded) responses of the units, newest LIST_LIMIT, grouped by
    burst; `period` (in `timezone`) limits them to its days."""
    query = (
        select(Response)
        .where(Response.unit_id.in_(list(unit_ids)), _flagged(*REVIEWABLE))
        .options(selectinload(Response.flags), selectinload(Response.unit),
                 selectinload(Response.touchpoint).selectinload(Touchpoint.counter),
                 selectinload(Response.touchpoint).selectinload(Touchpoint.staff))
        .order_by(Response.submitted_at.desc(), Response.id.desc())
        .limit(LIST_LIMIT + 1)
    )
    if period is not None:
        start, end = period.utc_bounds(timezone)
        query = query.where(Response.submitted_at >= start, Response.submitted_at < end)
    responses = list(session.scalars(query))
    truncated = len(responses) > LIST_LIMIT
    rows = []
    for response in responses[:LIST_LIMIT]:
        key, place = _place(response)
        rows.append((key, _row(response, place)))
    return Review(group_bursts(rows), truncated)


def _kinds(response: Response) -> list[str]:
    return sorted(flag.kind for flag in response.flags)


def decide(session: Session, actor: User | None, unit_ids: Collection[int],
           response_ids: Iterable[int], *, exclude: bool, reason: str) -> int:
    """Exclude (or restore) the named responses; returns how many changed (one already in the
    asked state is left alone). Every one must be a flagged response of `unit_ids`, else
    NotReviewable names those that are not and nothing changes."""
    ids = sorted(set(response_ids))
    responses = list(session.scalars(
        select(Response).where(Response.id.in_(ids), Response.unit_id.in_(list(unit_ids)),
                               _flagged(*REVIEWABLE))
        .options(selectinload(Response.flags)).order_by(Response.id)))
    missing = sorted(set(ids) - {response.id for response in responses})
    if missing:
        raise NotReviewable(missing)
    changed = 0
    for response in responses:
        before = _kinds(response)
        exclusion = next((flag for flag in response.flags if flag.kind == EXCLUDED), None)
        if exclude == (exclusion is not None):
            continue
        if exclude:
            session.add(ResponseFlag(response=response, kind=EXCLUDED, reason=reason))
        else:
            response.flags.remove(exclusion)
            session.delete(exclusion)
        rollup.refresh_flags(session, response, rollup.flag_state(before))
        audit.record(session, actor=actor, action="exclude" if exclude else "restore",
                     entity="response", entity_id=response.id, unit_id=response.unit_id,
                     before={"flags": before}, after={"flags": _kinds(response)}, reason=reason)
        changed += 1
    return changed


__all__ = ["Burst", "FlaggedResponse", "Review", "decide", "flagged_bursts", "group_bursts"]
