"""Upkeep without cron: fold the roll-up queue, then run burst detection's window checks when due.

Whoever folds (the public unit page, the API's score GETs, the flag review page, `flask stats
fold`, `flask demo load`) calls `fold_and_check`. The window checks (`abuse.flag_bursts`) then run
at most every `CHECK_EVERY`, over the responses stored since the last check (`burst_check`
remembers the newest response id it saw and when it ran), so a burst is flagged minutes after it
happened, and the demo's planted burst once the demo is loaded. Flushes, never commits.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from surveys.db import upsert_insert
from surveys.models import BurstCheck, Response
from surveys.reporting import rollup
from surveys.responses.abuse import DEFAULT_RULES, AbuseRules, BurstReport, flag_bursts

CHECK_EVERY = timedelta(minutes=5)
# A response stamped before a check ran but committed just after it is still looked at next time.
LATE_COMMIT = timedelta(minutes=5)
NEVER = datetime(2000, 1, 1, tzinfo=UTC)  # "checked at" of a database never checked
STATE = BurstCheck.__table__


def fold_and_check(session: Session, now: datetime, every: timedelta = CHECK_EVERY,
                   rules: AbuseRules = DEFAULT_RULES) -> BurstReport | None:
    """Fold the queued responses into the roll-up, then `check_bursts`."""
    rollup.fold_pending(session)
    return check_bursts(session, now, every, rules)


def _state(session: Session):
    return session.execute(select(STATE.c.checked_at, STATE.c.last_response_id)).first()


def _due(state, newest: int | None, now: datetime, every: timedelta) -> bool:
    if newest is None:
        return False  # no response at all
    if state is None:
        return True
    return newest > state.last_response_id and now - state.checked_at >= every


def check_bursts(session: Session, now: datetime, every: timedelta = CHECK_EVERY,
                 rules: AbuseRules = DEFAULT_RULES) -> BurstReport | None:
    """Run the window checks over the responses stored since the last check, if one is due
    (`every` since the last, and a response since); None when none was. Cheap when not due:
    two indexed reads and no write."""
    newest = session.scalar(select(func.max(Response.id)))
    if not _due(_state(session), newest, now, every):
        return None
    rollup.lock(session)  # PostgreSQL: one check at a time
    # SQLite: this INSERT takes the write lock, so the state read after it is the latest.
    session.execute(upsert_insert(session.get_bind().dialect.name)(STATE)
                    .values(id=1, checked_at=NEVER, last_response_id=0)
                    .on_conflict_do_nothing())
    state = _state(session)
    newest = session.scalar(select(func.max(Response.id)))
    if not _due(state, newest, now, every):
        return None  # another check ran meanwhile
    first_new = session.scalar(select(func.min(Response.submitted_at))
                               .where(Response.id > state.last_response_id))
    since = min(first_new, state.checked_at) - LATE_COMMIT
    report = flag_bursts(session, since=None if since <= NEVER else since, rules=rules)
    session.execute(update(STATE).values(checked_at=now, last_response_id=newest))
    return report


__all__ = ["CHECK_EVERY", "check_bursts", "fold_and_check"]
