"""The additive roll-up: sufficient statistics of the responses per cell, at three grains.

`daily_rollup`: one row per unit × service × counter × officer × channel × local day (the unit's
time zone) × flag state, holding sums only (DESIGN §4), so any period, unit tree, counter or
officer is a SQL SUM over rows and never a read of raw responses. Two coarser grains hold the
same sums per local month (the unit's calendar month, like the days), so reads of whole months
stay flat however many responses a month has: `monthly_rollup` per unit × service × officer ×
month × flag state (officer scores, services, one officer's index) and `unit_month_rollup` per
unit × month × flag state (unit indices). Each coarse cell is exactly the sum of its daily cells,
kept so by the same fold, moves and rebuild (surveys/reporting/rollup.py). "None" keys are 0 (no
service/counter/officer): NULL keys never conflict in a unique index, and the upsert needs them to.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
)
from sqlalchemy.orm import Mapped, mapped_column

from surveys.db import db

UNSUR = tuple(range(1, 10))
PAIRS = tuple(combinations(UNSUR, 2))
# Flag states: 0 clean, 1 suspicious (kept in the published index), 2 excluded (never counted).
FLAG_CLEAN, FLAG_SUSPICIOUS, FLAG_EXCLUDED = 0, 1, 2
NONE_KEY = 0  # "no service / counter / officer" in a key column
# The officer score of one response is 25 × mean of its answered officer items (U6, U7, OFFICER);
# stored as 12 × (sum / count), an integer for count 1, 2 or 3, so sums stay exact.
OFFICER_SCALE = 12
KEY_COLUMNS = ("unit_id", "day", "service_id", "counter_id", "staff_id", "channel", "flag_state")
MONTH_KEY_COLUMNS = ("unit_id", "month", "service_id", "staff_id", "flag_state")
UNIT_MONTH_KEY_COLUMNS = ("unit_id", "month", "flag_state")


def unsur_columns(j: int) -> tuple[str, str, str, str]:
    """(count, sum, sum of squares, satisfied count) of unsur j."""
    return f"u{j}_n", f"u{j}_sum", f"u{j}_sumsq", f"u{j}_sat"


def pair_columns(j: int, k: int) -> tuple[str, str, str, str]:
    """Over respondents who answered both j and k: count, Σ y_j·y_k, Σ y_j, Σ y_k."""
    return f"u{j}u{k}_n", f"u{j}u{k}_prod", f"u{j}u{k}_sj", f"u{j}u{k}_sk"


# responses: every response; n: respondents with at least one unsur answered; perfect: those
# whose every answered unsur is 4; with a_i the satisfied (3-4) and m_i the answered unsur of a
# respondent, Σa_i², Σa_i·m_i, Σm_i² (the clustered interval of percent satisfied);
# officer_*: responses naming an officer with an officer item.
COUNT_COLUMNS = ("responses", "n", "perfect", "sat_sq", "sat_answered", "answered_sq",
                 "officer_n", "officer_sum12", "officer_sumsq144")
STAT_COLUMNS: tuple[str, ...] = (
    COUNT_COLUMNS
    + tuple(name for j in UNSUR for name in unsur_columns(j))
    + tuple(name for j, k in PAIRS for name in pair_columns(j, k))
)


def _checks() -> tuple:
    return (CheckConstraint("flag_state IN (0, 1, 2)", name="flag_state"),
            CheckConstraint("n >= 0 AND n <= responses AND perfect <= n", name="counts"))


def _table() -> Table:
    return Table(
        "daily_rollup",
        db.metadata,
        Column("unit_id", Integer, ForeignKey("unit.id"), nullable=False),
        Column("day", Date, nullable=False),
        Column("service_id", Integer, nullable=False),
        Column("counter_id", Integer, nullable=False),
        Column("staff_id", Integer, nullable=False, index=True),
        Column("channel", String(12), nullable=False),
        Column("flag_state", SmallInteger, nullable=False),
        # int4 on purpose: PostgreSQL sums int4 in an int8 accumulator, much faster than numeric.
        *(Column(name, Integer, nullable=False, default=0) for name in STAT_COLUMNS),
        PrimaryKeyConstraint(*KEY_COLUMNS),
        *_checks(),
        Index("ix_daily_rollup_day", "day"),
    )


def _month_table(name: str, keys: tuple[str, ...]) -> Table:
    """A coarse grain: `keys` of the daily key with `month` (the first day of the local month)
    for the day. int8 sums: a month of a whole unit could pass int4's range (Σ score² ≤ 2,304
    per response overflows it after ~930,000 responses); these tables have few rows to sum."""
    types = {"unit_id": Integer, "month": Date, "service_id": Integer, "staff_id": Integer,
             "flag_state": SmallInteger}
    return Table(
        name,
        db.metadata,
        *(Column(key, types[key], *([ForeignKey("unit.id")] if key == "unit_id" else []),
                 nullable=False, index=key == "staff_id") for key in keys),
        *(Column(stat, BigInteger, nullable=False, default=0) for stat in STAT_COLUMNS),
        PrimaryKeyConstraint(*keys),
        *_checks(),
        Index(f"ix_{name}_month", "month"),
    )


class DailyRollup(db.Model):
    """A cell of the roll-up; queried through `DailyRollup.__table__` as plain SQL aggregates."""

    __table__ = _table()


# Plain tables, not mapped classes: they are only ever summed in SQL, and mapping ~200 columns
# each would cost every process ~0.25 s of mapper configuration at its first query.
# The daily cells of a local month summed per unit × service × officer × flag state:
MONTHLY_ROLLUP = _month_table("monthly_rollup", MONTH_KEY_COLUMNS)
# ... and per unit × flag state:
UNIT_MONTH_ROLLUP = _month_table("unit_month_rollup", UNIT_MONTH_KEY_COLUMNS)


@dataclass(frozen=True)
class Grain:
    """A roll-up table, its key columns and its time column ("day" or "month")."""

    table: Table
    keys: tuple[str, ...]
    time: str

    def has(self, columns) -> bool:
        """Whether a read needing these key columns can be answered from this grain."""
        return set(columns) <= set(self.keys)


DAY = Grain(DailyRollup.__table__, KEY_COLUMNS, "day")
MONTH = Grain(MONTHLY_ROLLUP, MONTH_KEY_COLUMNS, "month")
UNIT_MONTH = Grain(UNIT_MONTH_ROLLUP, UNIT_MONTH_KEY_COLUMNS, "month")
# The grains kept from the daily cells, coarsest first (the first that has a read's keys wins).
MONTH_GRAINS = (UNIT_MONTH, MONTH)


class RollupPending(db.Model):
    """A stored response not yet added to the roll-up: submissions only queue it here (one
    narrow row), and `surveys.reporting.rollup.fold_pending` adds the queue to the cells in one batch."""

    __tablename__ = "rollup_pending"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
