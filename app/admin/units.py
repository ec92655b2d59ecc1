"""The organization pages: the overview (organizations and their unit trees), organizations
(admins) and units (admins, and managers below their own units): create, edit, deactivate,
delete one made by mistake."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from app.admin import bp
from app.admin.routes import manager_only
from app.admin.unit_forms import OrganizationForm, UnitForm
from app.auth.access import current_user, role_required
from app.extensions import db
from surveys.models import Organization, Unit
from surveys.organization import units as service
from surveys.organization.grants import is_admin, managed_unit_ids
from surveys.organization.touchpoints import managed_unit

admin_only = role_required("admin")


def problem_message(problem: str) -> str:
    """The Indonesian message of a service's refusal (surveys.organization.units.Refused)."""
    return {
        "blank": _("Wajib diisi."),
        "code_format": _("Kode hanya boleh berisi huruf, angka, - _ atau ., diawali huruf atau "
                         "angka."),
        "code_taken": _("Kode ini sudah dipakai. Pilih kode lain."),
        "timezone": _("Pilih WIB, WITA, atau WIT."),
        "parent_required": _("Pilih unit induk: hanya administrator yang membuat unit teratas."),
        "parent_unknown": _("Unit induk tidak dikenal atau bukan unit yang Anda kelola."),
        "parent_cycle": _("Unit induk tidak boleh unit ini sendiri atau salah satu sub-unitnya."),
        "has_responses": _("Unit ini sudah punya respons, jadi tidak dapat dihapus. "
                           "Nonaktifkan saja: riwayatnya tetap tersimpan."),
        "has_children": _("Unit ini masih punya sub-unit. Pindahkan atau hapus sub-unitnya dulu."),
        "has_staff": _("Unit ini masih punya pegawai. Pindahkan pegawainya dulu, atau "
                       "nonaktifkan unit ini."),
        "in_use": _("Unit ini masih dipakai oleh akun pengguna atau kunci API. Cabut dulu, "
                    "atau nonaktifkan unit ini."),
    }.get(problem, _("Permintaan tidak dapat diproses."))


def attempt(form, change):
    """Runs `change()`; a refusal becomes the message of the field it names (None returned)."""
    try:
        return change()
    except service.Refused as refused:
        field = getattr(form, refused.field, None)
        (field.errors if field is not None else form.form_errors).append(
            problem_message(refused.problem))
        db.session.rollback()
        return None


def done(message: str, target: str):
    db.session.commit()
    flash(message)
    return redirect(target, code=303)


def form_page(template: str, form, **context):
    status = 400 if form.is_submitted() else 200
    return render_template(template, form=form, **context), status


@bp.get("/")
@manager_only
def index():
    """The organization: every organization's unit tree for an admin, a manager's units."""
    user = current_user()
    return render_template("admin/units/overview.html",
                           trees=service.organization_tree(db.session, user),
                           admin=is_admin(user))


def _organization(code: str) -> Organization:
    organization = service.organization_by_code(db.session, code)
    if organization is None:
        abort(404, description=_("Instansi tidak ditemukan."))
    return organization


@bp.route("/organisasi/baru", methods=["GET", "POST"])
@admin_only
def new_organization():
    form = OrganizationForm()
    if form.validate_on_submit():
        organization = attempt(form, lambda: service.create_organization(
            db.session, current_user(), form.code.data, form.name.data))
        if organization is not None:
            return done(_("Instansi %(name)s dibuat.", name=organization.name),
                        url_for("admin.index"))
    return form_page("admin/units/organization_form.html", form, organization=None)


@bp.route("/organisasi/<org>/ubah", methods=["GET", "POST"])
@admin_only
def edit_organization(org: str):
    organization = _organization(org)
    form = OrganizationForm(obj=organization)
    if form.validate_on_submit():
        if attempt(form, lambda: service.update_organization(
                db.session, current_user(), organization, form.code.data, form.name.data)):
            return done(_("Instansi %(name)s disimpan.", name=organization.name),
                        url_for("admin.index"))
    return form_page("admin/units/organization_form.html", form, organization=organization)


