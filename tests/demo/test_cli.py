"""`flask demo load`: the demo organization, officers, accounts and responses, loaded once."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select

from surveys.demo.load import DEMO_USERS
from surveys.demo.truth import HOLIDAYS, OFFICE_HOURS, PERIODS
from surveys.models import (
    Organization,
    Population,
    Response,
    Staff,
    Touchpoint,
    Unit,
    User,
)
from surveys.models.response import UNSUR_CODES
from surveys.models.staff import nip_problem
from surveys.periods import Period

WITA = ZoneInfo("Asia/Makassar")


def _row_counts(db) -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def test_demo_load_creates_a_working_demo_once(runner, db):
    result = runner.invoke(args=["demo", "load"])
    today = datetime.now(WITA).date()

    assert result.exit_code == 0, result.output
    assert "HANYA UNTUK DEMO" in result.output
    for user in DEMO_USERS:
        assert f"{user.username}  " in result.output and user.password in result.output

    session = db.session
    organization = session.scalars(select(Organization)).one()
    assert organization.name == "Pemerintah Kota Kupang"
    units = session.scalars(select(Unit)).all()
    names = " | ".join(unit.name for unit in units)
    for expected in ("Kependudukan dan Pencatatan Sipil", "Puskesmas", "Samsat",
                     "Penanaman Modal dan Pelayanan Terpadu Satu Pintu"):
        assert expected in names
    assert len(units) >= 4 and all(unit.timezone == "Asia/Makassar" for unit in units)
    assert any(unit.parent is not None for unit in units)
    for unit in units:
        assert len(unit.services) >= 3
        assert 2 <= len(unit.counters) <= 5
        counter_codes = session.scalars(
            select(Touchpoint.counter_id).where(Touchpoint.kind == "counter",
                                                Touchpoint.unit_id == unit.id)).all()
        assert sorted(counter_codes) == sorted(c.id for c in unit.counters)
    assert session.scalar(select(func.count()).where(Touchpoint.kind == "staff")) >= 3

    staff = session.scalars(select(Staff)).all()
    assert len(staff) >= 30
    assert all(nip_problem(officer.nip) is None for officer in staff)
    assert len({officer.nip for officer in staff}) == len(staff)
    for officer in staff:
        assert [a.starts_on for a in officer.assignments] == [date(2026, 1, 1)]
        assert officer.assignments[0].counter.unit_id == officer.unit_id

    users = session.scalars(select(User)).all()
    roles = {user.username: {grant.role for grant in user.grants} for user in users}
    assert roles == {demo.username: {demo.role} for demo in DEMO_USERS}
    for demo in DEMO_USERS:
        user = next(user for user in users if user.username == demo.username)
        assert user.check_password(demo.password) and not user.check_password("salah")
    by_role = {next(iter(roles[user.username])): user for user in users}
    assert by_role["staff"].staff is not None
    assert [grant.staff for grant in by_role["staff"].grants] == [by_role["staff"].staff]
    manager_unit = by_role["unit_manager"].grants[0].unit
    assert manager_unit.name.startswith("Dinas Kependudukan")
    evaluated = {grant.staff for grant in by_role["evaluator"].grants}
    assert evaluated and {officer.unit for officer in evaluated} == {manager_unit}

    times = session.scalars(select(Response.submitted_at)).all()
    assert len(times) >= 10_000
    local = [moment.astimezone(WITA) for moment in times]
    assert min(local).date() >= date(2026, 4, 1) and max(local).date() < today
    for moment in local:
        opens, closes = OFFICE_HOURS[moment.weekday()]  # KeyError on a weekend
        assert moment.date() not in HOLIDAYS
        assert opens <= moment.hour + moment.minute / 60 < closes
    out_of_range = or_(*(~getattr(Response, column).between(1, 4)
                         for column in [*(c.lower() for c in UNSUR_CODES), "officer_rating"]))
    assert session.scalar(select(func.count()).where(out_of_range)) == 0
    begun = [p for p in PERIODS if Period.parse(p).start < today]
    populations = session.execute(select(Population.unit_id, Population.period)).all()
    assert sorted(populations) == sorted((unit.id, p) for unit in units for p in begun)

    before = _row_counts(db)
    again = runner.invoke(args=["demo", "load"])

    assert again.exit_code == 0, again.output
    assert "sudah ada" in again.output
    db.session.expire_all()
    assert _row_counts(db) == before


def test_demo_load_today_option_cuts_the_responses_before_that_day(runner, db):
    result = runner.invoke(args=["demo", "load", "--today", "2026-05-04"])

    assert result.exit_code == 0, result.output
    last = db.session.scalar(select(func.max(Response.submitted_at)))
    assert last.astimezone(WITA).date() == date(2026, 4, 30)  # Friday 1 May is Hari Buruh
    assert db.session.scalars(select(Population.period).distinct()).all() == ["2026-Q2"]
