"""An officer's objection to one response that names them: the form (`/saya/keberatan-respons
?respons=<id>`) and its POST. The response is shown as on /saya (local day, service, the officer
answers, the comment); a refusal shows the form again with the typed reason and a 4xx."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from app.auth.access import current_user, signed_in
from app.evaluations import bp
from app.evaluations.objection_forms import ObjectionForm, parse_id, refusal, shown_text
from app.evaluations.routes import _personal
from app.extensions import db
from surveys.errors import RecordRefused
from surveys.evaluations import objections
from surveys.organization import grants
from surveys.periods import Period


def _officer_only():
    if grants.own_staff_id(current_user()) is None:
        abort(403, description=_("Akun Anda belum terhubung dengan data pegawai. "
                                 "Hubungi administrator."))


def _form_page(response_id: int, form: ObjectionForm, status: int = 200,
               problem: str | None = None):
    """The objection form of a response naming the signed-in officer (404 for any other)."""
    try:
        row = objections.own_response(db.session, current_user(), response_id)
    except RecordRefused as error:
        db.session.rollback()
        code, message = refusal(error)
        abort(code, description=message)
    errors = [str(error) for field in form for error in field.errors]
    if problem:
        errors.append(problem)
    page = _personal("evaluations/objection.html", row=row, form=form, errors=errors,
                     reason=shown_text(form.reason.data), response_id=response_id,
                     period=Period.quarter_of(row.day))
    return page, status


@bp.get("/saya/keberatan-respons")
@signed_in
def objection_form():
    """The form: "Ajukan keberatan atas respons ini"; without a response, how to choose one."""
    _officer_only()
    if "respons" not in request.args:
        return _personal("evaluations/objection_start.html")
    response_id = parse_id(request.args.get("respons"))
    if response_id is None:
        abort(400, description=_("Nomor respons tidak sah. Buka lagi daftar respons di "
                                 "halaman Anda."))
    return _form_page(response_id, ObjectionForm(formdata=None))


@bp.post("/saya/keberatan-respons")
@signed_in
def file_objection():
    _officer_only()
    form = ObjectionForm()
    if not form.validate():
        if form.respons.data is None:
            abort(400, description=_("Nomor respons tidak sah. Buka lagi daftar respons di "
                                     "halaman Anda."))
        return _form_page(form.respons.data, form, 400)
    try:
        objection = objections.file_objection(db.session, current_user(), form.respons.data,
                                              form.reason.data)
    except RecordRefused as error:
        db.session.rollback()
        code, message = refusal(error)
        if error.code == "not_found":
            abort(code, description=message)
        return _form_page(form.respons.data, form, code, message)
    day = objections.own_response(db.session, current_user(), objection.response_id).day
    db.session.commit()
    flash(_("Keberatan Anda tercatat dan menunggu keputusan manajer unit."))
    return redirect(url_for("evaluations.own", periode=Period.quarter_of(day).code,
                            _anchor=f"respons-{objection.response_id}"), code=303)
