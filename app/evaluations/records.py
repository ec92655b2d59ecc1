"""The evaluator's record pages: one officer's record for a period
(`/penilaian/pegawai/<public_ref>/<period>`, a given version at `/penilaian/rekaman/<id>`), its
forms (items, assessment, evidence pull, share, finalise, correction) and the printable PDF.

Each POST parses its form, calls one service of surveys.evaluations.records and commits once.
A refusal rolls back, except 'final_read_only', whose audit row the service wrote before
refusing: that one is committed, so the log keeps every attempt to change a final record.
"""
from __future__ import annotations

from flask import abort, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from app.auth.access import current_user, signed_in
from app.evaluations import bp
from app.evaluations.record_forms import (
    RATING_LABELS,
    AssessmentForm,
    ButtonForm,
    CorrectionForm,
    FinalizeForm,
    ItemForm,
    refusal_message,
    refusal_status,
)
from app.evaluations.routes import _personal
from app.extensions import db
from surveys.db import utcnow
from surveys.errors import RecordRefused
from surveys.evaluations import access, keberatan, overview, records
from surveys.exchange.record_pdf import record_pdf
from surveys.models import EvaluationRecord, Staff
from surveys.models.evaluation import BEHAVIOURS
from surveys.organization import grants
from surveys.periods import Period
from surveys.reporting import officers


def _evaluator_staff(public_ref: str) -> Staff:
    """The officer of the URL, for their evaluator or an admin (403 for everyone else)."""
    user = current_user()
    if not (grants.is_admin(user) or grants.evaluated_staff_ids(user)):
        abort(403, description=_("Halaman ini untuk pejabat penilai."))
    staff = officers.staff_by_ref(db.session, public_ref)
    if staff is None:
        abort(404, description=_("Pegawai tidak ditemukan."))
    if not access.may_evaluate(user, staff.id):
        abort(403, description=_("Anda bukan pejabat penilai pegawai ini."))
    return staff


def _evaluator_record(record_id: int) -> EvaluationRecord:
    user = current_user()
    if not (grants.is_admin(user) or grants.evaluated_staff_ids(user)):
        abort(403, description=_("Halaman ini untuk pejabat penilai."))
    record = db.session.get(EvaluationRecord, record_id)
    if record is None or not access.may_evaluate(user, record.staff_id):
        abort(404, description=_("Rekaman tidak ditemukan."))
    return record


def _item_form(record: EvaluationRecord, formdata=None, **values) -> ItemForm:
    form = ItemForm(formdata=formdata, **values)
    form.iku_target_id.choices = [SelectChoice("", _("(tidak terkait IKU)"))] + [
        SelectChoice(str(target.id), f"{target.indicator} >= {target.target:g} ({target.period})")
        for target in records.iku_targets(db.session, record)]
    return form


def _assessment_form(record: EvaluationRecord, formdata=None) -> AssessmentForm:
    values = {f"behaviour_{code}": (record.behaviour_notes or {}).get(code, "")
              for code in BEHAVIOURS}
    form = AssessmentForm(formdata=formdata, hasil_rating=record.hasil_rating or "",
                          perilaku_rating=record.perilaku_rating or "",
                          feedback=record.feedback or "", **values)
    choices = [SelectChoice("", _("(belum dinilai)"))] + [
        SelectChoice(code, str(label)) for code, label in RATING_LABELS.items()]
    form.hasil_rating.choices = choices
    form.perilaku_rating.choices = list(choices)
    return form


