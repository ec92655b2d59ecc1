"""Flag review: a unit's suspicious responses grouped by burst; exclude or restore with a reason."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import Field, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.admin import bp
from app.admin.routes import manager_only
from app.auth.access import current_user
from app.extensions import db
from app.public.abuse_signals import abuse_rules
from app.public.routes import fold_rollup_queue
from surveys.errors import NotReviewable
from surveys.organization.touchpoints import managed_unit
from surveys.periods import Period
from surveys.reporting.service import unit_and_descendant_ids
from surveys.responses import flag_review

REASON_MAX = 500


def _unit(code: str):
    return managed_unit(db.session, current_user(), code)


class ResponseIdsField(Field):
    """The ticked responses (checkboxes named `ids`): positive whole numbers, at most
    MAX_DECISION of them."""

    def process_formdata(self, valuelist):
        if len(valuelist) > flag_review.MAX_DECISION:
            self.data = []
            raise ValueError(_l("Paling banyak %(max)d respons per keputusan.",
                                max=flag_review.MAX_DECISION))
        if not all(value.isascii() and value.isdigit() and len(value) <= 18
                   for value in valuelist):
            self.data = []
            raise ValueError(_l("Nomor respons tidak sah. Muat ulang halaman dan coba lagi."))
        self.data = [int(value) for value in valuelist]

    def pre_validate(self, form):
        if not self.data and not self.errors:
            raise ValidationError(_l("Pilih sedikitnya satu respons."))


class FlagDecisionForm(FlaskForm):
    ids = ResponseIdsField(_l("Respons"), default=[])
    reason = TextAreaField(_l("Alasan"), validators=[
        DataRequired(_l("Tuliskan alasan keputusan ini.")),
        Length(min=3, max=REASON_MAX,
               message=_l("Alasan harus %(min)d sampai %(max)d karakter.", min=3, max=REASON_MAX))],
        filters=[lambda value: value.strip() if isinstance(value, str) else value])
    exclude = SubmitField(_l("Kecualikan"))
    restore = SubmitField(_l("Pulihkan"))

    def validate_restore(self, field):
        if not self.exclude.data and not field.data:
            raise ValidationError(_l("Pilih Kecualikan atau Pulihkan."))


def _page(unit, form: FlagDecisionForm, status: int = 200, problem: str | None = None):
    period_code = request.args.get("periode") or None
    period = Period.parse(period_code) if period_code else None
    review = flag_review.flagged_bursts(db.session, unit_and_descendant_ids(db.session, unit),
                                        unit.timezone, period)
    errors = [error for field in form for error in field.errors]
    if problem:
        errors.append(problem)
    html = render_template("admin/flags/list.html", unit=unit, review=review, form=form,
                           period=period, errors=errors, gap=int(flag_review.BURST_GAP
                                                                 .total_seconds() // 60),
                           limit=flag_review.LIST_LIMIT, rules=abuse_rules())
    return html, status


@bp.get("/unit/<code>/tanda")
@manager_only
def flags(code: str):
    unit = _unit(code)
    fold_rollup_queue()  # upkeep: the burst checks due run first, so new bursts show
    return _page(unit, FlagDecisionForm(formdata=None))


@bp.post("/unit/<code>/tanda/keputusan")
@manager_only
def flag_decision(code: str):
    unit = _unit(code)
    form = FlagDecisionForm()
    if not form.validate():
        return _page(unit, form, 400)
    exclude = bool(form.exclude.data)
    try:
        changed = flag_review.decide(db.session, current_user(),
                                     unit_and_descendant_ids(db.session, unit), form.ids.data,
                                     exclude=exclude, reason=form.reason.data)
    except NotReviewable as error:
        db.session.rollback()
        shown = ", ".join(f"#{i}" for i in error.ids[:10])
        return _page(unit, form, 400, _l(
            "Respons %(ids)s bukan respons bertanda unit ini; tidak ada yang diubah.", ids=shown))
    db.session.commit()
    if exclude:
        flash(ngettext("%(num)d respons dikecualikan dari semua angka.",
                       "%(num)d respons dikecualikan dari semua angka.", changed))
    else:
        flash(ngettext("%(num)d respons dipulihkan.", "%(num)d respons dipulihkan.", changed))
    return redirect(url_for("admin.flags", code=unit.code, periode=request.args.get("periode"),
                            _anchor=f"respons-{min(form.ids.data)}"), code=303)
