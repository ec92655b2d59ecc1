"""Admin pages of people and their role grants: list, create, edit, deactivate and reactivate
users, add and remove grants, reset a password. Admins only: a unit manager resetting the
password of someone who also holds grants elsewhere would take over those grants too."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from app.admin import bp
from app.admin.people_forms import (
    ROLE_LABELS,
    ButtonForm,
    GrantForm,
    PasswordResetForm,
    UserCreateForm,
    UserEditForm,
    refusal_message,
)
from app.auth.access import current_user, role_required
from app.extensions import db
from surveys.errors import AccountRefused
from surveys.models import Organization, Unit, User
from surveys.organization import people

admin_only = role_required("admin")


def _user(user_id: int) -> User:
    user = people.user_by_id(db.session, user_id)
    if user is None:
        abort(404, description=_("Pengguna tidak ditemukan."))
    return user


def _refused(form, error: AccountRefused) -> None:
    """Puts the refusal's message under the field it concerns (or the form's top)."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    target = field.errors if field is not None else form.form_errors
    if isinstance(target, tuple):  # a field not validated in this request
        field.errors = target = list(target)
    target.append(refusal_message(error))


def _unit_choices() -> list[SelectChoice]:
    query = (select(Unit).join(Unit.organization).where(Unit.active)
             .order_by(Organization.name, Unit.name))
    return [SelectChoice("", _("(pilih unit)"))] + [
        SelectChoice(unit.code, f"{unit.name} ({unit.code})") for unit in db.session.scalars(query)]


def _page(user: User, status: int = 200, **forms):
    """The user's page with its forms; a refused form comes in `forms` with its errors."""
    defaults = {
        "edit": UserEditForm(formdata=None, display_name=user.display_name,
                             nip=user.staff.nip if user.staff else ""),
        "grant": GrantForm(formdata=None),
        "reset": PasswordResetForm(formdata=None),
        "button": ButtonForm(formdata=None),
    }
    defaults.update(forms)
    defaults["grant"].unit.choices = _unit_choices()
    return render_template("admin/people/user.html", user=user, roles=ROLE_LABELS,
                           **defaults), status


def _done(user: User, message: str):
    db.session.commit()
    flash(message)
    return redirect(url_for("admin.user", user_id=user.id), code=303)


@bp.get("/pengguna")
@admin_only
def users():
    return render_template("admin/people/users.html", users=people.users(db.session),
                           roles=ROLE_LABELS)


@bp.route("/pengguna/baru", methods=["GET", "POST"])
@admin_only
def new_user():
    form = UserCreateForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = people.create_user(db.session, current_user(), username=form.username.data,
                                      display_name=form.display_name.data,
                                      password=form.password.data, nip=form.nip.data or "")
        except AccountRefused as error:
            _refused(form, error)
        else:
            return _done(user, _("Akun %(username)s dibuat. Tambahkan perannya di bawah; pada "
                                 "saat masuk pertama ia harus mengganti kata sandinya.",
                                 username=user.username))
        status = 400
    elif form.is_submitted():
        status = 400
    return render_template("admin/people/new.html", form=form), status


@bp.route("/pengguna/<int:user_id>", methods=["GET", "POST"])
@admin_only
def user(user_id: int):
    """The user's page; a POST saves the name and the linked pegawai."""
    user = _user(user_id)
    form = UserEditForm()
    if not form.is_submitted():
        return _page(user)
    if form.validate():
        try:
            changed = people.update_user(db.session, current_user(), user,
                                         display_name=form.display_name.data,
                                         nip=form.nip.data or "")
        except AccountRefused as error:
            _refused(form, error)
        else:
            return _done(user, _("Data akun disimpan.") if changed else _("Tidak ada perubahan."))
    return _page(user, 400, edit=form)


@bp.post("/pengguna/<int:user_id>/peran")
@admin_only
def add_grant(user_id: int):
    user = _user(user_id)
    form = GrantForm()
    if form.validate():
        try:
            added = people.add_grants(db.session, current_user(), user, form.role.data or "",
                                      unit_code=form.unit.data or "", nips=form.nips.data or "")
        except AccountRefused as error:
            _refused(form, error)
        else:
            return _done(user, _("Peran %(role)s ditambahkan (%(count)d).",
                                 role=ROLE_LABELS[form.role.data], count=len(added)))
    return _page(user, 400, grant=form)


@bp.post("/pengguna/<int:user_id>/peran/<int:grant_id>/cabut")
@admin_only
def remove_grant(user_id: int, grant_id: int):
    user = _user(user_id)
    form = ButtonForm()
    if form.validate():
        try:
            people.remove_grant(db.session, current_user(), user, grant_id)
        except AccountRefused as error:
            _refused(form, error)
        else:
            return _done(user, _("Peran dicabut."))
    return _page(user, 400, button=form)


@bp.post("/pengguna/<int:user_id>/kata-sandi")
@admin_only
def reset_password(user_id: int):
    """A temporary password the admin passes on; the user must replace it when signing in."""
    user = _user(user_id)
    form = PasswordResetForm()
    if form.validate():
        try:
            people.reset_password(db.session, current_user(), user, form.password.data)
        except AccountRefused as error:
            _refused(form, error)
        else:
            return _done(user, _("Kata sandi %(username)s diatur ulang. Semua sesinya berakhir; "
                                 "saat masuk ia harus memilih kata sandi baru.",
                                 username=user.username))
    return _page(user, 400, reset=form)


@bp.post("/pengguna/<int:user_id>/<any(nonaktifkan, aktifkan):change>")
@admin_only
def set_active(user_id: int, change: str):
    user = _user(user_id)
    form = ButtonForm()
    if form.validate():
        active = change == "aktifkan"
        try:
            people.set_active(db.session, current_user(), user, active)
        except AccountRefused as error:
            _refused(form, error)
        else:
            return _done(user, _("Akun diaktifkan kembali.") if active else
                         _("Akun dinonaktifkan: ia tidak dapat masuk lagi, riwayatnya tetap."))
    return _page(user, 400, button=form)