def _record_page(staff: Staff, period: Period, record: EvaluationRecord | None,
                 status: int = 200, **forms):
    versions = records.records_of(db.session, staff.id, period.code)
    pages = {"new_item": _item_form(record) if record else None,
             "assessment": _assessment_form(record) if record else None,
             "button": ButtonForm(formdata=None), "finalize": FinalizeForm(formdata=None),
             "correction": CorrectionForm(formdata=None)}
    pages.update(forms)
    items = {} if record is None else {
        item.id: _item_form(record, prefix=f"b{item.id}", indicator=item.indicator,
                            target=item.target, realisation=item.realisation or "",
                            evidence_link=item.evidence_link or "", note=item.note or "",
                            iku_target_id=str(item.iku_target_id or ""))
        for item in record.items}
    items.update(pages.pop("items", {}))
    response = _personal("evaluations/record.html", staff=staff, period=period, record=record,
                         versions=versions, item_forms=items, behaviours=BEHAVIOURS,
                         latest=versions[-1] if versions else None,
                         wider=overview.wider_periods(period),
                         last_day=record and keberatan.last_day(record),
                         successor=record and records.successor(db.session, record), **pages)
    response.status_code = status
    return response


@bp.get("/penilaian/pegawai/<public_ref>/<period_code>")
@signed_in
def record_page(public_ref: str, period_code: str):
    """The latest version of the officer's record for the period (or the button to open it)."""
    staff = _evaluator_staff(public_ref)
    period = Period.parse(period_code)  # InvalidPeriod: 400
    return _record_page(staff, period, records.latest(db.session, staff.id, period.code))


@bp.get("/penilaian/rekaman/<int:record_id>")
@signed_in
def record_version(record_id: int):
    record = _evaluator_record(record_id)
    return _record_page(record.staff, Period.parse(record.period), record)


def _refused(record_or_staff, period: Period, error: RecordRefused, form=None, **forms):
    """The page again with the refusal's message (the logged refusal's audit row kept)."""
    if records.refusal_is_logged(error):
        db.session.commit()
    else:
        db.session.rollback()
    message = refusal_message(error)
    if form is not None and error.field and hasattr(form, error.field):
        getattr(form, error.field).errors = [message]
    else:
        flash(message)
    if isinstance(record_or_staff, Staff):
        return _record_page(record_or_staff, period, None, refusal_status(error), **forms)
    record = db.session.get(EvaluationRecord, record_or_staff.id)
    return _record_page(record.staff, period, record, refusal_status(error), **forms)


def _done(record: EvaluationRecord, message: str):
    db.session.commit()
    flash(message)
    return redirect(url_for("evaluations.record_version", record_id=record.id), code=303)


def _form_invalid(record: EvaluationRecord, **forms):
    return _record_page(record.staff, Period.parse(record.period), record, 400, **forms)


@bp.post("/penilaian/pegawai/<public_ref>/<period_code>/buka")
@signed_in
def open_record(public_ref: str, period_code: str):
    staff = _evaluator_staff(public_ref)
    period = Period.parse(period_code)
    if not ButtonForm().validate():
        abort(400)
    try:
        record = records.open_record(db.session, current_user(), staff, period.code, utcnow())
    except RecordRefused as error:
        return _refused(staff, period, error)
    return _done(record, _("Rekaman dibuka sebagai draf."))


def _item_fields(form: ItemForm) -> dict:
    return {name: getattr(form, name).data for name in records.ITEM_FIELDS}


@bp.post("/penilaian/rekaman/<int:record_id>/butir")
@signed_in
def add_item(record_id: int):
    record = _evaluator_record(record_id)
    form = _item_form(record, request.form)
    if not form.validate():
        return _form_invalid(record, new_item=form)
    try:
        records.add_item(db.session, current_user(), record, _item_fields(form), utcnow())
    except RecordRefused as error:
        return _refused(record, Period.parse(record.period), error, form, new_item=form)
    return _done(record, _("Butir hasil kerja ditambahkan."))


@bp.post("/penilaian/rekaman/<int:record_id>/butir/<int:item_id>")
@signed_in
def edit_item(record_id: int, item_id: int):
    record = _evaluator_record(record_id)
    form = _item_form(record, request.form, prefix=f"b{item_id}")
    if not form.validate():
        return _form_invalid(record, items={item_id: form})
    try:
        records.edit_item(db.session, current_user(), record, item_id, _item_fields(form),
                          utcnow())
    except RecordRefused as error:
        return _refused(record, Period.parse(record.period), error, form, items={item_id: form})
    return _done(record, _("Butir hasil kerja disimpan."))


