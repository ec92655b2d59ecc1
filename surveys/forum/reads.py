"""What the pages read of the Forum Konsultasi Publik: a unit's sessions of a period and one
session (managers), the unit's follow-up actions with their overdue mark, and the portal's block
(the period's sessions with their decisions and actions, and the follow-up actions the public
should follow). Overdue is judged on the unit's calendar: not done after the due day.

The portal's block carries only what the manager typed for the public: no officer, no account.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from surveys.db import row_by_id
from surveys.errors import InvalidPeriod
from surveys.forum.rules import is_overdue
from surveys.models import FollowUpAction, ForumDecision, ForumSession, Unit
from surveys.models.forum import PARTICIPANT_GROUPS
from surveys.periods import Period, local_day

PUBLIC_ACTIONS_MAX = 100  # the portal's follow-up table; the rest is in the unit's own pages


@dataclass(frozen=True)
class ActionView:
    id: int
    period: str
    decision: str | None
    what: str
    who: str  # a position (jabatan), never a person
    due_on: date
    status: str
    overdue: bool
    evidence: str | None
    completed_on: date | None


@dataclass(frozen=True)
class DecisionView:
    id: int
    text: str
    actions: tuple[ActionView, ...]


@dataclass(frozen=True)
class SessionView:
    id: int
    period: str
    held_on: date
    place: str
    participants: tuple[tuple[str, int], ...]  # (group, count) in PARTICIPANT_GROUPS order
    total: int
    points: tuple[str, ...]  # one per line
    decisions: tuple[DecisionView, ...]


@dataclass(frozen=True)
class ForumBlock:
    """The portal's forum block of a unit and period."""

    period: str
    sessions: tuple[SessionView, ...]
    actions: tuple[ActionView, ...]  # the period's and every earlier one still open
    overdue: int


def today_of(unit: Unit, now: datetime) -> date:
    return local_day(now, unit.timezone)


def _action(row: FollowUpAction, today: date) -> ActionView:
    return ActionView(row.id, row.period, row.decision.text if row.decision else None, row.what,
                      row.who, row.due_on, row.status,
                      is_overdue(row.status, row.due_on, today),
                      row.evidence if row.status == "selesai" else None, row.completed_on)


def _session(row: ForumSession, today: date) -> SessionView:
    counts = row.participants or {}
    groups = tuple((group, int(counts.get(group) or 0)) for group in PARTICIPANT_GROUPS)
    return SessionView(
        row.id, row.period, row.held_on, row.place, tuple(g for g in groups if g[1]),
        sum(n for _group, n in groups),
        tuple(line.strip() for line in row.points.splitlines() if line.strip()),
        tuple(DecisionView(d.id, d.text, tuple(_action(a, today) for a in d.actions))
              for d in row.decisions))


def _sessions_query(unit: Unit):
    return (select(ForumSession).where(ForumSession.unit_id == unit.id)
            .options(selectinload(ForumSession.decisions).selectinload(ForumDecision.actions)
                     .selectinload(FollowUpAction.decision)))


def sessions(session: Session, unit: Unit, period: Period, now: datetime) -> list[SessionView]:
    """The unit's sessions held in `period` (any kind of period), oldest first."""
    today = today_of(unit, now)
    rows = session.scalars(_sessions_query(unit).where(
        ForumSession.held_on >= period.start, ForumSession.held_on < period.end)
        .order_by(ForumSession.held_on, ForumSession.id))
    return [_session(row, today) for row in rows]


def periods(session: Session, unit: Unit) -> list[str]:
    """The periods in which the unit held sessions, newest first."""
    return list(session.scalars(select(ForumSession.period).where(
        ForumSession.unit_id == unit.id).distinct().order_by(ForumSession.period.desc())))


def session_in(session: Session, unit: Unit, session_id) -> ForumSession | None:
    """The unit's own session with this id (None for another unit's, or an id no row can have)."""
    row = row_by_id(session, ForumSession, session_id)
    return row if row is not None and row.unit_id == unit.id else None


def session_view(row: ForumSession, now: datetime) -> SessionView:
    return _session(row, today_of(row.unit, now))


def decision_in(session: Session, forum: ForumSession, decision_id) -> ForumDecision | None:
    row = row_by_id(session, ForumDecision, decision_id)
    return row if row is not None and row.session_id == forum.id else None


def action_in(session: Session, unit: Unit, action_id) -> FollowUpAction | None:
    row = row_by_id(session, FollowUpAction, action_id)
    return row if row is not None and row.unit_id == unit.id else None


def unit_actions(session: Session, unit: Unit, now: datetime) -> list[ActionView]:
    """Every follow-up action of the unit: open ones first by due day, then the done ones,
    latest first."""
    today = today_of(unit, now)
    rows = session.scalars(
        select(FollowUpAction).where(FollowUpAction.unit_id == unit.id)
        .options(selectinload(FollowUpAction.decision))
        .order_by(FollowUpAction.status == "selesai", FollowUpAction.due_on,
                  FollowUpAction.id))
    views = [_action(row, today) for row in rows]
    done = sorted((v for v in views if v.status == "selesai"),
                  key=lambda v: (v.completed_on or v.due_on, v.id), reverse=True)
    return [v for v in views if v.status != "selesai"] + done


def _started_before(code: str, period: Period) -> bool:
    try:
        return Period.parse(code).start < period.start
    except InvalidPeriod:  # no stored action has one; an odd row is left out, not a 500
        return False


def public_block(session: Session, unit: Unit, period: Period, now: datetime) -> ForumBlock:
    """The portal's block: the period's sessions with their decisions and actions, and the
    follow-up actions of the period with the earlier ones not yet done (overdue marked)."""
    today = today_of(unit, now)
    shown = sessions(session, unit, period, now)
    linked = {a.id for s in shown for d in s.decisions for a in d.actions}
    rows = session.scalars(
        select(FollowUpAction).where(FollowUpAction.unit_id == unit.id, or_(
            FollowUpAction.id.in_(linked), FollowUpAction.period == period.code,
            FollowUpAction.status != "selesai"))
        .options(selectinload(FollowUpAction.decision))
        .order_by(FollowUpAction.status == "selesai", FollowUpAction.due_on, FollowUpAction.id))
    actions = tuple(_action(row, today) for row in rows
                    if row.id in linked or row.period == period.code
                    or _started_before(row.period, period))[:PUBLIC_ACTIONS_MAX]
    return ForumBlock(period.code, tuple(shown), actions, sum(a.overdue for a in actions))
