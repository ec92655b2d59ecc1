"""A unit's staff (pegawai) and duty roster pages: list, create, edit, deactivate, import from
CSV/XLSX, and counter assignments over date ranges. Admins and the unit's managers only."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge

from app.admin import bp
from app.admin.routes import manager_only
from app.admin.staff_forms import (
    NIP_MESSAGES,
    AssignmentForm,
    DatesForm,
    StaffForm,
)
from app.auth.access import current_user
from app.extensions import csrf, db
from surveys.errors import StaffImportError, StaffNotFound, StaffRefused
from surveys.exchange import staff_import
from surveys.models import Unit
from surveys.organization import roster, staff as service
from surveys.organization.touchpoints import managed_unit

REFUSALS = {
    "nip_taken": _l("NIP ini sudah dipakai pegawai lain."),
    "nip_invalid": _l("NIP harus tepat 18 angka."),
    "unit_not_managed": _l("Pilih unit dari daftar."),
    "unknown_counter": _l("Pilih loket dari daftar."),
    "unknown_staff": _l("Pilih petugas yang aktif dari daftar."),
    "date_order": _l("Tanggal selesai tidak boleh sebelum tanggal mulai."),
    "overlap": _l("Petugas ini sudah terjadwal di loket ini pada sebagian tanggal tersebut."),
}
IMPORT_MESSAGES = {
    "unreadable": _l("Berkas tidak dapat dibaca. Simpan ulang sebagai .xlsx atau CSV UTF-8."),
    "too_large": _l("Berkas terlalu besar (paling besar 2 MB)."),
    "wrong_type": _l("Jenis berkas tidak didukung. Unggah berkas .xlsx atau .csv."),
    "old_excel": _l("Berkas .xls (Excel lama) tidak didukung. Simpan sebagai .xlsx atau .csv."),
    "no_header": _l("Baris judul kolom tidak ditemukan: harus ada kolom NIP di 10 baris pertama."),
    "missing_column": _l("Kolom ini tidak ada di baris judul."),
    "empty": _l("Berkas tidak berisi data pegawai."),
    "too_many_rows": _l("Terlalu banyak baris (paling banyak 5000 pegawai sekali impor)."),
    "required": _l("Wajib diisi."),
    "too_long": _l("Terlalu panjang (paling banyak 200 karakter)."),
    "nip_number": _l("NIP tersimpan sebagai angka sehingga digit terakhirnya hilang. Format "
                     "kolom NIP sebagai teks, lalu ketik ulang NIP-nya."),
    "nip_duplicate": _l("NIP ini sudah ada di baris sebelumnya."),
    "nip_other_unit": _l("NIP ini terdaftar di unit lain di luar unit ini."),
    "unit_unknown": _l("Unit tidak dikenal: tulis kode unit ini atau salah satu sub-unitnya."),
    "no_file": _l("Pilih berkas .xlsx atau .csv."),
}
IMPORT_BODY_LIMIT = staff_import.MAX_BYTES + 64 * 1024  # the file and the form around it


def _unit(code: str) -> Unit:
    return managed_unit(db.session, current_user(), code)


def _member(unit: Unit, staff_id: int):
    try:
        return service.unit_member(db.session, unit, staff_id)
    except StaffNotFound:
        abort(404, description=_("Pegawai tidak ditemukan di unit ini."))


def _refused(form, error: StaffRefused) -> None:
    db.session.rollback()
    field = getattr(form, error.field, None)
    errors = field.errors if field is not None else form.form_errors
    if not isinstance(errors, list):  # WTForms keeps a tuple until validation has run
        errors = field.errors = list(errors)
    errors.append(REFUSALS.get(error.code, _("Permintaan tidak dapat diproses.")))


def _to_list(code: str):
    return redirect(url_for("admin.staff_list", code=code), code=303)


@bp.get("/unit/<code>/pegawai")
@manager_only
def staff_list(code: str):
    unit = _unit(code)
    search = (request.args.get("q") or "").strip()[:100]
    return render_template("admin/staff/list.html", unit=unit, search=search,
                           staff=service.unit_staff(db.session, unit, search))


def _staff_form(unit: Unit, staff=None) -> StaffForm:
    form = StaffForm(obj=staff) if staff is not None and request.method == "GET" else StaffForm()
    form.unit.choices = [(u.id, f"{u.name} ({u.code})")
                         for u in service.placeable_units(db.session, unit)]
    if staff is not None and request.method == "GET":
        form.unit.data = staff.unit_id
    elif request.method == "GET":
        form.unit.data = unit.id
    return form


def _data(form: StaffForm) -> service.StaffData:
    return service.StaffData(form.nip.data, form.name.data, form.position.data, form.unit.data)


@bp.route("/unit/<code>/pegawai/baru", methods=["GET", "POST"])
@manager_only
def staff_new(code: str):
    unit = _unit(code)
    form = _staff_form(unit)
    if form.validate_on_submit():
        try:
            created = service.create_staff(db.session, current_user(), unit, _data(form))
        except StaffRefused as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Pegawai %(name)s ditambahkan.", name=created.name))
            return _to_list(unit.code)
    status = 400 if form.is_submitted() else 200
    return render_template("admin/staff/form.html", unit=unit, form=form, staff=None), status


@bp.route("/unit/<code>/pegawai/<int:staff_id>", methods=["GET", "POST"])
@manager_only
def staff_edit(code: str, staff_id: int):
    unit = _unit(code)
    member = _member(unit, staff_id)
    form = _staff_form(unit, member)
    if form.validate_on_submit():
        try:
            changed = service.update_staff(db.session, current_user(), unit, member, _data(form))
        except StaffRefused as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Data %(name)s disimpan.", name=member.name) if changed
                  else _("Tidak ada yang berubah."))
            return _to_list(unit.code)
    status = 400 if form.is_submitted() else 200
    return render_template("admin/staff/form.html", unit=unit, form=form, staff=member), status


def _set_active(code: str, staff_id: int, active: bool):
    unit = _unit(code)
    member = _member(unit, staff_id)
    if service.set_active(db.session, current_user(), member, active):
        db.session.commit()
    flash(_("%(name)s diaktifkan kembali.", name=member.name) if active else
          _("%(name)s dinonaktifkan: tidak lagi muncul di daftar petugas pada formulir survei.",
            name=member.name))
    return _to_list(unit.code)


@bp.post("/unit/<code>/pegawai/<int:staff_id>/nonaktifkan")
@manager_only
def staff_deactivate(code: str, staff_id: int):
    return _set_active(code, staff_id, False)


@bp.post("/unit/<code>/pegawai/<int:staff_id>/aktifkan")
@manager_only
def staff_reactivate(code: str, staff_id: int):
    return _set_active(code, staff_id, True)


def _import_page(unit: Unit, problems=(), status: int = 200):
    messages = {**IMPORT_MESSAGES, **{f"nip_{code}": text for code, text in NIP_MESSAGES.items()}}
    return render_template("admin/staff/import.html", unit=unit, problems=problems,
                           messages=messages, limit_rows=staff_import.MAX_ROWS), status


@bp.route("/unit/<code>/pegawai/impor", methods=["GET", "POST"])
@csrf.exempt  # checked below, once the larger body limit of an upload is in force
@manager_only
def staff_import_page(code: str):
    """Upload form (field `berkas`); a refused file lists every bad row and column (400)."""
    unit = _unit(code)
    if request.method == "GET":
        return _import_page(unit)
    request.max_content_length = IMPORT_BODY_LIMIT
    try:
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
        upload = request.files.get("berkas")
    except RequestEntityTooLarge:
        return _import_page(unit, [staff_import.Problem(None, None, "too_large")], 413)
    if upload is None or not upload.filename:
        return _import_page(unit, [staff_import.Problem(None, None, "no_file")], 400)
    content = upload.stream.read(staff_import.MAX_BYTES + 1)
    try:
        rows = staff_import.read_staff_file(upload.filename, content)
        result = staff_import.import_staff(db.session, current_user(), unit, rows,
                                           upload.filename)
    except StaffImportError as error:
        db.session.rollback()
        return _import_page(unit, error.problems, 400)
    db.session.commit()
    flash(_("%(total)d pegawai diimpor: %(created)d baru, %(updated)d diperbarui, "
            "%(unchanged)d tidak berubah.", total=len(rows), created=result.created,
            updated=result.updated, unchanged=result.unchanged))
    return _to_list(unit.code)


def _assignment_form(unit: Unit) -> AssignmentForm:
    form = AssignmentForm()
    form.counter.choices = [(c.id, f"{c.name} ({c.code})")
                            for c in roster.assignable_counters(unit)]
    form.staff.choices = [(s.id, f"{s.name} ({s.nip})")
                          for s in roster.assignable_staff(db.session, unit)]
    return form


def _roster_page(unit: Unit, form: AssignmentForm, status: int = 200):
    today = roster.unit_today(unit)
    return render_template(
        "admin/staff/roster.html", unit=unit, form=form, today=today,
        current=roster.unit_assignments(db.session, unit, today),
        past=roster.unit_assignments(db.session, unit, today, past=True)), status


@bp.route("/unit/<code>/jadwal", methods=["GET", "POST"])
@manager_only
def roster_page(code: str):
    """The unit's duty roster, with the form that adds an assignment."""
    unit = _unit(code)
    form = _assignment_form(unit)
    if request.method == "GET":
        if form.starts_on.data is None:
            form.starts_on.data = roster.unit_today(unit)
        return _roster_page(unit, form)
    if form.validate():
        try:
            roster.assign(db.session, current_user(), unit, form.staff.data, form.counter.data,
                          form.starts_on.data, form.ends_on.data)
        except StaffRefused as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Jadwal ditambahkan."))
            return redirect(url_for("admin.roster_page", code=unit.code), code=303)
    return _roster_page(unit, form, 400)


@bp.route("/unit/<code>/jadwal/<int:assignment_id>", methods=["GET", "POST"])
@manager_only
def roster_edit(code: str, assignment_id: int):
    """New dates for one assignment; an end date ends it."""
    unit = _unit(code)
    assignment = roster.unit_assignment(db.session, unit, assignment_id)
    if assignment is None:
        abort(404, description=_("Jadwal tidak ditemukan di unit ini."))
    form = DatesForm(obj=assignment) if request.method == "GET" else DatesForm()
    if form.validate_on_submit():
        try:
            changed = roster.change_dates(db.session, current_user(), unit, assignment,
                                          form.starts_on.data, form.ends_on.data)
        except StaffRefused as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("Jadwal disimpan.") if changed else _("Tidak ada yang berubah."))
            return redirect(url_for("admin.roster_page", code=unit.code), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template("admin/staff/roster_edit.html", unit=unit, form=form,
                           assignment=assignment, today=roster.unit_today(unit)), status
