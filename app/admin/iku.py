"""A unit's IKU targets per period `/admin/unit/<code>/iku?periode=P`: the targets with their
realisation from the data, and the forms to set and remove them (managers and admins)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.admin import bp
from app.admin.routes import PERIOD_EXAMPLE, PERIOD_MAX, asked_period, manager_only
from app.auth.access import current_user
from app.extensions import db
from app.public.routes import fold_rollup_queue
from surveys.errors import RecordRefused
from surveys.evaluations import iku_targets as service
from surveys.models import Unit
from surveys.models.iku import IKU_INDICATORS
from surveys.organization.touchpoints import managed_unit
from surveys.periods import Period

INDICATOR_NAMES = {
    "ikm": _l("Indeks Kepuasan Masyarakat (IKM)"),
    "waiting": _l("Persentase pengguna layanan yang menunggu kurang dari 15 menit"),
    "responses": _l("Jumlah responden terhadap target sampel Krejcie–Morgan"),
}
CONFLICTS = ("in_use", "linked")  # refusals of a target's state, not of the input: 409


class IkuTargetForm(FlaskForm):
    """One target: period, indicator, target value (checked by the service: 0–100, 2 decimals)."""

    period = StringField(_l("Periode"), validators=[
        DataRequired(_l("Periode wajib diisi, mis. 2026-Q3.")),
        Length(max=PERIOD_MAX, message=PERIOD_EXAMPLE)])
    indicator = SelectField(_l("Indikator"), validate_choice=False, choices=[
        SelectChoice(code, INDICATOR_NAMES[code]) for code in IKU_INDICATORS])
    target = StringField(_l("Target (paling rendah)"), validators=[
        DataRequired(_l("Target wajib diisi, mis. 82.")),
        Length(max=service.MAX_TARGET_TEXT,
               message=_l("Target harus berupa angka 0 sampai 100, mis. 82 atau 82,5."))])


def refusal_message(code: str) -> str:
    """The Indonesian message of the service's RecordRefused codes."""
    return {
        "invalid_period": _("Periode tidak dikenal. Contoh: 2026, 2026-S1, 2026-Q3, 2026-07."),
        "unknown_indicator": _("Pilih salah satu indikator yang tersedia."),
        "target_format": _("Target harus berupa angka 0 sampai 100, mis. 82 atau 82,5."),
        "target_range": _("Target harus antara 0 dan 100."),
        "target_decimals": _("Target paling banyak 2 angka di belakang koma."),
        "in_use": _("Target ini menjadi acuan butir SKP pada catatan penilaian yang sudah final, "
                    "sehingga tidak dapat diubah atau dihapus."),
        "linked": _("Target ini dikaitkan dengan butir SKP pada catatan penilaian yang belum "
                    "final. Lepaskan kaitannya di catatan itu dulu, lalu hapus target ini."),
    }.get(code, _("Permintaan tidak dapat diproses."))


def _unit(code: str) -> Unit:
    return managed_unit(db.session, current_user(), code)


def _page(unit: Unit, period: Period, form: IkuTargetForm, problem: str | None = None,
          status: int = 200):
    fold_rollup_queue()  # the responses of a minute ago count (as on the dashboard)
    return render_template("admin/iku/targets.html", unit=unit, period=period, form=form,
                           problem=problem, names=INDICATOR_NAMES,
                           rows=service.unit_targets(db.session, unit, period)), status


def _back(unit: Unit, period: str, message: str):
    db.session.commit()
    flash(message)
    return redirect(url_for("admin.iku_targets", code=unit.code, periode=period), code=303)


@bp.route("/unit/<code>/iku", methods=["GET", "POST"])
@manager_only
def iku_targets(code: str):
    """The unit's targets for the period with their realisation; the form sets one."""
    unit = _unit(code)
    period = asked_period(unit)
    form = IkuTargetForm(period=period.code)
    if not form.validate_on_submit():
        return _page(unit, period, form, status=400 if form.is_submitted() else 200)
    try:
        row = service.set_target(db.session, current_user(), unit, form.period.data,
                                 form.indicator.data, form.target.data)
    except RecordRefused as refused:
        db.session.rollback()
        field = getattr(form, refused.field or "", None)
        (field.errors if field is not None else form.form_errors).append(
            refusal_message(refused.code))
        return _page(unit, period, form, status=409 if refused.code in CONFLICTS else 400)
    return _back(unit, row.period, _("Target %(name)s untuk %(period)s disimpan: ≥ %(target)s.",
                                     name=INDICATOR_NAMES[row.indicator], period=row.period,
                                     target=f"{row.target:g}"))


@bp.post("/unit/<code>/iku/<int:target_id>/hapus")
@manager_only
def remove_iku_target(code: str, target_id: int):
    unit = _unit(code)
    target = service.unit_target(db.session, unit, target_id)
    if target is None:
        abort(404)
    period, name = target.period, INDICATOR_NAMES[target.indicator]
    try:
        service.remove_target(db.session, current_user(), target)
    except RecordRefused as refused:
        db.session.rollback()
        return _page(unit, Period.parse(period), IkuTargetForm(formdata=None, period=period),
                     problem=refusal_message(refused.code), status=409)
    return _back(unit, period, _("Target %(name)s untuk %(period)s dihapus.", name=name,
                                 period=period))
