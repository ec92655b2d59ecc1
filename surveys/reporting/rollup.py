"""Keeping the roll-up current: queued responses folded in batches, or a rebuild in SQL.

A submission only queues its response (`rollup_pending`, one narrow row in the same statement,
surveys/responses/store.py); `fold_pending` adds every queued response to its cell with one INSERT …
SELECT … GROUP BY … ON CONFLICT DO UPDATE and empties the queue. Every writer keeps the three
grains (surveys/models/rollup.py: daily cells, and per local month `monthly_rollup` and
`unit_month_rollup`) in the same transaction and by the same additive sums, so a month's coarse
cell is always exactly the sum of its daily cells. Folding is an explicit write,
committed by whoever folds: `flask stats fold`, `flask stats report`, the public unit page and the
API's two score GETs (indices, officer satisfaction). Those GETs are the one exception to "a GET
never writes": they fold and commit in a short transaction of their own before they read, an
idempotent upkeep write that changes no figure (queued and folded responses are the same
responses), so what they show counts every stored response and the queue is empty after any
view. The reads themselves (surveys/reporting/aggregate.py) never fold. `refresh_flags` moves a
counted response between flag states, `refresh_objection` between its officer and no officer
(an upheld objection); `rebuild` recomputes days from the responses (after bulk loads such as
the demo data or a paper import: `flask stats rollup`). They take one PostgreSQL advisory lock,
so they never interleave; submissions never wait for it. Which cell a response belongs in, in
SQL, is surveys/reporting/rollup_cells.py.
"""
from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import bindparam, delete, exists, func, insert, select, true, update
from sqlalchemy.orm import Session

from surveys.db import upsert_insert
from surveys.models import Response, Unit
from surveys.models.rollup import (
    DAY,
    KEY_COLUMNS,
    MONTH_GRAINS,
    NONE_KEY,
    OFFICER_SCALE,
    PAIRS,
    STAT_COLUMNS,
    UNSUR,
    Grain,
    pair_columns,
    unsur_columns,
)
from surveys.periods import local_day
from surveys.reporting.rollup_cells import (
    OFFICER_ITEMS,
    PENDING,
    ROLLUP,
    ROLLUP_LOCK,
    cells_query,
    counted_staff_id,
    flag_state,
    flag_state_of,
    local_day_sql,
    lock,
    month_sql,
)

GRAINS = (DAY, *MONTH_GRAINS)


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


def _key(response: Response, timezone: str, state: int, staff_id: int | None) -> dict:
    return cell_key(unit_id=response.unit_id, day=local_day(response.submitted_at, timezone),
                    service_id=response.service_id, counter_id=response.counter_id,
                    staff_id=staff_id, channel=response.channel, flag_state=state)


def month_of(day: date) -> date:
    """The month a local day's cells count in at the coarse grains: its first day."""
    return day.replace(day=1)


def _grain_key(grain: Grain, key: dict) -> dict:
    """The key, at `grain`, of the cell that also counts what a daily cell (`key`) counts."""
    if grain is DAY:
        return key
    coarse = {**key, "month": month_of(key["day"])}
    return {name: coarse[name] for name in grain.keys}


def _subtract(session: Session, grain: Grain, key: dict, stats: dict[str, int]) -> None:
    """Takes a counted response out of its cell (a plain UPDATE: the cell exists)."""
    table = grain.table
    condition = [table.c[name] == value for name, value in key.items()]
    session.execute(update(table).where(*condition).values(
        {name: table.c[name] - value for name, value in stats.items() if value}))


@functools.cache
def _upsert_statement(dialect: str, grain: Grain):
    """The additive upsert: INSERT … ON CONFLICT (key) DO UPDATE SET s = s + excluded.s."""
    table = grain.table
    statement = upsert_insert(dialect)(table).values(
        {name: bindparam(name, type_=table.c[name].type) for name in (*grain.keys, *STAT_COLUMNS)})
    return statement.on_conflict_do_update(
        index_elements=list(grain.keys), set_=_additive(table, statement))


def _additive(table, statement) -> dict:
    return {name: table.c[name] + statement.excluded[name] for name in STAT_COLUMNS}


