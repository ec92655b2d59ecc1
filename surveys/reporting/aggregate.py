"""SQL aggregates over the roll-up, turned into `analysis` inputs.

A `Scope` selects cells (units, local days, service, counter, officer, flag states); each function
runs one SELECT … SUM … GROUP BY, so the work done in Python grows with the number of groups,
never with the number of responses. `plan` is the one place that picks the grain (surveys/models/
rollup.py): the whole months of the span from the coarsest monthly grain that has the keys the
read needs, the days before and after them (or the whole span, when the read needs days, a
counter or a channel) from the daily cells; the parts are summed alike, so every grain gives the
same figures. Each statement is built once per shape of plan and run with the scope's values
(~200 summed columns cost more to build than to run). They only read: responses still queued
count once their entry point has folded the queue (`surveys.reporting.rollup.fold_pending`).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Date, bindparam, func, select, union_all
from sqlalchemy.orm import Session

from analysis.sufficient import SufficientStats
from surveys.models import Staff
from surveys.models.rollup import (
    DAY,
    FLAG_CLEAN,
    FLAG_SUSPICIOUS,
    MONTH_GRAINS,
    NONE_KEY,
    OFFICER_SCALE,
    PAIRS,
    STAT_COLUMNS,
    UNSUR,
    DailyRollup,
    Grain,
    pair_columns,
    unsur_columns,
)
from surveys.reporting.rollup_cells import month_sql

ROLLUP = DailyRollup.__table__
CODES = tuple(f"U{j}" for j in UNSUR)
# Which flag states each view counts: "excluded" never counts; "without flagged" drops suspicious.
WITH_FLAGGED = (FLAG_CLEAN, FLAG_SUSPICIOUS)
WITHOUT_FLAGGED = (FLAG_CLEAN,)
OFFICER_STATS = ("officer_n", "officer_sum12", "officer_sumsq144")


@dataclass(frozen=True)
class Scope:
    """Cells to sum: local days [start, end) and optional unit, service, counter and officer ids."""

    start: date
    end: date
    unit_ids: tuple[int, ...] | None = None
    service_id: int | None = None
    counter_id: int | None = None
    staff_id: int | None = None
    flag_states: tuple[int, ...] = WITH_FLAGGED

    def filters(self) -> dict[str, int]:
        """The key columns fixed to one value (service, counter, officer)."""
        values = {"service_id": self.service_id, "counter_id": self.counter_id,
                  "staff_id": self.staff_id}
        return {column: value for column, value in values.items() if value is not None}


def whole_months(start: date, end: date) -> tuple[date, date] | None:
    """[first, after) of the calendar months lying wholly in the days [start, end), or None."""
    first = start if start.day == 1 else date(start.year + start.month // 12, start.month % 12 + 1, 1)
    after = end.replace(day=1)
    return (first, after) if first < after else None


def scope_grain(scope: Scope, keys: tuple[str, ...] = ()) -> Grain | None:
    """The coarsest monthly grain that has the scope's filters and the read's `keys` (None:
    only the daily cells have them, e.g. a counter, a channel or days)."""
    needed = {*scope.filters(), *keys} - {"month"}
    return next((grain for grain in MONTH_GRAINS if grain.has(needed)), None)


@dataclass(frozen=True)
class Plan:
    """Which grain each part of a read comes from, and the values its statement is run with:
    the statement itself depends only on the shape (`key`), so it is built once per shape."""

    grains: tuple[Grain, ...]
    filters: tuple[str, ...]
    units: bool
    params: dict

    def key(self) -> tuple:
        return (tuple(grain.table.name for grain in self.grains), self.filters, self.units)


def plan(scope: Scope, keys: tuple[str, ...] = ()) -> Plan:
    """The whole months of the span from `scope_grain`, the days before and after them (or the
    whole span, when the read needs days, a counter or a channel) from the daily cells."""
    grain, months = scope_grain(scope, keys), whole_months(scope.start, scope.end)
    if grain is None or months is None or "day" in keys:
        spans = [(DAY, scope.start, scope.end)]
    else:
        spans = [(grain, *months)] + [(DAY, start, end) for start, end in (
            (scope.start, months[0]), (months[1], scope.end)) if start < end]
    filters = scope.filters()
    params = {"flag_states": list(scope.flag_states), **filters}
    for i, (_, start, end) in enumerate(spans):
        params.update({f"start_{i}": start, f"end_{i}": end})
    if scope.unit_ids is not None:
        params["unit_ids"] = list(scope.unit_ids)
    return Plan(tuple(grain for grain, _, _ in spans), tuple(sorted(filters)),
                scope.unit_ids is not None, params)


def _cells(dialect: str, shape: tuple, grains: tuple[Grain, ...], keys: tuple[str, ...],
           stats: tuple[str, ...]):
    """The cells of a plan's shape as a subquery with the `keys` (key columns, "month" allowed)
    and the `stats` columns: UNION ALL of the parts (one part is one plain SELECT)."""
    _, filters, units = shape
    parts = []
    for i, grain in enumerate(grains):
        c = grain.table.c
        columns = [month_sql(dialect, c.day).label("month") if key == "month" and grain is DAY
                   else c[key] for key in keys]
        where = [c[grain.time] >= bindparam(f"start_{i}", type_=Date),
                 c[grain.time] < bindparam(f"end_{i}", type_=Date),
                 c.flag_state.in_(bindparam("flag_states", expanding=True))]
        if units:
            where.append(c.unit_id.in_(bindparam("unit_ids", expanding=True)))
        where += [c[column] == bindparam(column) for column in filters]
        parts.append(select(*columns, *(c[name] for name in stats)).where(*where))
    query = parts[0] if len(parts) == 1 else union_all(*parts)
    return query.subquery("cells")


def _run(session: Session, build, scope: Scope, keys: tuple[str, ...] = (), *extra):
    """Runs the statement `build(dialect, grains, shape, *extra)` makes for the scope's plan,
    built once per dialect and shape (`_statement`), with the plan's values."""
    chosen = plan(scope, keys)
    dialect = session.get_bind().dialect.name
    statement = _statement(build, dialect, chosen.key(), chosen.grains, *extra)
    return session.execute(statement, chosen.params)


