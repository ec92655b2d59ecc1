"""The officer's own page (`/saya`), the evaluator's list (`/penilaian`) and one officer's page:
figures as the reporting service computes them, "data belum cukup" below reliability 0.70, the
officer's own comments only, nothing of other officers, and homes by grant."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from analysis.officers import n_for_reliability
from surveys.models import ReplyRequest, Response, RoleGrant, Staff
from surveys.periods import Period
from surveys.reporting.officers import previous_period
from surveys.reporting.service import officer_report
from tests.access.cast import cast, client_as
from tests.evaluations.data import (
    COMMENT_OF,
    CONTACT,
    CURRENT,
    EXCLUDED_COMMENT,
    PREVIOUS,
    rate_officers,
    rate_one,
)
from tests.evaluations.pages import table
from tests.factories import PASSWORD, add_user, hidden_fields


@pytest.fixture
def rated(db):
    people = cast(db)
    rate_officers(db, people)
    return people


def expected(db, staff: Staff, period: str) -> dict[str, str]:
    """What the page must show for `staff` in `period`, from the API's reporting service."""
    report = officer_report(db.session, staff.unit_id, staff.nip, Period.parse(period))
    row = report.officers.iloc[0]
    needed = n_for_reliability(0.70, report.officer_model["tau2"], report.officer_model["sigma2"])
    return {"n": str(int(row.n)), "raw": f"{row.raw:.1f}", "shrunk": f"{row.shrunk:.1f}",
            "interval": f"{row.ci_low:.1f}–{row.ci_high:.1f}",
            "reliability": f"{row.reliability:.2f}", "unit_mean": f"{row.unit_mean:.1f}",
            "sufficient": bool(row.sufficient), "needed": needed}


def columns(html: str, table_id: str) -> dict[str, dict[str, str]]:
    """A period-by-column table read as {period: {row label: cell}}."""
    header, *rows = table(html, table_id)
    return {period: {row[0]: row[i] for row in rows} for i, period in enumerate(header) if i}


def test_own_page_shows_the_reporting_service_figures_of_both_periods(app, db, rated):
    page = client_as(app, "staff").get(f"/saya?periode={CURRENT}")
    assert page.status_code == 200
    shown = columns(page.text, "periode-ini")
    assert list(shown) == [CURRENT, PREVIOUS]
    for period in (CURRENT, PREVIOUS):
        want = expected(db, rated.own, period)
        assert not want["sufficient"]  # the thinly rated officer: reliability below 0.70
        got = shown[period]
        assert (got["Jumlah tanggapan (n)"], got["Rata-rata mentah"],
                got["Perkiraan (empirical Bayes)"], got["Interval 95%"], got["Keandalan"],
                got["Rata-rata unit"]) == (want["n"], want["raw"], want["shrunk"],
                                           want["interval"], want["reliability"],
                                           want["unit_mean"])
        assert got["Status"] == f"data belum cukup (perlu sekitar {want['needed']} tanggapan)"
    assert "Data belum cukup" in page.text  # the headline says it too
    assert page.headers["Cache-Control"] == "private, no-store"


def test_trend_lists_four_periods_ending_with_the_chosen_one(app, db, rated):
    page = client_as(app, "staff").get(f"/saya?periode={CURRENT}").text
    header, *rows = table(page, "tren")
    assert [row[0] for row in rows] == ["2025-Q4", "2026-Q1", PREVIOUS, CURRENT]
    assert rows[0][1:] == ["0", "–", "–", "–", "–", "belum ada tanggapan"]
    want = expected(db, rated.own, CURRENT)
    assert rows[-1][1:6] == [want["n"], want["raw"], want["shrunk"], want["interval"],
                             want["reliability"]]


def test_evaluator_sees_their_officer_with_the_same_figures_and_nobody_else(app, db, rated):
    evaluator = client_as(app, "evaluator")
    listing = evaluator.get(f"/penilaian?periode={CURRENT}")
    assert listing.status_code == 200
    header, *rows = table(listing.text, "pegawai")
    assert [row[1] if len(row) == 8 else row[0] for row in rows] == [CURRENT, PREVIOUS]
    assert rows[0][0].startswith(rated.evaluated.name)
    for row, period in ((rows[0][1:], CURRENT), (rows[1], PREVIOUS)):
        want = expected(db, rated.evaluated, period)
        assert want["sufficient"]
        assert row == [period, want["n"], want["raw"], want["shrunk"], want["interval"],
                       want["reliability"], "cukup"]
    for name in (rated.own.name, rated.unit.other_unit_officer.name, "Rekan 0"):
        assert name not in listing.text
    link = f"/penilaian/pegawai/{rated.evaluated.public_ref}?periode={CURRENT}"
    assert f'href="{link}"' in listing.text
    detail = evaluator.get(link)
    assert detail.status_code == 200
    assert columns(detail.text, "periode-ini")[CURRENT]["Perkiraan (empirical Bayes)"] == \
        expected(db, rated.evaluated, CURRENT)["shrunk"]
    assert "data belum cukup" not in detail.text.split('id="tren"')[0]


