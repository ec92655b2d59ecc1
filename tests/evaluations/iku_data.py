"""Controlled responses for the IKU tests: a unit with a sub-unit, 2026-Q3 answers with blanks and
waiting bands, and responses that must not count (excluded, another period, another unit)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import select

from surveys.models import Instrument, Population, Response, ResponseFlag, Unit
from surveys.reporting import rollup
from tests.factories import UnitFixture, make_unit

PERIOD = "2026-Q3"
Q3_START = datetime(2026, 7, 2, 1, tzinfo=UTC)  # 09:00 WITA
Q2_START = datetime(2026, 4, 2, 1, tzinfo=UTC)
UNSUR = [f"u{j}" for j in range(1, 10)]


@dataclass
class IkuData:
    fixture: UnitFixture
    sub: Unit
    counted: list[dict] = field(default_factory=list)  # rows that must count, as inserted

    @property
    def unit(self) -> Unit:
        return self.fixture.unit

    @property
    def other(self) -> Unit:
        return self.fixture.other_unit_officer.unit


def _row(rng: np.random.Generator, level: float, waiting_p) -> dict:
    answers = {code: int(np.clip(round(rng.normal(level, 0.7)), 1, 4)) for code in UNSUR}
    if rng.random() < 0.1:
        answers["u4"] = None  # "not applicable": a blank, never a zero
    band = None if waiting_p is None or rng.random() < 0.2 else int(rng.choice(5, p=waiting_p) + 1)
    return {**answers, "waiting_band": band}


def add_responses(db, unit: Unit, rows: list[dict], start: datetime,
                  excluded: bool = False) -> None:
    instrument = db.session.scalars(select(Instrument)).first()
    for i, row in enumerate(rows):
        response = Response(instrument=instrument, channel="paper", unit_id=unit.id,
                            submitted_at=start + timedelta(hours=3 * i), **row)
        if excluded:
            response.flags.append(ResponseFlag(kind="excluded", reason="uji"))
        db.session.add(response)


def refresh(db) -> None:
    db.session.commit()
    rollup.rebuild(db.session)
    db.session.commit()


def iku_data(db, *, population: int | None = 1000, waiting: bool = True) -> IkuData:
    """70 counted responses of the unit and 30 of its sub-unit in 2026-Q3; 8 excluded ones, 10
    of 2026-Q2 and 5 of another unit (all 1s, waiting over 2 hours) that must not count."""
    rng = np.random.default_rng(2026)
    fixture = make_unit(db.session)
    sub = Unit(organization=fixture.unit.organization, parent=fixture.unit, code="dukcapil-kec",
               name="UPT Dukcapil Kecamatan", timezone="Asia/Makassar")
    db.session.add(sub)
    db.session.flush()
    data = IkuData(fixture, sub)
    waiting_p = (0.6, 0.25, 0.1, 0.04, 0.01) if waiting else None
    for unit, count, level in ((fixture.unit, 70, 3.2), (sub, 30, 2.9)):
        rows = [_row(rng, level, waiting_p) for _ in range(count)]
        add_responses(db, unit, rows, Q3_START)
        data.counted.extend(rows)
    worst = {**dict.fromkeys(UNSUR, 1), "waiting_band": 5}
    add_responses(db, fixture.unit, [worst] * 8, Q3_START + timedelta(minutes=30), excluded=True)
    add_responses(db, fixture.unit, [worst] * 10, Q2_START)
    add_responses(db, data.other, [worst] * 5, Q3_START)
    if population is not None:
        db.session.add(Population(unit_id=fixture.unit.id, period=PERIOD, size=population))
    refresh(db)
    return data
