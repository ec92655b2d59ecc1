"""The unit dashboard on the demo data: every unit renders its three charts, each chart's drawn
numbers equal the data table beside it (issue 12, must-show 5), officers are named only for
whom may see them, and the page stays under 150 KB."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from surveys.demo.load import load_demo
from surveys.demo.truth import UNITS
from surveys.models import (
    Answer,
    Complaint,
    InstrumentItem,
    ReplyRequest,
    Response,
    RoleGrant,
    Staff,
    Unit,
    User,
)
from surveys.periods import Period
from surveys.reporting.dashboard import previous_period
from tests.admin.chart_reading import charts, markers, number, scale, segments, table, ticks
from tests.factories import hidden_fields

TODAY = date(2026, 11, 23)
PERIOD = "2026-Q3"
PAGE_BUDGET = 150 * 1024


@pytest.fixture
def demo(db):
    load_demo(db.session, TODAY)
    db.session.commit()


def signed_in(app, username: str, password: str):
    client = app.test_client()
    fields = hidden_fields(client.get("/auth/masuk").text)
    answer = client.post("/auth/masuk", data={**fields, "username": username,
                                               "password": password})
    assert answer.status_code == 303
    return client


def check_trend(svg, rows):
    """Each month with an index is a dot at its month's tick, at the table's IKM, and its
    interval's ends are the table's."""
    positions = dict(ticks(svg, "x"))
    assert list(positions) == [row[0] for row in rows]  # every month of the table, in order
    y = scale(svg, "y")
    drawn = [row for row in rows if len(row) == 4]  # a month without an IKM spans two cells
    dots, bars = markers(svg, "points"), segments(svg, "intervals")
    assert len(dots) == len(bars) == len(drawn)
    for row, (x, dot), bar in zip(drawn, dots, bars):
        month, n, ikm, interval = row
        low, high = (float(v) for v in interval.split(" – "))
        assert x == pytest.approx(positions[month], abs=1e-3)
        assert y(dot) == pytest.approx(float(ikm), abs=0.006)
        assert sorted([y(bar[1]), y(bar[3])]) == pytest.approx([low, high], abs=0.006)


def check_unsur(svg, rows):
    positions = {label: position for label, position in ticks(svg, "y")}
    x = scale(svg, "x")
    weakest_rows = [row for row in rows if "(terendah)" in row[0]]
    assert len(weakest_rows) == 1
    nrr = {row[0].split()[0]: float(row[2]) for row in rows}
    assert min(nrr, key=nrr.get) == weakest_rows[0][0].split()[0]
    drawn = {}
    for gid in ("points", "weakest"):
        for dot_x, dot_y in markers(svg, gid):
            code = next(c for c, p in positions.items() if abs(p - dot_y) < 1e-3)
            drawn[code] = (x(dot_x), gid)
    assert set(drawn) == set(nrr)
    for code, (value, gid) in drawn.items():
        assert value == pytest.approx(nrr[code], abs=0.0006)
        assert (gid == "weakest") == (code == min(nrr, key=nrr.get))
    intervals = sorted(segments(svg, "intervals"), key=lambda s: s[1])  # top (U1) first: y grows down
    for row, bar in zip(rows, intervals, strict=True):
        low, high = (float(v) for v in row[3].split(" – "))
        assert sorted([x(bar[0]), x(bar[2])]) == pytest.approx([low, high], abs=0.0006)


def check_funnel(svg, rows):
    """Dot k is officer k of the table: at their n and their difference from the unit mean."""
    x, y = scale(svg, "x"), scale(svg, "y")
    dots = markers(svg, "points")
    assert len(dots) == len(rows)
    for row, (dot_x, dot_y) in zip(rows, dots):
        assert x(dot_x) == pytest.approx(int(row[2]), abs=1e-3)
        assert y(dot_y) == pytest.approx(number(row[5]), abs=0.006)
        assert number(row[5]) == pytest.approx(number(row[3]) - number(row[4]), abs=0.011)


def test_every_demo_unit_shows_its_charts_and_each_chart_reads_as_its_table(app, db, demo):
    admin = signed_in(app, "admin", "demo-admin-2026")
    for unit in UNITS:
        page = admin.get(f"/admin/unit/{unit.code}?periode={PERIOD}")
        assert page.status_code == 200, unit.code
        assert len(page.data) < PAGE_BUDGET, f"{unit.code}: {len(page.data)} bytes"
        html = page.text
        images = dict(charts(html))
        assert len(images) == 3, unit.code
        by_kind = {alt.split()[1]: svg for alt, svg in images.items()}  # "Grafik IKM", "Grafik NRR", "Plot corong"
        check_trend(by_kind["IKM"], table(html, "tabel-tren"))
        check_unsur(by_kind["NRR"], table(html, "tabel-unsur"))
        check_funnel(by_kind["corong"], table(html, "tabel-petugas"))
        assert "<script" not in html


def test_officers_are_named_only_for_their_evaluator_and_admins(app, db, demo):
    unit = db.session.scalars(select(Unit).where(Unit.code == "kupang-dukcapil")).one()
    officers = list(db.session.scalars(select(Staff).where(Staff.unit_id == unit.id)
                                       .order_by(Staff.nip)))
    url = f"/admin/unit/{unit.code}?periode={PERIOD}"

    as_admin = signed_in(app, "admin", "demo-admin-2026").get(url).text
    assert all(officer.name in as_admin for officer in officers[:3])

    manager = db.session.scalars(select(User).where(User.username == "manajer.dukcapil")).one()
    as_manager = signed_in(app, "manajer.dukcapil", "demo-manajer-2026").get(url).text
    named = [row[1] for row in table(as_manager, "tabel-petugas")]
    assert named and all(name.startswith("Petugas ") for name in named)
    assert not any(officer.name in as_manager for officer in officers)  # nor in the comments

    # The same manager made pejabat penilai of one officer sees that one name, no other.
    db.session.add(RoleGrant(user_id=manager.id, role="evaluator", staff_id=officers[0].id))
    db.session.commit()
    as_evaluator = signed_in(app, "manajer.dukcapil", "demo-manajer-2026").get(url).text
    assert officers[0].name in as_evaluator
    assert not any(officer.name in as_evaluator for officer in officers[1:])


def test_latest_comments_and_the_number_waiting_for_a_reply(app, db, demo):
    unit = db.session.scalars(select(Unit).where(Unit.code == "kupang-dishub")).one()
    start, end = Period.parse(PERIOD).utc_bounds(unit.timezone)
    latest = db.session.execute(
        select(Response, Answer.value_text).join(Answer, Answer.response_id == Response.id)
        .join(InstrumentItem, InstrumentItem.id == Answer.item_id)
        .where(InstrumentItem.kind == "text", Response.unit_id == unit.id,
               Response.submitted_at >= start, Response.submitted_at < end)
        .order_by(Response.submitted_at.desc())).first()
    response, text = latest
    db.session.add(ReplyRequest(response_id=response.id, contact="0812-0000-0000"))
    db.session.commit()
    # The demo's complaints of the unit still open wait too; closed ones do not.
    still_open = db.session.scalar(select(func.count(Complaint.id)).where(
        Complaint.unit_id == unit.id, Complaint.status != "selesai"))

    html = signed_in(app, "admin", "demo-admin-2026").get(
        f"/admin/unit/{unit.code}?periode={PERIOD}").text

    first = html.index('<ol class="comments">')
    assert html.index(text, first) < html.index("</li>", first)  # the newest comes first
    assert "minta dibalas" in html
    assert f"Menunggu balasan: {still_open + 1} komentar" in html
    assert "0812-0000-0000" not in html  # the contact stays with whoever answers


def test_a_period_that_is_not_one_is_refused_in_indonesian(app, db, demo):
    admin = signed_in(app, "admin", "demo-admin-2026")
    for bad in ("2026-Q5", "kemarin", "9" * 5000, "2026-13"):
        answer = admin.get("/admin/unit/kupang-dukcapil", query_string={"periode": bad})
        assert answer.status_code == 400
        assert "Periode tidak dikenal" in answer.text


@pytest.mark.parametrize("code, before", [
    ("2026-Q1", "2025-Q4"), ("2026-Q3", "2026-Q2"), ("2026-S1", "2025-S2"),
    ("2026-S2", "2026-S1"), ("2026-01", "2025-12"), ("2026-10", "2026-09"), ("2026", "2025"),
])
def test_the_previous_period_is_the_one_of_the_same_kind_just_before(code, before):
    assert previous_period(Period.parse(code)).code == before
