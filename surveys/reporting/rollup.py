"""Keeping the daily roll-up current: queued responses folded in batches, or a rebuild in SQL.

A submission only queues its response (`rollup_pending`, one narrow row in the same statement,
surveys/responses/store.py); `fold_pending` adds every queued response to its cell with one INSERT …
SELECT … GROUP BY … ON CONFLICT DO UPDATE and empties the queue. Folding is an explicit write,
committed by whoever folds: `flask stats fold`, `flask stats report`, the public unit page and the
API's two score GETs (indices, officer satisfaction). Those GETs are the one exception to "a GET
never writes": they fold and commit in a short transaction of their own before they read, an
idempotent upkeep write that changes no figure (queued and folded responses are the same
responses), so what they show counts every stored response and the queue is empty after any
view. The reads themselves (surveys/reporting/aggregate.py) never fold. `refresh_flags` moves a counted response
between flag states; `rebuild` recomputes days from the responses (after bulk loads such as the
demo data or a paper import: `flask stats rollup`). The three take one PostgreSQL advisory lock,
so they never interleave; submissions never wait for it.
"""
from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Date,
    and_,
    bindparam,
    case,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from surveys.db import upsert_insert
from surveys.models import Response, ResponseFlag, RollupPending, Unit
from surveys.models.organization import UNIT_TIMEZONES
from surveys.periods import local_day
from surveys.models.rollup import (
    FLAG_CLEAN,
    FLAG_EXCLUDED,
    FLAG_SUSPICIOUS,
    KEY_COLUMNS,
    NONE_KEY,
    OFFICER_SCALE,
    PAIRS,
    STAT_COLUMNS,
    UNSUR,
    DailyRollup,
    pair_columns,
    unsur_columns,
)

ROLLUP = DailyRollup.__table__
PENDING = RollupPending.__table__
OFFICER_ITEMS = ("u6", "u7", "officer_rating")


def flag_state(kinds) -> int:
    """Excluded wins over suspicious; an officer's objection alone changes nothing (it is reviewed)."""
    kinds = set(kinds)
    if "excluded" in kinds:
        return FLAG_EXCLUDED
    return FLAG_SUSPICIOUS if "suspicious" in kinds else FLAG_CLEAN


def flag_state_of(session: Session, response_id: int) -> int:
    """The flag state of a stored response, read from its flags."""
    kinds = session.scalars(select(ResponseFlag.kind).where(ResponseFlag.response_id == response_id))
    return flag_state(kinds)


def response_statistics(answers: dict[str, int | None], staff_id: int | None) -> dict[str, int]:
    """The roll-up increments of one response: `answers` has u1..u9 and officer_rating."""
    values = {j: answers.get(f"u{j}") for j in UNSUR}
    given = {j: y for j, y in values.items() if y is not None}
    stats = dict.fromkeys(STAT_COLUMNS, 0)
    stats["responses"] = 1
    if given:
        satisfied, answered = sum(y >= 3 for y in given.values()), len(given)
        stats["n"] = 1
        stats["perfect"] = int(all(y == 4 for y in given.values()))
        stats["sat_sq"], stats["sat_answered"] = satisfied**2, satisfied * answered
        stats["answered_sq"] = answered**2
    for j, y in given.items():
        count, total, squares, satisfied = unsur_columns(j)
        stats[count], stats[total], stats[squares], stats[satisfied] = 1, y, y * y, int(y >= 3)
    for j, k in PAIRS:
        if j in given and k in given:
            count, product, sum_j, sum_k = pair_columns(j, k)
            stats[count], stats[product] = 1, given[j] * given[k]
            stats[sum_j], stats[sum_k] = given[j], given[k]
    officer = [answers.get(item) for item in OFFICER_ITEMS]
    officer = [y for y in officer if y is not None]
    if staff_id is not None and officer:
        score = OFFICER_SCALE * sum(officer) // len(officer)  # exact: len divides 12
        stats["officer_n"], stats["officer_sum12"], stats["officer_sumsq144"] = 1, score, score**2
    return stats


def cell_key(*, unit_id: int, day: date, service_id: int | None, counter_id: int | None,
             staff_id: int | None, channel: str, flag_state: int) -> dict:
    """The key of a roll-up cell (a missing service, counter or officer is NONE_KEY)."""
    return {"unit_id": unit_id, "day": day, "service_id": service_id or NONE_KEY,
            "counter_id": counter_id or NONE_KEY, "staff_id": staff_id or NONE_KEY,
            "channel": channel, "flag_state": flag_state}


def _key(response: Response, timezone: str, state: int) -> dict:
    return cell_key(unit_id=response.unit_id, day=local_day(response.submitted_at, timezone),
                    service_id=response.service_id, counter_id=response.counter_id,
                    staff_id=response.staff_id, channel=response.channel, flag_state=state)


def _subtract(session: Session, key: dict, stats: dict[str, int]) -> None:
    """Takes a counted response out of its cell (a plain UPDATE: the cell exists)."""
    condition = [ROLLUP.c[name] == value for name, value in key.items()]
    session.execute(update(ROLLUP).where(*condition).values(
        {name: ROLLUP.c[name] - value for name, value in stats.items() if value}))


