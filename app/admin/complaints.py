"""A unit's complaint inbox `/admin/unit/<code>/pengaduan` and one complaint's page (issue 14):
the comments whose citizens asked for a reply, with status, due day, overdue mark and handler;
the case with its context and the citizen's contact (shown only here), and the forms to assign
it, set its status, reply to the citizen and publish or withdraw a moderated public reply.
Managers of the unit (or a parent unit) and admins."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from app.admin import bp
from app.admin.complaint_forms import (
    STATUS_NAMES,
    AssignForm,
    PublicReplyForm,
    ReplyForm,
    StatusForm,
    UnpublishForm,
)
from app.admin.routes import manager_only
from app.auth.access import current_user
from app.extensions import db
from surveys.complaints import reads, service
from surveys.complaints.rules import TEXT_MAX
from surveys.db import utcnow
from surveys.errors import ComplaintRefused
from surveys.models import Complaint, Unit
from surveys.models.complaint import REPLY_WORKING_DAYS
from surveys.organization.touchpoints import managed_unit

FILTER_MAX = 20  # longer than any status: no filter
# Refusals of the input: 400; of the complaint's state: 409.
INPUT_CODES = ("required", "too_long", "control", "unknown_handler", "unknown_status",
               "personal_data", "officer_name")


def filter_names() -> dict[str, str]:
    """The inbox's filters as the visitor's language names them ("" is every complaint)."""
    return {"": _("semua"), **{k: str(v) for k, v in STATUS_NAMES.items()},
            reads.OVERDUE: _("terlambat")}


def refusal_message(refused: ComplaintRefused) -> str:
    """The Indonesian message of the service's ComplaintRefused codes."""
    if refused.code == "required":
        return (_("Balasan publik wajib diisi.") if refused.field == "public_reply"
                else _("Balasan wajib diisi."))
    return {
        "too_long": _("Paling banyak %(n)s karakter.", n=TEXT_MAX),
        "control": _("Teks berisi karakter kendali yang tidak diizinkan."),
        "unknown_handler": _("Pilih penanggung jawab dari daftar: orang yang punya peran pada "
                             "unit ini."),
        "unknown_status": _("Status tidak dikenal. Pilih baru, diproses, atau selesai."),
        "personal_data": _("Balasan publik tidak boleh memuat alamat e-mail atau nomor telepon "
                           "(juga NIK atau NIP). Hapus data pribadi itu, lalu terbitkan lagi."),
        "officer_name": _("Balasan publik tampil di portal: jangan cantumkan nama pegawai. Tulis "
                          "jabatannya, misalnya \"petugas loket\"."),
        "reply_required": _("Pengaduan baru dapat diselesaikan setelah balasan kepada warga "
                            "ditulis."),
        "not_published": _("Balasan publik pengaduan ini belum diterbitkan."),
    }.get(refused.code, _("Permintaan tidak dapat diproses."))


def _unit(code: str) -> Unit:
    return managed_unit(db.session, current_user(), code)


def _complaint(unit: Unit, complaint_id: int) -> Complaint:
    """The complaint of the unit (or a sub-unit) with this id; 404 for another unit's or an
    unknown one."""
    row = reads.complaint_in(db.session, unit, complaint_id)
    if row is None:
        abort(404, description=_("Pengaduan tidak ditemukan di unit ini."))
    return row


@bp.get("/unit/<code>/pengaduan")
@manager_only
def complaints(code: str):
    """The inbox, open complaints first by due day; `?status=` baru, diproses, selesai or
    terlambat."""
    unit = _unit(code)
    wanted = request.args.get("status", "").strip()
    if len(wanted) > FILTER_MAX or (wanted and wanted not in reads.FILTERS):
        abort(400, description=_("Status tidak dikenal. Pilih baru, diproses, selesai, atau "
                                 "terlambat."))
    now = utcnow()
    return render_template(
        "admin/complaints/inbox.html", unit=unit, wanted=wanted, filters=filter_names(),
        inbox=reads.inbox(db.session, unit, wanted or None, now),
        counts=reads.open_counts(db.session, unit, now), status_names=STATUS_NAMES,
        reply_days=REPLY_WORKING_DAYS)