@functools.lru_cache(maxsize=256)
def _statement(build, dialect: str, shape: tuple, grains: tuple[Grain, ...], *extra):
    return build(dialect, shape, grains, *extra)


def _sums(cells, names) -> list:
    return [func.coalesce(func.sum(cells.c[name]), 0).label(name) for name in names]


def stats_from_row(row) -> SufficientStats:
    """The `SufficientStats` of one summed row (a mapping of column name to sum)."""
    position = {j: i for i, j in enumerate(UNSUR)}
    unsur = {position[j]: tuple(int(row[name]) for name in unsur_columns(j)) for j in UNSUR}
    pairs = {(position[j], position[k]): tuple(int(row[name]) for name in pair_columns(j, k))
             for j, k in PAIRS}
    return SufficientStats.from_sums(
        CODES, int(row["n"]), int(row["perfect"]), unsur, pairs,
        (int(row["sat_sq"]), int(row["sat_answered"]), int(row["answered_sq"])))


def _grouped(dialect: str, shape: tuple, grains: tuple[Grain, ...], by: str | None):
    cells = _cells(dialect, shape, grains, (by,) if by else (), STAT_COLUMNS)
    key = [cells.c[by].label("group_key")] if by else []
    query = select(*key, *_sums(cells, STAT_COLUMNS))
    return query.group_by(cells.c[by]) if by else query


def grouped_stats(session: Session, scope: Scope, by: str | None = None) -> dict:
    """{group value: SufficientStats} summed over the scope, grouped by a key column or "month"
    (its first day), or one group, key None. Groups without a respondent are left out."""
    out = {}
    result = _run(session, _grouped, scope, (by,) if by else (), by)
    names = list(result.keys())
    for values in result.all():
        row = dict(zip(names, values))  # plain dict look-ups: ~200 per group
        if int(row["n"]) > 0:
            out[row["group_key"] if by else None] = stats_from_row(row)
    return out


def _count(dialect: str, shape: tuple, grains: tuple[Grain, ...]):
    cells = _cells(dialect, shape, grains, (), ("responses",))
    return select(func.coalesce(func.sum(cells.c.responses), 0))


def response_count(session: Session, scope: Scope) -> int:
    return int(_run(session, _count, scope).scalar())


def _officer_score_columns(cells) -> list:
    c = cells.c
    return [func.sum(c.officer_n).label("n"), func.sum(c.officer_sum12).label("sum"),
            func.sum(c.officer_sumsq144).label("sumsq")]


def _score_frame(rows, columns: list[str]) -> pd.DataFrame:
    """Scales the exact integer sums (score × 12/25) back to the 25-100 officer score."""
    frame = pd.DataFrame(rows, columns=columns)
    unit = 25.0 / OFFICER_SCALE
    frame["n"] = frame["n"].astype(int)
    frame["sum"] = frame["sum"].astype(float) * unit
    frame["sumsq"] = frame["sumsq"].astype(float) * unit * unit
    return frame


def _officers(dialect: str, shape: tuple, grains: tuple[Grain, ...]):
    cells = _cells(dialect, shape, grains, ("staff_id",), OFFICER_STATS)
    return (select(Staff.nip.label("officer"), Staff.unit_id.label("unit"),
                   *_officer_score_columns(cells))
            .select_from(cells).join(Staff, Staff.id == cells.c.staff_id)
            .group_by(Staff.nip, Staff.unit_id)
            .having(func.sum(cells.c.officer_n) > 0)
            .order_by(Staff.nip))


def officer_frame(session: Session, scope: Scope) -> pd.DataFrame:
    """One row per named officer: officer (NIP), unit (the officer's unit id), n, sum, sumsq of
    the per-response officer score (25 × mean of the answered U6, U7 and officer rating)."""
    rows = _run(session, _officers, scope, ("staff_id",)).all()
    return _score_frame(rows, ["officer", "unit", "n", "sum", "sumsq"])


CASEMIX_KEYS = ("staff_id", "service_id", "channel")


def _casemix(dialect: str, shape: tuple, grains: tuple[Grain, ...]):
    cells = _cells(dialect, shape, grains, CASEMIX_KEYS, OFFICER_STATS)
    return (select(Staff.nip.label("officer"), Staff.unit_id.label("unit"),
                   cells.c.service_id.label("service"), cells.c.channel.label("channel"),
                   *_officer_score_columns(cells))
            .select_from(cells).join(Staff, Staff.id == cells.c.staff_id)
            .group_by(Staff.nip, Staff.unit_id, cells.c.service_id, cells.c.channel)
            .having(func.sum(cells.c.officer_n) > 0)
            .order_by(Staff.nip, cells.c.service_id, cells.c.channel))


def casemix_cells(session: Session, scope: Scope) -> pd.DataFrame:
    """One row per officer × service × channel: n, sum, sumsq of the officer score (for the
    case-mix regression; service 0 means the respondent named no service)."""
    rows = _run(session, _casemix, scope, CASEMIX_KEYS).all()
    frame = _score_frame(rows, ["officer", "unit", "service", "channel", "n", "sum", "sumsq"])
    # No service named is "unknown" to the regression, not a service of its own.
    frame["service"] = [None if s == NONE_KEY else str(s) for s in frame["service"]]
    return frame
