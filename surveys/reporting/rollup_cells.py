"""The roll-up's cells in SQL: which cell a response counts in and the SUM expressions of its
statistics, shared by the fold and the rebuild (surveys/reporting/rollup.py), and the lock.

A response counts under its flag state (excluded wins over suspicious; "objected" alone changes
nothing) and under its officer, unless an objection to it was upheld: then it counts with no
officer (staff key NONE_KEY, officer statistics 0), so it leaves that officer's score and stays
in every unit, service and counter figure.
"""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Date, DateTime, and_, case, cast, func, literal, select
from sqlalchemy.orm import Session

from surveys.models import Response, ResponseFlag, ResponseObjection, RollupPending, Unit
from surveys.models.organization import UNIT_TIMEZONES
from surveys.models.rollup import (
    FLAG_CLEAN,
    FLAG_EXCLUDED,
    FLAG_SUSPICIOUS,
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
UPHELD = "upheld"
# The advisory lock key of roll-up upkeep (any constant no other code uses).
ROLLUP_LOCK = 0x5357_0001


def lock(session: Session) -> None:
    """Folds, flag and objection moves, burst checks and rebuilds take turns (PostgreSQL; SQLite
    has one writer anyway). Held until the transaction ends; taking it again in the same one is free."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(ROLLUP_LOCK)))


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


def counted_staff_id(session: Session, response: Response) -> int | None:
    """The officer a stored response counts for: its own, or none once an objection was upheld."""
    upheld = session.scalar(select(ResponseObjection.id).where(
        ResponseObjection.response_id == response.id, ResponseObjection.status == UPHELD))
    return None if upheld is not None else response.staff_id


def _utc_offset_hours(timezone: str) -> int:
    """Indonesia's zones keep one offset all year (no daylight saving): 7, 8 or 9."""
    offset = datetime(2026, 1, 1, tzinfo=UTC).astimezone(ZoneInfo(timezone)).utcoffset()
    return int(offset.total_seconds() // 3600)


def local_day_sql(dialect: str):
    """A response's local day in its unit's time zone, in SQL (needs Unit joined)."""
    if dialect == "postgresql":
        local = func.timezone(Unit.timezone, func.timezone("UTC", Response.submitted_at))
        return cast(local, Date)
    modifier = case(
        *((Unit.timezone == zone, f"+{_utc_offset_hours(zone)} hours") for zone in UNIT_TIMEZONES),
        else_="+0 hours",
    )
    return func.date(Response.submitted_at, modifier, type_=Date)


def month_sql(dialect: str, day):
    """The first day of the month of a local day, in SQL: a day's cell lands in that month's."""
    if dialect == "postgresql":
        return cast(func.date_trunc("month", cast(day, DateTime)), Date)  # no time zone involved
    return func.date(day, "start of month", type_=Date)


def _aggregates(staff) -> list:
    """SUM/COUNT expressions of every statistic column, labelled with its name; `staff` is the
    officer the response counts for (NULL: none, so no officer statistics)."""
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
    score = case((and_(staff.is_not(None), officer_answered > 0),
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


def cells_query(dialect: str, *conditions, only=None):
    """SELECT <cell key>, <statistics> FROM response … WHERE conditions GROUP BY <cell key>;
    `only` (a SELECT of response ids) limits the responses, flags and objections read to those."""
    day = local_day_sql(dialect).label("day")
    limit = () if only is None else (ResponseFlag.response_id.in_(only),)
    flags = (
        select(ResponseFlag.response_id, func.max(case(
            (ResponseFlag.kind == "excluded", FLAG_EXCLUDED),
            (ResponseFlag.kind == "suspicious", FLAG_SUSPICIOUS), else_=FLAG_CLEAN)).label("state"))
        .where(*limit).group_by(ResponseFlag.response_id).subquery()
    )
    upheld = (  # at most one objection per response (unique), so the join adds no rows
        select(ResponseObjection.response_id).where(
            ResponseObjection.status == UPHELD,
            *(() if only is None else (ResponseObjection.response_id.in_(only),)))
        .subquery()
    )
    if only is not None:
        conditions = (*conditions, Response.id.in_(only))
    state = func.coalesce(flags.c.state, FLAG_CLEAN).label("flag_state")
    staff = case((upheld.c.response_id.is_(None), Response.staff_id))  # else NULL: no officer
    keys = [Response.unit_id.label("unit_id"), day,
            func.coalesce(Response.service_id, NONE_KEY).label("service_id"),
            func.coalesce(Response.counter_id, NONE_KEY).label("counter_id"),
            func.coalesce(staff, NONE_KEY).label("staff_id"),
            Response.channel.label("channel"), state]
    return (select(*keys, *_aggregates(staff)).join(Unit, Unit.id == Response.unit_id)
            .outerjoin(flags, flags.c.response_id == Response.id)
            .outerjoin(upheld, upheld.c.response_id == Response.id)
            .where(*conditions).group_by(*keys))
