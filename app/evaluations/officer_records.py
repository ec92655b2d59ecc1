"""The officer's records (`/saya/penilaian`: shared and final versions, never drafts) with
acknowledgement and keberatan, and the atasan's keberatan (`/penilaian/keberatan`: only those
addressed to them) with the decision form. Each POST calls one service and commits once."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from app.auth.access import current_user, signed_in
from app.evaluations import bp
from app.evaluations.record_forms import (
    DECISION_LABELS,
    ButtonForm,
    DecisionForm,
    KeberatanForm,
    refusal_message,
    refusal_status,
)
from app.evaluations.routes import _personal
from app.extensions import db
from surveys.db import utcnow
from surveys.errors import RecordRefused
from surveys.evaluations import access, keberatan, overview
from surveys.models import EvaluationRecord, Keberatan
from surveys.organization import grants


def _own_staff_id() -> int:
    staff_id = grants.own_staff_id(current_user())
    if staff_id is None:
        abort(403, description=_("Akun Anda belum terhubung dengan data pegawai. "
                                 "Hubungi administrator."))
    return staff_id


def _own_record(record_id: int) -> EvaluationRecord:
    staff_id = _own_staff_id()
    record = db.session.get(EvaluationRecord, record_id)
    if record is None or record.staff_id != staff_id or record.status == "draft":
        abort(404, description=_("Rekaman tidak ditemukan."))
    return record


@bp.get("/saya/penilaian")
@signed_in
def own_records():
    staff_id = _own_staff_id()
    return _personal("evaluations/own_records.html",
                     records=overview.officer_records(db.session, staff_id))


def _own_page(record: EvaluationRecord, status: int = 200, form: KeberatanForm | None = None):
    now = utcnow()
    response = _personal("evaluations/own_record.html", record=record,
                         form=form or KeberatanForm(formdata=None),
                         button=ButtonForm(formdata=None),
                         window_open=keberatan.window_open(record, now),
                         last_day=keberatan.last_day(record))
    response.status_code = status
    return response


@bp.get("/saya/penilaian/<int:record_id>")
@signed_in
def own_record(record_id: int):
    return _own_page(_own_record(record_id))


def _refused(record: EvaluationRecord, error: RecordRefused, form=None):
    db.session.rollback()
    message = refusal_message(error)
    if form is not None and error.field == "reasons":
        form.reasons.errors = [message]
    else:
        flash(message)
    return _own_page(db.session.get(EvaluationRecord, record.id), refusal_status(error), form)


@bp.post("/saya/penilaian/<int:record_id>/terima")
@signed_in
def acknowledge(record_id: int):
    record = _own_record(record_id)
    if not ButtonForm().validate():
        abort(400)
    try:
        keberatan.acknowledge(db.session, current_user(), record, utcnow())
    except RecordRefused as error:
        return _refused(record, error)
    db.session.commit()
    flash(_("Anda menyatakan telah menerima rekaman ini."))
    return redirect(url_for("evaluations.own_record", record_id=record.id), code=303)


@bp.post("/saya/penilaian/<int:record_id>/keberatan")
@signed_in
def file_keberatan(record_id: int):
    record = _own_record(record_id)
    form = KeberatanForm()
    if not form.validate():
        return _own_page(record, 400, form)
    try:
        keberatan.file_keberatan(db.session, current_user(), record, form.reasons.data, utcnow())
    except RecordRefused as error:
        return _refused(record, error, form)
    db.session.commit()
    flash(_("Keberatan diajukan kepada atasan pejabat penilai."))
    return redirect(url_for("evaluations.own_record", record_id=record.id), code=303)


def _decision_form(keberatan_id: int, formdata=None) -> DecisionForm:
    form = DecisionForm(formdata=formdata, prefix=f"k{keberatan_id}")  # one form per keberatan
    form.decision.choices = [SelectChoice("", _("(pilih keputusan)"))] + [
        SelectChoice(code, str(label)) for code, label in DECISION_LABELS.items()]
    return form


def _keberatan_page(status: int = 200, forms: dict | None = None):
    user = current_user()
    rows = access.keberatan_for(db.session, user)
    decision_forms = {row.id: _decision_form(row.id) for row in rows if row.decision is None}
    decision_forms.update(forms or {})
    response = _personal("evaluations/keberatan.html", rows=rows, forms=decision_forms,
                         decisions=DECISION_LABELS)
    response.status_code = status
    return response


def _atasan_only() -> None:
    if not access.atasan_staff_ids(current_user()):
        abort(403, description=_("Halaman ini untuk atasan pejabat penilai."))


@bp.get("/penilaian/keberatan")
@signed_in
def keberatan_list():
    """The keberatan addressed to the signed-in atasan, and nobody else's."""
    _atasan_only()
    return _keberatan_page()


@bp.post("/penilaian/keberatan/<int:keberatan_id>/putuskan")
@signed_in
def decide(keberatan_id: int):
    _atasan_only()
    row = db.session.get(Keberatan, keberatan_id)
    if row is None or not access.addressed_to(current_user(), row.record):
        abort(404, description=_("Keberatan tidak ditemukan."))
    form = _decision_form(row.id, request.form)
    if not form.validate():
        return _keberatan_page(400, {row.id: form})
    try:
        keberatan.decide_keberatan(db.session, current_user(), row, form.decision.data,
                                   form.note.data, utcnow())
    except RecordRefused as error:
        db.session.rollback()
        message = refusal_message(error)
        field = form.decision if error.field == "decision" else form.note
        if error.field:
            field.errors = [message]
        else:
            flash(message)
        return _keberatan_page(refusal_status(error), {row.id: form})
    db.session.commit()
    flash(_("Keputusan atas keberatan disimpan. Keputusan ini final."))
    return redirect(url_for("evaluations.keberatan_list"), code=303)