def _upsert(session: Session, key: dict, stats: dict[str, int], sign: int) -> None:
    """Adds (`sign` +1) or takes away (−1) one response's statistics in its cell of every grain."""
    dialect = session.get_bind().dialect.name
    for grain in GRAINS:
        grain_key = _grain_key(grain, key)
        if sign < 0:
            _subtract(session, grain, grain_key, stats)
        else:
            session.execute(_upsert_statement(dialect, grain),
                            {**grain_key, **{name: stats[name] for name in STAT_COLUMNS}})


def _answers(response: Response) -> dict[str, int | None]:
    return {name: getattr(response, name) for name in (*(f"u{j}" for j in UNSUR), "officer_rating")}


def _timezone(session: Session, unit_id: int) -> str:
    """The unit's time zone; the unit is usually in the session already (no query then)."""
    return session.get(Unit, unit_id).timezone


def _queued(session: Session, response: Response) -> bool:
    """Whether the response waits in the queue: the fold will count it as it is by then."""
    return bool(session.scalar(select(exists().where(PENDING.c.response_id == response.id))))


def _move(session: Session, response: Response, before: tuple[int, int | None],
          after: tuple[int, int | None]) -> None:
    """Takes a counted response out of its (flag state, officer) cell and adds it to another."""
    if before == after:
        return
    timezone = _timezone(session, response.unit_id)
    answers = _answers(response)
    (old_state, old_staff), (new_state, new_staff) = before, after
    _upsert(session, _key(response, timezone, old_state, old_staff),
            response_statistics(answers, old_staff), -1)
    _upsert(session, _key(response, timezone, new_state, new_staff),
            response_statistics(answers, new_staff), +1)


def refresh_flags(session: Session, response: Response, previous_state: int) -> None:
    """After flags of a response changed: moves it from its old flag state's cell to the new.

    A response still queued is left alone: the fold counts it under the flags it has then.
    """
    session.flush()
    lock(session)
    if _queued(session, response):
        return
    staff_id = counted_staff_id(session, response)
    _move(session, response, (previous_state, staff_id),
          (flag_state_of(session, response.id), staff_id))


def refresh_objection(session: Session, response: Response, was_upheld: bool) -> None:
    """After an objection to the response was decided: moves it between its officer's cell and
    the no-officer cell (an upheld objection takes it out of that officer's score only).

    A response still queued is left alone: the fold counts it under the decision it has then.
    """
    session.flush()
    lock(session)
    if _queued(session, response):
        return
    state = flag_state_of(session, response.id)
    before = None if was_upheld else response.staff_id
    _move(session, response, (state, before), (state, counted_staff_id(session, response)))


def fold_pending(session: Session) -> None:
    """Adds every queued response to its cell at every grain, and empties the queue.

    On PostgreSQL one statement: `WITH batch AS (DELETE … RETURNING), cells AS (the batch's daily
    cells) INSERT …` into each grain (… ON CONFLICT DO UPDATE): the rows it deletes are exactly
    the rows it adds, even while submissions go on. On SQLite the first INSERT takes the only
    write lock, so the later ones and the DELETE see the same queue. Either way the queue holds,
    afterwards, only responses stored after the fold began. With nothing queued it costs one
    indexed look-up, not the lock and the statement, built once per dialect. Flushes, never
    commits: the caller commits.
    """
    session.flush()
    if session.scalar(select(PENDING.c.response_id).limit(1)) is None:
        return
    lock(session)
    dialect = session.get_bind().dialect.name
    for statement in _fold_statements(dialect):
        session.execute(statement)
    if dialect != "postgresql":
        session.execute(delete(PENDING))


def _summed(dialect: str, grain: Grain, cells):
    """SELECT <grain's key>, SUM(<statistic>) … FROM cells GROUP BY <grain's key>: finer cells
    (daily ones, a fold's increments, or monthly ones) summed into a coarse grain's cells."""
    month = cells.c.month if "month" in cells.c else month_sql(dialect, cells.c.day)
    keys = [month.label("month") if name == "month" else cells.c[name] for name in grain.keys]
    return select(*keys, *(func.sum(cells.c[name]).label(name) for name in STAT_COLUMNS)) \
        .group_by(*keys)


