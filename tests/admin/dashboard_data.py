"""Small controlled data for checking the dashboard's statistics, and the independent side of
each check: raw rows kept in Python (never read back through the roll-up) and the PermenPANRB
14/2017 index, the linearised pseudo-values of DESIGN §4 and the officer score computed here."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from scipy import stats

from surveys.models import Response, ResponseFlag, Service, Staff, Unit
from surveys.reporting import rollup
from surveys.responses.instruments import default_instrument
from tests.factories import UnitFixture, make_unit

WITA = ZoneInfo("Asia/Makassar")  # the factories' units
UNSUR = [f"U{j}" for j in range(1, 10)]


@dataclass
class Row:
    """One response as the test means it; `submitted_at` is UTC."""

    unit: Unit
    submitted_at: datetime
    answers: list[int | None]  # U1..U9, None = blank
    staff: Staff | None = None
    rating: int | None = None
    service: Service | None = None
    channel: str = "counter_qr"
    flags: tuple[str, ...] = ()


@dataclass
class World:
    fixture: UnitFixture
    sub: Unit  # a sub-unit of fixture.unit
    sub_services: list[Service]
    sub_officers: list[Staff]
    rows: list[Row] = field(default_factory=list)


def local(year, month, day, hour=10, minute=0) -> datetime:
    """A WITA wall-clock time as the UTC instant it is."""
    return datetime(year, month, day, hour, minute, tzinfo=WITA).astimezone(UTC)


def make_world(session) -> World:
    """make_unit's unit "dukcapil" (and its sibling "dukcapil-lain"), plus a sub-unit of
    "dukcapil" with its own two services and two officers."""
    fixture = make_unit(session)
    sub = Unit(organization=fixture.unit.organization, parent=fixture.unit, code="dukcapil-kec",
               name="UPT Dukcapil Kecamatan", timezone="Asia/Makassar")
    services = [Service(unit=sub, code="akta", name="Akta Kelahiran"),
                Service(unit=sub, code="pindah", name="Surat Pindah")]
    officers = [Staff(nip="199203142016041004", name="Agustina Bili", position="Staf", unit=sub),
                Staff(nip="199407212018011005", name="Frans Ratu", position="Staf", unit=sub)]
    session.add_all([sub, *services, *officers])
    session.commit()
    return World(fixture, sub, services, officers)


def store(session, rows: list[Row]) -> None:
    """The rows as responses, then the roll-up rebuilt from them (as a bulk import does)."""
    instrument = default_instrument(session)
    for row in rows:
        response = Response(
            instrument_id=instrument.id, channel=row.channel, unit_id=row.unit.id,
            service_id=row.service.id if row.service else None,
            staff_id=row.staff.id if row.staff else None, officer_rating=row.rating,
            submitted_at=row.submitted_at,
            **{f"u{j + 1}": value for j, value in enumerate(row.answers)})
        response.flags.extend(ResponseFlag(kind=kind, reason="uji statistik")
                              for kind in row.flags)
        session.add(response)
    rollup.rebuild(session)
    session.commit()


def answers(rng, level: float, blanks: bool = True) -> list[int | None]:
    """Nine correlated answers around `level` (a respondent effect plus item noise); U4 and U9
    left blank now and then (not applicable) when `blanks`."""
    person = level + rng.normal(0, 0.45)
    values = [int(np.clip(np.rint(person + rng.normal(0, 0.5)), 1, 4)) for _ in UNSUR]
    if blanks:
        if rng.random() < 0.2:
            values[3] = None
        if rng.random() < 0.15:
            values[8] = None
    return values


# --- the scenarios ---------------------------------------------------------------------------

# month: (respondents, answer level); June: everyone gives 4 to all they answer (the ceiling).
MONTHS = {3: (70, 2.9), 4: (40, 3.0), 6: (15, None), 7: (80, 3.05), 8: (120, 3.1),
          9: (130, 3.25)}
OFFICER_EFFECT = {"Maria Ndun": 0.3, "Yohanes Lake": -0.15, "Agustina Bili": 0.05,
                  "Frans Ratu": -0.35, "Petugas Lain": 0.1}
NOT_IN_Q3_NOR_WINDOW = datetime(2026, 9, 30, 16, 30, tzinfo=UTC)  # 1 Oct 00:30 WITA


def respondent(rng, world, when, level, named: bool) -> Row:
    """A respondent of the unit or its sub-unit, naming one of its officers when `named`."""
    fixture = world.fixture
    in_sub = rng.random() < 0.4
    unit, services, officers = ((world.sub, world.sub_services, world.sub_officers) if in_sub
                                else (fixture.unit, fixture.services, fixture.officers))
    staff = officers[int(rng.integers(len(officers)))] if named else None
    service = services[int(rng.random() < 0.5)]
    shift = ((OFFICER_EFFECT[staff.name] if staff else 0.0)
             + (0.2 if service.code == "akta" else 0.0))
    values = answers(rng, level + shift)
    rating = None
    if staff is not None and rng.random() < 0.75:
        rating = int(np.clip(np.rint(level + shift + rng.normal(0, 0.6)), 1, 4))
    busy = staff is not None and staff.name in ("Yohanes Lake", "Frans Ratu")
    channel = "staff_qr" if rng.random() < (0.6 if busy else 0.3) else "counter_qr"
    return Row(unit, when, values, staff, rating, service, channel)


def scenario(world) -> list[Row]:
    """Seven months of the unit and its sub-unit (May empty, June at the ceiling, April under
    60), flagged and excluded responses, rows at local midnights, and the sibling unit's officer
    (who counts for the organization's officer variances, never for the unit)."""
    rng = np.random.default_rng(2026)
    fixture, rows = world.fixture, []
    for month, (count, level) in MONTHS.items():
        for i in range(count):
            when = local(2026, month, int(rng.integers(1, 29)), int(rng.integers(8, 16)))
            if level is None:  # the ceiling month
                values = [4] * 9
                values[8] = None if i % 4 == 0 else 4
                rows.append(Row(fixture.unit, when, values))
            else:
                rows.append(respondent(rng, world, when, level, named=month >= 7 or i % 3 > 0))
    q3 = [i for i, row in enumerate(rows) if row.submitted_at >= local(2026, 7, 1, 0)]
    for i in q3[5:13]:
        rows[i].flags = ("suspicious",)
    for i in q3[20:22]:
        rows[i].flags = ("excluded",)
    for row in rows[80:83]:  # April
        row.flags = ("suspicious",)
    # Local midnights (WITA = UTC+8): each of these belongs to the month its local day is in.
    for moment in (datetime(2026, 9, 30, 15, 30, tzinfo=UTC),  # 30 Sep 23:30: September
                   NOT_IN_Q3_NOR_WINDOW,  # 1 Oct 00:30: the next quarter
                   datetime(2026, 3, 31, 16, 30, tzinfo=UTC),  # 1 Apr 00:30: April
                   datetime(2026, 6, 30, 16, 30, tzinfo=UTC),  # 1 Jul 00:30: July
                   local(2025, 8, 15)):  # before the twelve months of the trend
        rows.append(respondent(rng, world, moment, 3.0, named=True))
    lain = fixture.other_unit_officer  # same organization, not in the unit's tree
    for _ in range(30):
        when = local(2026, 8, int(rng.integers(1, 29)))
        rows.append(Row(lain.unit, when, answers(rng, 2.6 + OFFICER_EFFECT[lain.name]), lain,
                        int(rng.integers(1, 5)), None, "counter_qr"))
    return rows


def boundary_data():
    """Two quarters of 60 complete questionnaires, the later one first the same answers, then
    raised one answer at a time until scipy's Welch test first says p < 0.05: (before, just
    above, just below)."""
    rng = np.random.default_rng(17)
    person = rng.normal(0, .5, (60, 1))
    before = np.clip(np.rint(3 + person + rng.normal(0, .5, (60, 9))), 1, 4)
    after = before.copy()

    def p(m):
        return stats.ttest_ind(25 * m.mean(axis=1), 25 * before.mean(axis=1),
                               equal_var=False).pvalue

    for i, j in ((i, j) for j in range(9) for i in range(60)):
        if after[i, j] < 4:
            previous = after.copy()
            after[i, j] += 1
            if p(after) < 0.05:
                return before, previous, after
    raise AssertionError("never crossed 0.05")


# --- the independent side --------------------------------------------------------------------

def frame(rows: list[Row]) -> pd.DataFrame:
    """The rows with their local month and quarter, unit ids, flags and officer score."""
    records = []
    for row in rows:
        moment = row.submitted_at.astimezone(WITA)
        officer_items = [v for v in (row.answers[5], row.answers[6], row.rating) if v is not None]
        records.append({
            **{code: (np.nan if v is None else float(v)) for code, v in zip(UNSUR, row.answers)},
            "unit_id": row.unit.id, "month": f"{moment.year}-{moment.month:02d}",
            "quarter": f"{moment.year}-Q{(moment.month - 1) // 3 + 1}",
            "excluded": "excluded" in row.flags, "suspicious": "suspicious" in row.flags,
            "officer": row.staff.nip if row.staff else None,
            "officer_unit": row.staff.unit_id if row.staff else None,
            "service": row.service.code if row.service else None, "channel": row.channel,
            "score": (25 * np.mean(officer_items)
                      if row.staff is not None and officer_items else np.nan),
        })
    return pd.DataFrame(records)


def ikm(matrix: np.ndarray) -> float:
    """PermenPANRB 14/2017: NRR per unsur = mean of its answers (blanks left out), IKM = 25 ×
    (1/J) Σ NRR with the exact weight 1/J, J = 9."""
    nrr = np.nanmean(matrix, axis=0)
    return 25.0 * float(nrr.sum()) / matrix.shape[1]


def pseudo_values(matrix: np.ndarray) -> np.ndarray:
    """z_i = IKM + n·u_i with u_i = (25/J) Σ_j (y_ij − NRR_j)[answered]/n_j (DESIGN §4).

    Their mean is the IKM and the squared standard error of that mean is n/(n−1) Σ u_i², the
    clustered variance of DESIGN §4: so a t-test on them (scipy) is the method checked. Without
    blanks z_i is the respondent's own score 25 × mean_j y_ij.
    """
    answered = ~np.isnan(matrix)
    counts = answered.sum(axis=0)
    nrr = np.nansum(matrix, axis=0) / counts
    u = 25.0 / matrix.shape[1] * (np.where(answered, matrix - nrr, 0.0) / counts).sum(axis=1)
    return ikm(matrix) + len(matrix) * u


def matrix_of(rows: pd.DataFrame) -> np.ndarray:
    return rows[UNSUR].to_numpy(dtype=float)