def test_evaluator_list_is_in_name_order_never_a_ranking(app, db, rated):
    evaluator = db.session.scalars(select(Staff).where(Staff.name == "Rekan 0")).one()
    user_id = db.session.scalar(select(RoleGrant.user_id).where(RoleGrant.role == "evaluator"))
    db.session.add_all([RoleGrant(user_id=user_id, role="evaluator", staff_id=staff_id)
                        for staff_id in (rated.own.id, evaluator.id)])
    db.session.commit()
    rows = table(client_as(app, "evaluator").get(f"/penilaian?periode={CURRENT}").text,
                 "pegawai")[1:]
    first_rows = [row for row in rows if len(row) == 8]
    names = [row[0].split(" Pengadministrasi")[0].split(" Verifikator")[0].split(" Staf")[0]
             for row in first_rows]
    assert names == ["Maria Ndun", "Rekan 0", "Yohanes Lake"]
    scores = [float(row[4]) for row in first_rows]
    assert scores != sorted(scores) and scores != sorted(scores, reverse=True)


def test_own_page_shows_only_their_comments_never_a_contact_or_receipt(app, db, rated):
    page = client_as(app, "staff").get(f"/saya?periode={CURRENT}").text
    assert COMMENT_OF[1] in page
    assert "1 komentar terbaru dari 1" in page
    for hidden in (COMMENT_OF[0], EXCLUDED_COMMENT, CONTACT, "Komentar untuk petugas unit lain"):
        assert hidden not in page
    receipts = db.session.scalars(select(Response.receipt).where(
        Response.staff_id == rated.own.id))
    assert not any(receipt in page for receipt in receipts)
    assert db.session.scalar(select(ReplyRequest.contact)) == CONTACT  # it exists, unseen


def test_refused_people_see_no_officer_figure(app, db, rated):
    ref = rated.evaluated.public_ref
    for role in ("manager", "other_manager", "staff", "no_role"):
        refused = client_as(app, role).get(f"/penilaian/pegawai/{ref}?periode={CURRENT}")
        assert refused.status_code == 403
        assert rated.evaluated.name not in refused.text
        assert expected(db, rated.evaluated, CURRENT)["shrunk"] not in refused.text
    elsewhere = f"/penilaian/pegawai/{rated.unit.other_unit_officer.public_ref}"
    assert client_as(app, "admin").get(elsewhere).status_code == 200
    for role in ("other_manager", "evaluator", "staff"):  # the other unit's officer
        assert client_as(app, role).get(elsewhere).status_code == 403
    for path in ("/saya", "/penilaian", f"/penilaian/pegawai/{ref}"):  # nothing to write
        assert client_as(app, "admin").post(path).status_code == 405


def test_without_a_fitted_model_the_page_shows_n_and_raw_mean_as_insufficient(app, db):
    people = cast(db)  # one officer named only: τ² cannot be estimated
    made = rate_one(db, people.own, 8)
    scores = [25 * sum(v for v in (r.u6, r.u7, r.officer_rating)) / 3 for r in made]
    got = columns(client_as(app, "staff").get(f"/saya?periode={CURRENT}").text,
                  "periode-ini")[CURRENT]
    assert got["Jumlah tanggapan (n)"] == "8"
    assert got["Rata-rata mentah"] == f"{sum(scores) / 8:.1f}"
    assert got["Perkiraan (empirical Bayes)"] == "–"
    assert got["Status"] == "data belum cukup"


@pytest.mark.parametrize(("code", "before"), [
    ("2026", "2025"), ("2026-S1", "2025-S2"), ("2026-S2", "2026-S1"), ("2026-Q1", "2025-Q4"),
    ("2026-Q3", "2026-Q2"), ("2026-01", "2025-12"), ("2026-07", "2026-06"), ("2000-Q1", None),
])
def test_previous_period_is_the_same_kind_just_before(code, before):
    found = previous_period(Period.parse(code))
    assert (found and found.code) == before


def test_hostile_period_is_a_clear_400(app, db, rated):
    page = client_as(app, "staff").get("/saya?periode=" + "9" * 5000)
    assert page.status_code == 400
    assert "Periode tidak dikenal" in page.text


@pytest.mark.parametrize(("grants", "home"), [
    (("unit_manager", "evaluator", "staff"), "/admin/unit/dukcapil"),
    (("evaluator", "staff"), "/penilaian"),
    (("staff",), "/saya"),
])
def test_someone_with_several_grants_lands_on_the_first_home(app, db, grants, home):
    people = cast(db)
    user = add_user(db, "kepala")
    scopes = {"unit_manager": {"unit_id": people.unit.unit.id},
              "evaluator": {"staff_id": people.evaluated.id},
              "staff": {"staff_id": people.own.id}}
    db.session.add_all([RoleGrant(user_id=user.id, role=role, **scopes[role]) for role in grants])
    db.session.commit()
    client = app.test_client()
    signed_in = client.post("/auth/masuk", data={**hidden_fields(client.get("/auth/masuk").text),
                                                 "username": "kepala", "password": PASSWORD})
    assert signed_in.headers["Location"] == home
    assert client.get(home).status_code == 200


def test_a_manager_who_also_evaluates_finds_their_officers_from_the_admin_pages(app, db):
    people = cast(db)
    manager_id = db.session.scalar(select(RoleGrant.user_id).where(
        RoleGrant.role == "unit_manager", RoleGrant.unit_id == people.unit.unit.id))
    plain = client_as(app, "manager").get("/admin/").text
    assert 'href="/penilaian"' not in plain and 'href="/saya"' not in plain
    db.session.add_all([RoleGrant(user_id=manager_id, role="evaluator", staff_id=people.own.id),
                        RoleGrant(user_id=manager_id, role="staff", staff_id=people.evaluated.id)])
    db.session.commit()
    page = client_as(app, "manager").get("/admin/").text
    assert 'href="/penilaian"' in page and 'href="/saya"' in page