def _add(dialect: str, grain: Grain, cells):
    """INSERT INTO <grain> SELECT … FROM cells … ON CONFLICT (key) DO UPDATE SET s = s + excluded.s."""
    rows = select(*(cells.c[name] for name in (*KEY_COLUMNS, *STAT_COLUMNS))) if grain is DAY \
        else _summed(dialect, grain, cells)
    rows = rows.where(true())  # SQLite: "FROM cells ON CONFLICT" would parse ON as a join's
    statement = upsert_insert(dialect)(grain.table).from_select([*grain.keys, *STAT_COLUMNS], rows)
    return statement.on_conflict_do_update(index_elements=list(grain.keys),
                                           set_=_additive(grain.table, statement))


@functools.cache
def _fold_statements(dialect: str) -> tuple:
    """The fold's statement(s) (~200 columns per grain): one on PostgreSQL, one per grain else."""
    if dialect == "postgresql":
        batch = delete(PENDING).returning(PENDING.c.response_id).cte("batch")
        cells = cells_query(dialect, only=select(batch.c.response_id)).cte("cells")
        coarse = [_add(dialect, grain, cells).cte(f"add_{grain.table.name}")
                  for grain in MONTH_GRAINS]
        return (_add(dialect, DAY, cells).add_cte(batch, *coarse),)
    queued = select(PENDING.c.response_id)
    return tuple(_add(dialect, grain, cells_query(dialect, only=queued).subquery("cells"))
                 for grain in GRAINS)


def rebuild(session: Session, since: date | None = None) -> int:
    """Recomputes the roll-up from the responses, for local days from `since` (all when None).

    One DELETE and one INSERT … SELECT … GROUP BY per grain: the daily cells from the responses,
    then each month from the first of `since`'s month summed again from the finer grain (days
    of that month before `since` were kept, the later ones rebuilt), so nothing is loaded into
    Python. Responses still queued are left to the fold. Returns the number of daily cells
    written. Flushes, never commits.
    """
    session.flush()
    lock(session)
    dialect = session.get_bind().dialect.name
    conditions = [~exists().where(PENDING.c.response_id == Response.id)]
    if since is not None:
        # A day in any zone starts at most 9 hours before its UTC midnight: filter wide, then exact.
        earliest = datetime(since.year, since.month, since.day, tzinfo=UTC) - timedelta(days=1)
        conditions += [Response.submitted_at >= earliest, local_day_sql(dialect) >= since]
        session.execute(delete(ROLLUP).where(ROLLUP.c.day >= since))
    else:
        session.execute(delete(ROLLUP))
    session.execute(insert(ROLLUP).from_select([*KEY_COLUMNS, *STAT_COLUMNS],
                                               cells_query(dialect, *conditions)))
    _rebuild_months(session, dialect, None if since is None else month_of(since))
    written = select(func.count()).select_from(ROLLUP)
    if since is not None:
        written = written.where(ROLLUP.c.day >= since)
    return int(session.scalar(written))


def _rebuild_months(session: Session, dialect: str, first: date | None) -> None:
    """The coarse grains' cells of the months from `first` (all when None), finest first, each
    summed from the grain below it that has its keys (empty cells left out)."""
    finer = DAY
    for grain in reversed(MONTH_GRAINS):
        source = finer.table
        time = source.c[finer.time]
        rows = select(source) if first is None else select(source).where(time >= first)
        table = grain.table
        session.execute(delete(table) if first is None else delete(table).where(table.c.month >= first))
        cells = rows.subquery("cells")
        summed = _summed(dialect, grain, cells).having(func.sum(cells.c.responses) > 0)
        session.execute(insert(table).from_select([*grain.keys, *STAT_COLUMNS], summed))
        finer = grain


def rollup_is_current(session: Session) -> bool:
    """Whether every stored response is counted in the roll-up, at every grain alike, or queued
    for the next fold."""
    counted = {int(session.scalar(select(func.coalesce(func.sum(grain.table.c.responses), 0))))
               for grain in GRAINS}
    queued = session.scalar(select(func.count()).select_from(PENDING))
    total = int(session.scalar(select(func.count()).select_from(Response)))
    return len(counted) == 1 and counted.pop() + int(queued) == total


__all__ = ["GRAINS", "OFFICER_ITEMS", "PENDING", "ROLLUP", "ROLLUP_LOCK", "cell_key",
           "counted_staff_id", "flag_state", "flag_state_of", "fold_pending", "lock", "month_of",
           "rebuild", "refresh_flags", "refresh_objection", "response_statistics",
           "rollup_is_current"]
