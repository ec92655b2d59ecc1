"""The officer's own page (/saya): the monthly trend as the reporting service computes each
month, their own dot on the unit's funnel among anonymous others (no other officer's name or
NIP anywhere on the page, images included), the responses naming them without anything that
identifies the citizen, and figures as fresh as the last response."""
from __future__ import annotations

import base64
import re
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from analysis.officers import n_for_reliability
from surveys.db import utcnow
from surveys.models import Response, Staff
from surveys.periods import Period, local_day
from surveys.reporting import rollup
from surveys.reporting.compare import officer_funnel
from surveys.reporting.officers import TREND_MONTHS, trend_months
from surveys.reporting.service import officer_report
from tests.access.cast import client_as
from tests.evaluations.data import CONTACT, CURRENT, EXCLUDED_COMMENT, EXTRA_NIPS
from tests.evaluations.pages import table
from tests.evaluations.test_objections import _file, _responses_of, rated  # noqa: F401


def _month_row(db, staff: Staff, month: Period) -> list[str]:
    """What the monthly table must show for `month`, from the API's reporting service."""
    report = officer_report(db.session, staff.unit_id, staff.nip, month)
    if report.officers is None or report.officers.empty:
        return [month.code, "0", "–", "–", "–", "–", "belum ada tanggapan"]
    row = report.officers.iloc[0]
    model = report.officer_model
    status = "cukup" if row.sufficient else (
        f"data belum cukup (perlu sekitar "
        f"{n_for_reliability(0.70, model['tau2'], model['sigma2'])} tanggapan)")
    return [month.code, str(int(row.n)), f"{row.raw:.1f}", f"{row.shrunk:.1f}",
            f"{row.ci_low:.1f}–{row.ci_high:.1f}", f"{row.reliability:.2f}", status]


def _images(html: str) -> list[str]:
    return [base64.b64decode(data).decode() for data in
            re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)]


def test_monthly_trend_matches_the_reporting_service_month_by_month(app, db, rated):
    page = client_as(app, "staff").get(f"/saya?periode={CURRENT}")
    assert page.status_code == 200
    header, *rows = table(page.text, "tren-bulanan")
    today = local_day(utcnow(), rated.own.unit.timezone)
    months = trend_months(Period.parse(CURRENT), today)
    assert len(months) == TREND_MONTHS and months[-1].code == "2026-09"
    assert [row[0] for row in rows] == [month.code for month in months]
    for row, month in zip(rows, months):
        assert row == _month_row(db, rated.own, month), month.code
    with_data = [row for row in rows if row[1] != "0"]
    assert [row[0] for row in with_data] == ["2026-04", "2026-07"]
    assert all(row[6].startswith("data belum cukup") for row in with_data)


def test_the_trend_never_shows_a_month_of_the_future():
    quarter = Period.parse("2026-Q4")
    assert trend_months(quarter, date(2026, 11, 23))[-1].code == "2026-11"
    assert trend_months(quarter)[-1].code == "2026-12"
    assert [m.code for m in trend_months(Period.parse("2026-03"))] == \
        [f"2025-{m:02d}" for m in range(4, 13)] + ["2026-01", "2026-02", "2026-03"]
    assert [m.code for m in trend_months(Period.parse("2000-02"))] == ["2000-01", "2000-02"]


def test_own_dot_on_the_funnel_matches_the_service_and_no_other_officer_is_named(app, db, rated):
    page = client_as(app, "staff").get(f"/saya?periode={CURRENT}").text
    funnel = officer_funnel(db.session, rated.unit.unit.code, CURRENT)
    assert len(funnel) == 5  # the officer and four anonymous others of the unit
    own = funnel[funnel["officer"] == rated.own.nip].iloc[0]
    shown = {row[0]: row[1] for row in table(page, "posisi-corong")}
    assert shown["Jumlah tanggapan (n)"] == str(int(own.n))
    assert shown["Rata-rata mentah"] == f"{own.raw:.1f}"
    assert shown["Rata-rata unit"] == f"{own.target:.1f}"
    assert shown["Selisih"] == f"{own.raw - own.target:+.1f}"
    [chart] = _images(page)
    assert chart.count(">Anda<") == 1, "the own dot is labelled, once"
    assert 'id="own"' in chart
    others = db.session.scalars(select(Staff).where(Staff.id != rated.own.id)).all()
    assert {nip for nip in EXTRA_NIPS} <= {staff.nip for staff in others}
    for text in (page, chart):
        for staff in others:
            assert staff.name not in text and staff.nip not in text
    # The same holds on the page of the evaluated officer seen by their evaluator: no one else.
    seen = client_as(app, "evaluator").get(
        f"/penilaian/pegawai/{rated.evaluated.public_ref}?periode={CURRENT}").text
    for staff in others:
        if staff.id != rated.evaluated.id:
            assert staff.name not in seen and staff.nip not in seen
    assert 'id="daftar-respons"' not in seen, "only the officer sees the responses naming them"


def test_responses_naming_the_officer_show_nothing_that_identifies_the_citizen(app, db, rated):
    staff = client_as(app, "staff")
    page = staff.get(f"/saya?periode={CURRENT}").text
    header, *rows = table(page, "daftar-respons")
    counted = _responses_of(db, rated.own)
    assert len(rows) == len(counted) == 5  # the excluded one is not listed
    newest = counted[-1]
    assert rows[0][:5] == [local_day(newest.submitted_at, "Asia/Makassar").isoformat(), "–",
                           str(newest.u6), str(newest.u7), str(newest.officer_rating)]
    assert all(row[6] == "Ajukan keberatan atas respons ini" for row in rows)
    every = db.session.scalars(select(Response).where(Response.staff_id == rated.own.id)).all()
    for response in every:
        assert response.receipt not in page
        stamp = response.submitted_at.astimezone(ZoneInfo("Asia/Makassar")).strftime("%H:%M")
        assert stamp not in page  # no time of day, only the local day
    assert CONTACT not in page and EXCLUDED_COMMENT not in page
    assert _file(staff, newest.id).status_code == 303
    page = staff.get(f"/saya?periode={CURRENT}").text
    row = table(page, "daftar-respons")[1]
    assert row[6] == "Keberatan menunggu keputusan manajer unit"
    form = staff.get(f"/saya/keberatan-respons?respons={newest.id}").text
    assert "Keberatan menunggu keputusan" in form and 'name="reason"' not in form


def test_the_page_is_as_fresh_as_the_last_response(app, db, rated):
    staff = client_as(app, "staff")

    def current_n() -> str:
        rows = table(staff.get(f"/saya?periode={CURRENT}").text, "tren-bulanan")
        return dict((row[0], row[1]) for row in rows[1:])["2026-07"]

    before = int(current_n())
    template = _responses_of(db, rated.own)[0]
    response = Response(instrument_id=template.instrument_id, channel="counter_qr",
                        unit_id=template.unit_id, staff_id=rated.own.id,
                        submitted_at=template.submitted_at, u6=4, u7=4, officer_rating=4,
                        **{f"u{j}": 4 for j in (1, 2, 3, 4, 5, 8, 9)})
    db.session.add(response)
    db.session.flush()
    db.session.execute(rollup.PENDING.insert().values(response_id=response.id))  # as submitted
    db.session.commit()
    assert int(current_n()) == before + 1