@functools.cache
def _upsert_statement(dialect: str):
    """The additive upsert: INSERT … ON CONFLICT (key) DO UPDATE SET s = s + excluded.s."""
    statement = upsert_insert(dialect)(ROLLUP).values(
        {name: bindparam(name, type_=ROLLUP.c[name].type) for name in (*KEY_COLUMNS, *STAT_COLUMNS)})
    return statement.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS), set_=_additive(statement))


def _additive(statement) -> dict:
    return {name: ROLLUP.c[name] + statement.excluded[name] for name in STAT_COLUMNS}


def _upsert(session: Session, key: dict, stats: dict[str, int], sign: int) -> None:
    if sign < 0:
        _subtract(session, key, stats)
        return
    session.execute(_upsert_statement(session.get_bind().dialect.name),
                    {**key, **{name: stats[name] for name in STAT_COLUMNS}})


def _answers(response: Response) -> dict[str, int | None]:
    return {name: getattr(response, name) for name in (*(f"u{j}" for j in UNSUR), "officer_rating")}


def _timezone(session: Session, unit_id: int) -> str:
    """The unit's time zone; the unit is usually in the session already (no query then)."""
    return session.get(Unit, unit_id).timezone


def refresh_flags(session: Session, response: Response, previous_state: int) -> None:
    """After flags of a response changed: moves it from its old flag state's cell to the new.

    A response still queued is left alone: the fold counts it under the flags it has then.
    """
    session.flush()
    lock(session)
    if session.scalar(select(exists().where(PENDING.c.response_id == response.id))):
        return
    state = flag_state_of(session, response.id)
    if state == previous_state:
        return
    timezone = _timezone(session, response.unit_id)
    stats = response_statistics(_answers(response), response.staff_id)
    _upsert(session, _key(response, timezone, previous_state), stats, -1)
    _upsert(session, _key(response, timezone, state), stats, +1)


# --- rebuild in SQL ------------------------------------------------------------------------------