@bp.post("/penilaian/rekaman/<int:record_id>/butir/<int:item_id>/hapus")
@signed_in
def remove_item(record_id: int, item_id: int):
    record = _evaluator_record(record_id)
    if not ButtonForm().validate():
        abort(400)
    try:
        records.remove_item(db.session, current_user(), record, item_id)
    except RecordRefused as error:
        return _refused(record, Period.parse(record.period), error)
    return _done(record, _("Butir hasil kerja dihapus."))


@bp.post("/penilaian/rekaman/<int:record_id>/penilaian")
@signed_in
def save_assessment(record_id: int):
    record = _evaluator_record(record_id)
    form = _assessment_form(record, request.form)
    if not form.validate():
        return _form_invalid(record, assessment=form)
    notes = {code: getattr(form, f"behaviour_{code}").data for code in BEHAVIOURS}
    try:
        records.save_assessment(db.session, current_user(), record, behaviour_notes=notes,
                                hasil=form.hasil_rating.data, perilaku=form.perilaku_rating.data,
                                feedback=form.feedback.data)
    except RecordRefused as error:
        return _refused(record, Period.parse(record.period), error, form, assessment=form)
    return _done(record, _("Penilaian disimpan."))


@bp.post("/penilaian/rekaman/<int:record_id>/<any(bukti, bagikan):step>")
@signed_in
def step(record_id: int, step: str):
    """Pull the evidence (again), or share the draft with the officer."""
    record = _evaluator_record(record_id)
    if not ButtonForm().validate():
        abort(400)
    service = records.pull_evidence if step == "bukti" else records.share
    try:
        service(db.session, current_user(), record, utcnow())
    except RecordRefused as error:
        return _refused(record, Period.parse(record.period), error)
    return _done(record, _("Bukti penilaian warga ditarik ke rekaman.") if step == "bukti" else
                 _("Rekaman dibagikan kepada pegawai."))


@bp.post("/penilaian/rekaman/<int:record_id>/finalkan")
@signed_in
def finalize(record_id: int):
    record = _evaluator_record(record_id)
    form = FinalizeForm()
    if not form.validate():
        return _form_invalid(record, finalize=form)
    try:
        records.finalize(db.session, current_user(), record, utcnow())
    except RecordRefused as error:
        return _refused(record, Period.parse(record.period), error)
    return _done(record, _("Rekaman difinalkan. Pegawai dapat menyatakan menerima atau "
                           "mengajukan keberatan dalam 14 hari."))


@bp.post("/penilaian/rekaman/<int:record_id>/koreksi")
@signed_in
def correct(record_id: int):
    record = _evaluator_record(record_id)
    form = CorrectionForm()
    if not form.validate():
        return _form_invalid(record, correction=form)
    try:
        new = records.correct(db.session, current_user(), record, form.reason.data, utcnow())
    except RecordRefused as error:
        return _refused(record, Period.parse(record.period), error, form, correction=form)
    return _done(new, _("Koreksi dibuat sebagai versi %(version)s (draf). Tarik bukti lagi "
                        "untuk versi ini.", version=new.version))


@bp.get("/penilaian/rekaman/<int:record_id>.pdf")
@signed_in
def record_pdf_file(record_id: int):
    """The printable record, for the officer (not a draft), their evaluator, their atasan (not
    a draft) and admins."""
    user = current_user()
    if not (grants.is_admin(user) or grants.evaluated_staff_ids(user)
            or grants.own_staff_id(user) is not None or access.atasan_staff_ids(user)):
        abort(403)
    record = db.session.get(EvaluationRecord, record_id)
    if record is None or not access.may_view(user, record):
        abort(404, description=_("Rekaman tidak ditemukan."))
    response = make_response(record_pdf(record))
    response.headers["Content-Type"] = "application/pdf"
    name = f"rekaman-{record.staff.nip}-{record.period}-v{record.version}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
