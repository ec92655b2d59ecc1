"""The monthly grains checked against the daily cells: each coarse cell must equal the daily cells
of its local month summed, here in Python (the months taken from the days by `date.replace`)."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from surveys.models.rollup import DAY, MONTH_GRAINS, STAT_COLUMNS


def grain_cells(session, grain) -> dict[tuple, dict[str, int]]:
    """The grain's non-empty cells: {key: {statistic: value}}."""
    rows = session.execute(select(grain.table)).mappings().all()
    return {tuple(row[k] for k in grain.keys): {s: int(row[s]) for s in STAT_COLUMNS}
            for row in rows if row["responses"] != 0}


def daily_summed(session, grain) -> dict[tuple, dict[str, int]]:
    """The daily cells summed into the grain's keys (month: the day's first of the month)."""
    totals: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STAT_COLUMNS, 0))
    for key, stats in grain_cells(session, DAY).items():
        named = dict(zip(DAY.keys, key))
        named["month"] = named["day"].replace(day=1)
        cell = totals[tuple(named[k] for k in grain.keys)]
        for name, value in stats.items():
            cell[name] += value
    return dict(totals)


def assert_grains_agree(session) -> None:
    """Every monthly grain holds exactly the daily cells summed, nothing more, nothing less."""
    for grain in MONTH_GRAINS:
        assert grain_cells(session, grain) == daily_summed(session, grain), grain.table.name