def _page(unit: Unit, row: Complaint, *, failed: FlaskForm | None = None,
          problem: str | None = None, status: int = 200):
    case = reads.case_view(db.session, row, current_user(), utcnow())
    assign = AssignForm(formdata=None, handler=str(row.handler_id or ""))
    assign.handler.choices = [SelectChoice("", _("belum ada"))] + [
        SelectChoice(str(user.id), user.display_name) for user in case.candidates]
    forms = {"assign": assign, "status": StatusForm(formdata=None, status=row.status),
             "reply": ReplyForm(formdata=None, reply=row.reply or ""),
             "public": PublicReplyForm(formdata=None, public_reply=row.public_reply or ""),
             "unpublish": UnpublishForm(formdata=None)}
    if failed is not None:  # the refused form keeps what was typed and its messages
        name = next(name for name, form in forms.items() if type(form) is type(failed))
        if name == "assign":
            failed.handler.choices = assign.handler.choices
        forms[name] = failed
    return render_template("admin/complaints/case.html", unit=unit, case=case, row=row,
                           forms=forms, status_names=STATUS_NAMES, problem=problem,
                           text_max=TEXT_MAX), status


@bp.get("/unit/<code>/pengaduan/<int:complaint_id>")
@manager_only
def complaint(code: str, complaint_id: int):
    unit = _unit(code)
    return _page(unit, _complaint(unit, complaint_id))


def _refused(unit: Unit, row: Complaint, form: FlaskForm, field: str,
             refused: ComplaintRefused):
    """The page again with the refusal's message on the form's field (or the page)."""
    db.session.rollback()
    db.session.refresh(row)
    message = refusal_message(refused)
    target = getattr(form, refused.field or field, None)
    if target is not None and refused.code in INPUT_CODES:
        target.errors = [*target.errors, message]
        return _page(unit, row, failed=form, status=400)
    return _page(unit, row, failed=form, problem=message, status=409)


def _done(unit: Unit, row: Complaint, message: str):
    db.session.commit()
    flash(message)
    return redirect(url_for("admin.complaint", code=unit.code, complaint_id=row.id), code=303)


def _post(code: str, complaint_id: int, form_class, field: str, act, message: str):
    """One form of the complaint's page: parse it, call the service once, commit once."""
    unit = _unit(code)
    row = _complaint(unit, complaint_id)
    form = form_class()
    if not form.validate_on_submit():
        return _page(unit, row, failed=form, status=400)
    try:
        act(form, row)
    except ComplaintRefused as refused:
        return _refused(unit, row, form, field, refused)
    return _done(unit, row, message)


@bp.post("/unit/<code>/pengaduan/<int:complaint_id>/penanggung-jawab")
@manager_only
def assign_complaint(code: str, complaint_id: int):
    def act(form, row):
        service.assign(db.session, current_user(), row, form.handler.data or None)
    return _post(code, complaint_id, AssignForm, "handler", act,
                 _("Penanggung jawab pengaduan disimpan."))


@bp.post("/unit/<code>/pengaduan/<int:complaint_id>/status")
@manager_only
def complaint_status(code: str, complaint_id: int):
    def act(form, row):
        service.set_status(db.session, current_user(), row, form.status.data, utcnow())
    return _post(code, complaint_id, StatusForm, "status", act, _("Status pengaduan disimpan."))


@bp.post("/unit/<code>/pengaduan/<int:complaint_id>/balasan")
@manager_only
def reply_complaint(code: str, complaint_id: int):
    def act(form, row):
        service.write_reply(db.session, current_user(), row, form.reply.data, utcnow())
    return _post(code, complaint_id, ReplyForm, "reply", act,
                 _("Balasan disimpan. Kirimkan balasan ini ke kontak warga; warga juga dapat "
                   "membacanya dengan nomor tanda terimanya."))


@bp.post("/unit/<code>/pengaduan/<int:complaint_id>/publikasi")
@manager_only
def publish_complaint_reply(code: str, complaint_id: int):
    def act(form, row):
        service.publish_reply(db.session, current_user(), row, form.public_reply.data, utcnow())
    return _post(code, complaint_id, PublicReplyForm, "public_reply", act,
                 _("Balasan publik diterbitkan di halaman unit."))


@bp.post("/unit/<code>/pengaduan/<int:complaint_id>/tarik")
@manager_only
def unpublish_complaint_reply(code: str, complaint_id: int):
    def act(form, row):
        service.unpublish_reply(db.session, current_user(), row, utcnow())
    return _post(code, complaint_id, UnpublishForm, "", act,
                 _("Balasan publik ditarik dari halaman unit."))
