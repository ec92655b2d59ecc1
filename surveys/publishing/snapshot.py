"""The public figures of a unit and period, frozen into one JSON object with small counts already
suppressed (DESIGN §6), so that no page, file or API answer made from it can show them.

Read from the daily roll-up, "excluded" responses left out: the unit tree's respondents and
IKM (interval, grade certainty, per-unsur NRR), the Krejcie–Morgan target for the unit's
population and whether it was reached, and the same figures per service and per sub-unit
(each a tree of counts under the unit's total, suppressed by `analysis.suppression`), and by
respondent profile (`surveys.publishing.profile`), and the unit's IKU targets with their
realisation. The index's `se` lets two published periods
be compared without live figures.
No officer appears: not their name, NIP or score.
"""
from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis import AnalysisError, krejcie_morgan_target
from analysis.sufficient import ikm_from_sufficient
from analysis.suppression import (
    CAUTION_BELOW,
    INDEX_MIN,
    PRIMARY_MAX,
    Cell,
    index_rule,
    suppressed,
)
from analysis.version import METHOD
from surveys.evaluations.iku import realisation
from surveys.frozen import json_number, json_pair
from surveys.models import IkuTarget, Service, Unit
from surveys.periods import Period
from surveys.publishing.profile import profile_tables
from surveys.reporting.aggregate import Scope, grouped_stats
from surveys.reporting.service import population_of, unit_and_descendant_ids

SCHEMA = "suara-warga/publication/1"


def _index(stats, population: int | None = None, target: int | None = None) -> dict | None:
    """The index of a group, or None below `INDEX_MIN` respondents (or when none can be had)."""
    n = 0 if stats is None else stats.n
    rule = index_rule(n, target)
    if not rule.shown:
        return None
    try:
        result = ikm_from_sufficient(stats, population=population)
    except AnalysisError:
        return None
    return {
        "ikm": result.ikm, "ikm_exact": json_number(result.ikm_exact), "ci95": json_pair(result.ci95),
        "se": json_number(result.se),
        "mutu": result.mutu, "kinerja": result.kinerja, "grade": result.grade,
        "band_probability": json_number(result.band_probability),
        "caution": rule.caution, "below_target": rule.below_target,
        "unsur": [{"code": u.code, "n": u.n,
                   "nrr": json_number(u.nrr) if u.n >= INDEX_MIN else None,
                   "ci95": json_pair(u.ci95) if u.n >= INDEX_MIN else None} for u in result.unsur],
    }


def _count(stats) -> int:
    return 0 if stats is None else stats.n


def _row(fields: dict, stats, hidden: bool) -> dict:
    return {**fields, "n": "*" if hidden else _count(stats),
            "index": None if hidden else _index(stats)}


def _tree_rows(total_n: int, sub_units: list[tuple[dict, object]],
               services: list[tuple[dict, object, int | None]]) -> tuple[list[dict], list[dict]]:
    """(services, sub-units) suppressed as one tree: the sub-units under the unit's total, each
    service under the part it belongs to (sub-unit i, or None: the unit's own part, the total
    less its sub-units), so a hidden sub-unit hides its services too (cascade) and no shown
    sub-unit or part gives a hidden service away by subtraction."""
    own = total_n - sum(_count(stats) for _fields, stats in sub_units)
    cells = [Cell("total", total_n), Cell("own", max(own, 0), "total")]
    cells += [Cell(("sub", i), _count(stats), "total") for i, (_f, stats) in enumerate(sub_units)]
    cells += [Cell(("service", i), _count(stats), "own" if part is None else ("sub", part))
              for i, (_f, stats, part) in enumerate(services)]
    hidden = suppressed(cells)
    return ([_row(fields, stats, ("service", i) in hidden)
             for i, (fields, stats, _part) in enumerate(services)],
            [_row(fields, stats, ("sub", i) in hidden)
             for i, (fields, stats) in enumerate(sub_units)])


def _iku(session: Session, unit: Unit, period: Period) -> list[dict]:
    """The unit's IKU targets for the period and their realisation, frozen with the figures;
    a value resting on fewer than `INDEX_MIN` respondents is not shown (nor a count of 1–4)."""
    rows = []
    for target in session.scalars(select(IkuTarget).where(
            IkuTarget.unit_id == unit.id, IkuTarget.period == period.code)
            .order_by(IkuTarget.indicator)):
        real = realisation(session, target)
        shown = real.n >= INDEX_MIN
        rows.append({"indicator": target.indicator, "target": json_number(target.target),
                     "n": "*" if 1 <= real.n <= PRIMARY_MAX else real.n,
                     "value": json_number(real.value) if shown else None,
                     "ci95": json_pair(real.ci95) if shown else None,
                     "met": real.met if shown else None,
                     "certain": real.certain if shown else False})
    return rows


def build_snapshot(session: Session, unit: Unit, period: Period, now: datetime) -> dict:
    """The public figures of `unit` (and its sub-units) for `period`, as of `now`."""
    tree = tuple(unit_and_descendant_ids(session, unit))
    scope = Scope(period.start, period.end, tree)
    total = grouped_stats(session, scope).get(None)
    n = 0 if total is None else total.n
    population = population_of(session, unit, period.code)
    if population is not None and population < n:
        population = None  # an undercounted population would make the correction meaningless
    target = krejcie_morgan_target(population) if population else None
    hidden_total = 1 <= n <= PRIMARY_MAX
    by_service = grouped_stats(session, scope, by="service_id")
    children = list(session.scalars(select(Unit).where(Unit.parent_id == unit.id)
                                    .order_by(Unit.name, Unit.id)))
    child_trees = [tuple(unit_and_descendant_ids(session, child)) for child in children]
    sub_units = [({"code": child.code, "name": child.name}, grouped_stats(session, Scope(
        period.start, period.end, child_tree)).get(None))
        for child, child_tree in zip(children, child_trees)]

    def part_of(service: Service) -> int | None:
        return next((i for i, child_tree in enumerate(child_trees)
                     if service.unit_id in child_tree), None)

    services = [({"code": s.code, "name": s.name, "unit": s.unit.code}, by_service.get(s.id),
                 part_of(s))
                for s in session.scalars(select(Service).where(Service.unit_id.in_(tree))
                                         .order_by(Service.name, Service.id))]
    service_rows, sub_unit_rows = _tree_rows(n, sub_units, services)
    snapshot = {
        "schema": SCHEMA, "method": METHOD, "prepared_at": now.isoformat(timespec="seconds"),
        "unit": {"code": unit.code, "name": unit.name, "timezone": unit.timezone},
        "period": {"code": period.code, "from": period.start.isoformat(),
                   "to": date.fromordinal(period.end.toordinal() - 1).isoformat()},
        "rules": {"hidden_counts": f"1-{PRIMARY_MAX}", "index_min": INDEX_MIN,
                  "caution_below": CAUTION_BELOW},
        "respondents": "*" if hidden_total else n,
        "population": population, "target": target,
        "below_target": target is not None and n < target,
        "index": None if hidden_total else _index(total, population, target),
        "services": service_rows,
        "sub_units": sub_unit_rows,
        "profile": profile_tables(session, tree, period, n),
        "iku": _iku(session, unit, period),
    }
    return json.loads(json.dumps(snapshot, sort_keys=True))  # plain JSON types only