def _utc_offset_hours(timezone: str) -> int:
    """Indonesia's zones keep one offset all year (no daylight saving): 7, 8 or 9."""
    offset = datetime(2026, 1, 1, tzinfo=UTC).astimezone(ZoneInfo(timezone)).utcoffset()
    return int(offset.total_seconds() // 3600)


def _local_day_sql(dialect: str):
    if dialect == "postgresql":
        local = func.timezone(Unit.timezone, func.timezone("UTC", Response.submitted_at))
        return cast(local, Date)
    modifier = case(
        *((Unit.timezone == zone, f"+{_utc_offset_hours(zone)} hours") for zone in UNIT_TIMEZONES),
        else_="+0 hours",
    )
    return func.date(Response.submitted_at, modifier, type_=Date)


def _aggregates() -> list:
    """SUM/COUNT expressions of every statistic column, labelled with its name."""
    u = {j: getattr(Response, f"u{j}") for j in UNSUR}
    any_answer = func.coalesce(*u.values())
    out = {
        "responses": func.count(),
        "n": func.count(any_answer),
        "perfect": func.count(case((and_(any_answer.is_not(None),
                                         *(func.coalesce(u[j], 4) == 4 for j in UNSUR)), 1))),
    }
    sat = sum((case((u[j] >= 3, 1), else_=0) for j in UNSUR), literal(0))
    answered = sum((case((u[j].is_(None), 0), else_=1) for j in UNSUR), literal(0))
    out.update(sat_sq=func.sum(sat * sat), sat_answered=func.sum(sat * answered),
               answered_sq=func.sum(answered * answered))
    officer = [getattr(Response, name) for name in OFFICER_ITEMS]
    officer_answered = sum((case((y.is_(None), 0), else_=1) for y in officer), literal(0))
    total = sum((func.coalesce(y, 0) for y in officer), literal(0))
    score = case((and_(Response.staff_id.is_not(None), officer_answered > 0),
                  OFFICER_SCALE * total / officer_answered))
    out.update(officer_n=func.count(score), officer_sum12=func.sum(score),
               officer_sumsq144=func.sum(score * score))
    for j in UNSUR:
        count, s, squares, satisfied = unsur_columns(j)
        out.update({count: func.count(u[j]), s: func.sum(u[j]), squares: func.sum(u[j] * u[j]),
                    satisfied: func.count(case((u[j] >= 3, 1)))})
    for j, k in PAIRS:
        count, product, sum_j, sum_k = pair_columns(j, k)
        both = and_(u[j].is_not(None), u[k].is_not(None))
        out.update({count: func.count(case((both, 1))), product: func.sum(u[j] * u[k]),
                    sum_j: func.sum(case((both, u[j]))), sum_k: func.sum(case((both, u[k])))})
    return [func.coalesce(out[name], 0).label(name) for name in STAT_COLUMNS]


def _cells_query(dialect: str, *conditions, only=None):
    """SELECT <cell key>, <statistics> FROM response … WHERE conditions GROUP BY <cell key>;
    `only` (a SELECT of response ids) limits the responses and the flags read to those."""
    day = _local_day_sql(dialect).label("day")
    flags = (
        select(ResponseFlag.response_id, func.max(case(
            (ResponseFlag.kind == "excluded", FLAG_EXCLUDED),
            (ResponseFlag.kind == "suspicious", FLAG_SUSPICIOUS), else_=FLAG_CLEAN)).label("state"))
        .where(*(() if only is None else (ResponseFlag.response_id.in_(only),)))
        .group_by(ResponseFlag.response_id).subquery()
    )
    if only is not None:
        conditions = (*conditions, Response.id.in_(only))
    state = func.coalesce(flags.c.state, FLAG_CLEAN).label("flag_state")
    keys = [Response.unit_id.label("unit_id"), day,
            func.coalesce(Response.service_id, NONE_KEY).label("service_id"),
            func.coalesce(Response.counter_id, NONE_KEY).label("counter_id"),
            func.coalesce(Response.staff_id, NONE_KEY).label("staff_id"),
            Response.channel.label("channel"), state]
    return (select(*keys, *_aggregates()).join(Unit, Unit.id == Response.unit_id)
            .outerjoin(flags, flags.c.response_id == Response.id)
            .where(*conditions).group_by(*keys))


def lock(session: Session) -> None:
    """Folds, flag moves, burst checks and rebuilds take turns (PostgreSQL; SQLite has one writer
    anyway). Held until the transaction ends; taking it again in the same one is free."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(ROLLUP_LOCK)))


# The advisory lock key of roll-up upkeep (any constant no other code uses).
ROLLUP_LOCK = 0x5357_0001


def fold_pending(session: Session) -> None:
    """Adds every queued response to its cell, in one statement, and empties the queue.

    On PostgreSQL one `WITH batch AS (DELETE … RETURNING) INSERT … SELECT … ON CONFLICT DO
    UPDATE`: the rows it deletes are exactly the rows it adds, even while submissions go on.
    On SQLite the INSERT takes the only write lock, so the DELETE after it sees the same queue.
    Either way the queue holds, afterwards, only responses stored after the fold began. With
    nothing queued it costs one indexed look-up, not the lock and the ~200-column statement,
    built once per dialect. Flushes, never commits: the caller commits.
    """
    session.flush()
    if session.scalar(select(PENDING.c.response_id).limit(1)) is None:
        return
    lock(session)
    dialect = session.get_bind().dialect.name
    session.execute(_fold_statement(dialect))
    if dialect != "postgresql":
        session.execute(delete(PENDING))


@functools.cache
def _fold_statement(dialect: str):
    """The fold's INSERT … SELECT … ON CONFLICT DO UPDATE (~200 columns)."""
    if dialect == "postgresql":
        batch = delete(PENDING).returning(PENDING.c.response_id).cte("batch")
        queued = select(batch.c.response_id)
    else:
        batch, queued = None, select(PENDING.c.response_id)
    statement = upsert_insert(dialect)(ROLLUP).from_select(
        [*KEY_COLUMNS, *STAT_COLUMNS], _cells_query(dialect, only=queued))
    statement = statement.on_conflict_do_update(index_elements=list(KEY_COLUMNS),
                                                set_=_additive(statement))
    return statement if batch is None else statement.add_cte(batch)


def rebuild(session: Session, since: date | None = None) -> int:
    """Recomputes the roll-up from the responses, for local days from `since` (all when None).

    One DELETE and one INSERT … SELECT … GROUP BY: nothing is loaded into Python. Responses still
    queued are left to the fold. Returns the number of cells written. Flushes, never commits.
    """
    session.flush()
    lock(session)
    dialect = session.get_bind().dialect.name
    conditions = [~exists().where(PENDING.c.response_id == Response.id)]
    if since is not None:
        # A day in any zone starts at most 9 hours before its UTC midnight: filter wide, then exact.
        earliest = datetime(since.year, since.month, since.day, tzinfo=UTC) - timedelta(days=1)
        conditions += [Response.submitted_at >= earliest, _local_day_sql(dialect) >= since]
        session.execute(delete(ROLLUP).where(ROLLUP.c.day >= since))
    else:
        session.execute(delete(ROLLUP))
    session.execute(insert(ROLLUP).from_select([*KEY_COLUMNS, *STAT_COLUMNS],
                                               _cells_query(dialect, *conditions)))
    written = select(func.count()).select_from(ROLLUP)
    if since is not None:
        written = written.where(ROLLUP.c.day >= since)
    return int(session.scalar(written))


def rollup_is_current(session: Session) -> bool:
    """Whether every stored response is counted in the roll-up or queued for the next fold."""
    counted = session.scalar(select(func.coalesce(func.sum(ROLLUP.c.responses), 0)))
    queued = session.scalar(select(func.count()).select_from(PENDING))
    return int(counted) + int(queued) == int(session.scalar(select(func.count()).select_from(Response)))


__all__ = ["cell_key", "flag_state", "flag_state_of", "fold_pending", "lock", "rebuild", "refresh_flags",
           "response_statistics", "rollup_is_current"]