def _parent_choices(organization: Organization, unit: Unit | None = None) -> list[SelectChoice]:
    """The units a unit may hang under: those of the organization the user manages (and the
    unit's present parent); admins may also choose none."""
    user = current_user()
    managed = managed_unit_ids(db.session, user)
    choices = [SelectChoice("", _("(tanpa induk: unit teratas)"))] if is_admin(user) else []
    below = service.descendant_ids(db.session, {unit.id}) if unit is not None else set()
    for candidate in sorted(organization.units, key=lambda u: u.name):
        if candidate.id in below:
            continue
        if candidate.id in managed or (unit is not None and candidate.id == unit.parent_id):
            choices.append(SelectChoice(candidate.code, f"{candidate.name} ({candidate.code})"))
    return choices


@bp.route("/organisasi/<org>/unit/baru", methods=["GET", "POST"])
@manager_only
def new_unit(org: str):
    """A new unit: top-level (admins) or a sub-unit of a unit the user manages."""
    organization = _organization(org)
    user = current_user()
    if not is_admin(user) and not any(
            unit.id in managed_unit_ids(db.session, user) for unit in organization.units):
        abort(403)
    form = UnitForm(parent=request.args.get("induk", ""), timezone="Asia/Makassar")
    form.parent.choices = _parent_choices(organization)
    if form.validate_on_submit():
        unit = attempt(form, lambda: service.create_unit(
            db.session, user, organization, code=form.code.data, name=form.name.data,
            timezone=form.timezone.data, parent_code=form.parent.data))
        if unit is not None:
            return done(_("Unit %(name)s dibuat. Tambahkan layanan dan loketnya.", name=unit.name),
                        url_for("admin.edit_unit", code=unit.code))
    return form_page("admin/units/unit_form.html", form, organization=organization, unit=None)


@bp.route("/unit/<code>/ubah", methods=["GET", "POST"])
@manager_only
def edit_unit(code: str):
    unit = managed_unit(db.session, current_user(), code)
    form = UnitForm(obj=unit, parent=unit.parent.code if unit.parent else "")
    form.parent.choices = _parent_choices(unit.organization, unit)
    if form.validate_on_submit():
        if attempt(form, lambda: service.update_unit(
                db.session, current_user(), unit, code=form.code.data, name=form.name.data,
                timezone=form.timezone.data, parent_code=form.parent.data)):
            return done(_("Unit %(name)s disimpan.", name=unit.name),
                        url_for("admin.edit_unit", code=unit.code))
    return form_page("admin/units/unit_form.html", form, organization=unit.organization,
                     unit=unit, responses=service.response_count(db.session, unit))


@bp.post("/unit/<code>/nonaktifkan")
@manager_only
def deactivate_unit(code: str):
    unit = managed_unit(db.session, current_user(), code)
    service.set_unit_active(db.session, current_user(), unit, False)
    return done(_("Unit %(name)s dinonaktifkan; kode QR-nya dicabut. Riwayatnya tetap tersimpan.",
                  name=unit.name), url_for("admin.edit_unit", code=unit.code))


@bp.post("/unit/<code>/aktifkan")
@manager_only
def reactivate_unit(code: str):
    unit = managed_unit(db.session, current_user(), code)
    service.set_unit_active(db.session, current_user(), unit, True)
    return done(_("Unit %(name)s aktif kembali. Buat kode QR baru untuk loketnya.",
                  name=unit.name), url_for("admin.edit_unit", code=unit.code))


@bp.post("/unit/<code>/hapus")
@manager_only
def delete_unit(code: str):
    """Asks first; deletes only a unit with no history (else 409 with the reason)."""
    unit = managed_unit(db.session, current_user(), code)
    if request.form.get("konfirmasi") != "ya":
        return render_template("admin/units/delete.html", unit=unit, problem=None)
    name = unit.name
    try:
        service.delete_unit(db.session, current_user(), unit)
    except service.Refused as refused:
        db.session.rollback()
        return render_template("admin/units/delete.html", unit=unit,
                               problem=problem_message(refused.problem)), 409
    return done(_("Unit %(name)s dihapus.", name=name), url_for("admin.index"))


from app.admin import unit_parts  # noqa: E402,F401  (services, counters, population, keys)
