"""An officer's own page (`/saya`), an evaluator's officers (`/penilaian`) and one officer's
page (`/penilaian/pegawai/<public_ref>`). Officers' scores are personal data: only the officer,
their evaluator and admins see them (`grants.may_see_officer`); everyone else gets 403."""
from __future__ import annotations

from flask import abort, make_response, render_template, request
from flask_babel import gettext as _

from app.charts import officer_funnel_chart
from app.auth.access import current_user, signed_in
from app.extensions import db
from app.public.routes import fold_rollup_queue, public_period
from surveys.db import utcnow
from surveys.evaluations import access, coworker, objections, overview
from surveys.models import Staff
from surveys.organization import grants
from surveys.periods import local_day
from surveys.reporting import officers
from app.evaluations import bp


def _funnel_text() -> tuple[str, str, str, str]:
    """The funnel's words (those of the unit dashboard) and the officer's own dot's label."""
    return (_("Jumlah respons yang menyebut petugas (n)"), _("Selisih dari rata-rata unit"),
            _("Garis putus-putus: batas 95%; titik-titik: batas 99,8%"), _("Anda"))


def _personal(template: str, **context):
    """The page with its navigation; personal data, so never kept by a shared browser's or a
    proxy's cache."""
    user = current_user()
    nav = {"own": grants.own_staff_id(user) is not None,
           "evaluator": bool(grants.evaluated_staff_ids(user)),
           "atasan": bool(access.atasan_staff_ids(user))}
    response = make_response(render_template(template, nav=nav, **context))
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _officer_page(staff: Staff, own: bool):
    period = public_period(request.args.get("periode"))  # InvalidPeriod: 400 (app/errors.py)
    fold_rollup_queue()
    today = local_day(utcnow(), staff.unit.timezone)
    page = officers.officer_page(db.session, staff, period, today)
    # Only the officer sees the responses naming them (to object to one), never their evaluator.
    responses = objections.officer_responses(db.session, staff, period) if own else None
    funnel = officer_funnel_chart(("saya", staff.id, period.code), page.funnel, _funnel_text())
    coworkers = coworker.results(db.session, staff, period.code)  # hidden below 3 answers
    return _personal("evaluations/officer.html", page=page, own=own, responses=responses,
                     funnel_chart=funnel, coworkers=coworkers,
                     manages_coworkers=coworker.may_manage(current_user(), staff.id))


@bp.get("/saya")
@signed_in
def own():
    """The signed-in officer's own figures."""
    staff_id = grants.own_staff_id(current_user())
    if staff_id is None:
        abort(403, description=_("Akun Anda belum terhubung dengan data pegawai. "
                                 "Hubungi administrator."))
    return _officer_page(db.session.get(Staff, staff_id), own=True)


@bp.get("/penilaian")
@signed_in
def index():
    """The officers the signed-in evaluator is pejabat penilai of, in name order."""
    user = current_user()
    if not grants.evaluated_staff_ids(user):
        abort(403, description=_("Halaman ini untuk pejabat penilai. Akun Anda belum ditetapkan "
                                 "sebagai penilai pegawai mana pun."))
    period = public_period(request.args.get("periode"))
    fold_rollup_queue()
    rows = officers.evaluated_officers(db.session, user, period)
    records = overview.evaluator_overview(db.session, user, period, utcnow())
    return _personal("evaluations/index.html", rows=rows, records=records, period=period)


@bp.get("/penilaian/pegawai/<public_ref>")
@signed_in
def officer(public_ref: str):
    """One officer's page, for that officer, their evaluator and admins."""
    user = current_user()
    if not (grants.is_admin(user) or grants.evaluated_staff_ids(user)
            or grants.own_staff_id(user) is not None):
        abort(403)  # sees no officer at all: not even whether this reference exists
    staff = officers.staff_by_ref(db.session, public_ref)
    if staff is None:
        abort(404, description=_("Pegawai tidak ditemukan."))
    if not grants.may_see_officer(user, staff.id):
        abort(403, description=_("Hanya pegawai ini, pejabat penilainya, dan admin yang dapat "
                                 "melihat nilainya."))
    return _officer_page(staff, own=grants.own_staff_id(user) == staff.id)
