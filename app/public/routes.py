"""Public pages: the unit list, the survey form of a touchpoint and the thank-you page."""
from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.public import bp
from app.public.forms import SurveyForm, field_messages
from surveys import directory
from surveys.db import utcnow
from surveys.errors import InvalidSubmission, TouchpointClosed, TouchpointNotFound
from surveys.indices import UnitNotFound, unit_index
from surveys.instruments import SKM_ITEMS
from surveys.periods import InvalidPeriod
from surveys.submission import submit_response, survey_page

# The regulation's performance labels, as the visitor's language shows them.
KINERJA_LABELS = {
    "Sangat Baik": _l("Sangat Baik"),
    "Baik": _l("Baik"),
    "Kurang Baik": _l("Kurang Baik"),
    "Tidak Baik": _l("Tidak Baik"),
}


@bp.get("/")
def index():
    units = directory.public_units(db.session)
    touchpoints = directory.counter_touchpoints(db.session, [unit.id for unit in units])
    return render_template("public/index.html", units=units, touchpoints=touchpoints)


@bp.route("/s/<code>", methods=["GET", "POST"])
def survey(code: str):
    form = SurveyForm()
    errors: dict[str, str] = {}
    try:
        if request.method == "POST":
            if not form.validate_on_submit():
                abort(400, description=_("Formulir sudah kedaluwarsa atau tidak sah. "
                                         "Muat ulang halaman dan coba lagi."))
            try:
                response, _created = submit_response(
                    db.session, code, request.form, submission_key=form.submission_key.data
                )
            except InvalidSubmission as refused:
                db.session.rollback()
                errors = field_messages(refused.errors)
            else:
                db.session.commit()
                return redirect(url_for("public.thanks", receipt=response.receipt), code=303)
        page = survey_page(db.session, code, utcnow().date())
    except TouchpointNotFound:
        abort(404, description=_("Kode QR ini tidak dikenal. Periksa kembali alamat yang Anda ketik."))
    except TouchpointClosed:
        abort(410, description=_("Kode QR ini sudah tidak digunakan lagi. Terima kasih atas "
                                 "kesediaan Anda; silakan pindai kode yang terpasang di loket."))
    db.session.commit()  # the default instrument is created on first use
    form.ensure_submission_key()
    return render_template(
        "public/survey.html",
        form=form,
        page=page,
        errors=errors,
        values=request.form,
    ), (422 if errors else 200)


@bp.get("/terima-kasih/<receipt>")
def thanks(receipt: str):
    response = directory.response_by_receipt(db.session, receipt)
    if response is None:
        abort(404)
    return render_template("public/thanks.html", response=response)


@bp.get("/unit/<code>")
def unit_results(code: str):
    try:
        index = unit_index(
            db.session, code, request.args.get("periode"), utcnow().date(),
            current_app.config["PUBLIC_MIN_RESPONDENTS"],
        )
    except UnitNotFound:
        abort(404)
    except InvalidPeriod:
        abort(400, description=_("Periode tidak dikenal. Contoh: 2026, 2026-S1, 2026-Q3, 2026-07."))
    names = {item.code: item for item in SKM_ITEMS}
    return render_template("public/unit.html", index=index, names=names, kinerja=KINERJA_LABELS)
