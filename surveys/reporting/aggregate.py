"""SQL aggregates over the daily roll-up, turned into `analysis` inputs.

A `Scope` selects cells (units, local days, service, counter, officer, flag states); each function
runs one SELECT … SUM … GROUP BY, so the work done in Python grows with the number of groups, never
with the number of responses. They only read: responses still queued count once their entry
point has folded the queue (`surveys.reporting.rollup.fold_pending`, an explicit write).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.sufficient import SufficientStats
from surveys.models import Staff
from surveys.models.rollup import (
    FLAG_CLEAN,
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
CODES = tuple(f"U{j}" for j in UNSUR)
# Which flag states each view counts: "excluded" never counts; "without flagged" drops suspicious.
WITH_FLAGGED = (FLAG_CLEAN, FLAG_SUSPICIOUS)
WITHOUT_FLAGGED = (FLAG_CLEAN,)


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

    def conditions(self) -> list:
        c = ROLLUP.c
        out = [c.day >= self.start, c.day < self.end, c.flag_state.in_(self.flag_states)]
        if self.unit_ids is not None:
            out.append(c.unit_id.in_(self.unit_ids))
        for column, value in (("service_id", self.service_id), ("counter_id", self.counter_id),
                              ("staff_id", self.staff_id)):
            if value is not None:
                out.append(c[column] == value)
        return out


def _sums(names) -> list:
    return [func.coalesce(func.sum(ROLLUP.c[name]), 0).label(name) for name in names]


def stats_from_row(row) -> SufficientStats:
    """The `SufficientStats` of one summed row (a mapping of column name to sum)."""
    position = {j: i for i, j in enumerate(UNSUR)}
    unsur = {position[j]: tuple(int(row[name]) for name in unsur_columns(j)) for j in UNSUR}
    pairs = {(position[j], position[k]): tuple(int(row[name]) for name in pair_columns(j, k))
             for j, k in PAIRS}
    return SufficientStats.from_sums(
        CODES, int(row["n"]), int(row["perfect"]), unsur, pairs,
        (int(row["sat_sq"]), int(row["sat_answered"]), int(row["answered_sq"])))


def grouped_stats(session: Session, scope: Scope, by: str | None = None) -> dict:
    """{group value: SufficientStats} summed over the scope, grouped by a key column (or one
    group, key None). Groups without a respondent are left out."""
    key = [ROLLUP.c[by].label("group_key")] if by else []
    query = select(*key, *_sums(STAT_COLUMNS)).where(*scope.conditions())
    if by:
        query = query.group_by(ROLLUP.c[by])
    out = {}
    for row in session.execute(query).mappings():
        if int(row["n"]) > 0:
            out[row["group_key"] if by else None] = stats_from_row(row)
    return out


def response_count(session: Session, scope: Scope) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(ROLLUP.c.responses), 0))
                              .where(*scope.conditions())))


def _officer_score_columns() -> list:
    c = ROLLUP.c
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


def officer_frame(session: Session, scope: Scope) -> pd.DataFrame:
    """One row per named officer: officer (NIP), unit (the officer's unit id), n, sum, sumsq of
    the per-response officer score (25 × mean of the answered U6, U7 and officer rating)."""
    query = (select(Staff.nip.label("officer"), Staff.unit_id.label("unit"),
                    *_officer_score_columns())
             .join(Staff, Staff.id == ROLLUP.c.staff_id)
             .where(*scope.conditions())
             .group_by(Staff.nip, Staff.unit_id)
             .having(func.sum(ROLLUP.c.officer_n) > 0)
             .order_by(Staff.nip))
    return _score_frame(session.execute(query).all(), ["officer", "unit", "n", "sum", "sumsq"])


def casemix_cells(session: Session, scope: Scope) -> pd.DataFrame:
    """One row per officer × service × channel: n, sum, sumsq of the officer score (for the
    case-mix regression; service 0 means the respondent named no service)."""
    query = (select(Staff.nip.label("officer"), Staff.unit_id.label("unit"),
                    ROLLUP.c.service_id.label("service"), ROLLUP.c.channel.label("channel"),
                    *_officer_score_columns())
             .join(Staff, Staff.id == ROLLUP.c.staff_id)
             .where(*scope.conditions())
             .group_by(Staff.nip, Staff.unit_id, ROLLUP.c.service_id, ROLLUP.c.channel)
             .having(func.sum(ROLLUP.c.officer_n) > 0)
             .order_by(Staff.nip, ROLLUP.c.service_id, ROLLUP.c.channel))
    frame = _score_frame(session.execute(query).all(),
                         ["officer", "unit", "service", "channel", "n", "sum", "sumsq"])
    # No service named is "unknown" to the regression, not a service of its own.
    frame["service"] = [None if s == NONE_KEY else str(s) for s in frame["service"]]
    return frame
