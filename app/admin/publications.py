"""A unit's publications per period `/admin/unit/<code>/publikasi?periode=P` (DESIGN §6): the
versions with their status, the frozen figures of the newest, the review remarks, and the forms
to prepare a draft, remark on it, publish it after its review and correct a published version
(managers of the unit or a parent unit, and admins)."""
from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.admin import bp
from app.admin.routes import PERIOD_EXAMPLE, PERIOD_MAX, asked_period, manager_only
from app.auth.access import current_user
from app.extensions import db
from app.public.routes import fold_rollup_queue
from surveys.db import row_by_id, utcnow
from surveys.errors import InvalidPeriod, PublicationRefused
from surveys.models import Publication, Unit
from surveys.organization.touchpoints import managed_unit
from surveys.periods import Period
from surveys.publishing import service
from surveys.reporting.dashboard import default_period
from surveys.responses.instruments import SKM_ITEMS

TOO_LONG = _l("Paling banyak 2000 karakter.")
STATUS_NAMES = {"draft": _l("draf"), "published": _l("terbit"), "superseded": _l("diganti")}
INPUT_CODES = ("required", "too_long", "control")  # refusals of the input: 400; the rest 409


class PrepareForm(FlaskForm):
    """The period whose figures are frozen into a draft."""

    periode = StringField(_l("Periode"), validators=[
        DataRequired(_l("Periode wajib diisi, mis. 2026-Q3.")),
        Length(max=PERIOD_MAX, message=PERIOD_EXAMPLE)])


class RemarkForm(FlaskForm):
    """A factual-accuracy remark on a draft in its review."""

    body = TextAreaField(_l("Catatan tinjauan"), validators=[
        DataRequired(_l("Catatan wajib diisi.")), Length(max=service.TEXT_MAX, message=TOO_LONG)])


class PublishForm(FlaskForm):
    """Publishing a draft: nothing to fill in but the CSRF token."""


class CorrectForm(FlaskForm):
    """A correction of the published version: its reason, shown beside both versions."""

    reason = TextAreaField(_l("Alasan koreksi"), validators=[
        DataRequired(_l("Alasan koreksi wajib diisi.")),
        Length(max=service.TEXT_MAX, message=TOO_LONG)])


def _day(day) -> str:
    return day.strftime("%d-%m-%Y")


def refusal_message(refused: PublicationRefused, row: Publication | None = None) -> str:
    """The Indonesian message of the service's PublicationRefused codes."""
    if refused.code == "required":
        return (_("Alasan koreksi wajib diisi.") if refused.field == "reason"
                else _("Catatan wajib diisi."))
    if refused.code == "in_review" and row is not None:
        return _("Draf ini masih dalam masa tinjauan sampai %(day)s (hari terakhir tinjauan). "
                 "Draf dapat diterbitkan mulai %(next)s.", day=_day(row.review_until),
                 next=_day(row.review_until + timedelta(days=1)))
    if refused.code == "review_closed" and row is not None:
        return _("Masa tinjauan draf ini sudah berakhir pada %(day)s; catatan tidak dapat "
                 "ditambahkan lagi.", day=_day(row.review_until))
    return {
        "too_long": _("Paling banyak 2000 karakter."),
        "control": _("Teks berisi karakter kendali yang tidak diizinkan."),
        "published": _("Periode ini sudah diterbitkan. Perubahan angka dilakukan sebagai koreksi "
                       "versi yang terbit."),
        "exists": _("Periode ini sudah punya publikasi."),
        "not_draft": _("Versi ini bukan draf lagi: hanya draf yang dapat diberi catatan atau "
                       "diterbitkan."),
        "not_published": _("Hanya versi yang sedang terbit yang dapat dikoreksi."),
    }.get(refused.code, _("Permintaan tidak dapat diproses."))


def _unit(code: str) -> Unit:
    return managed_unit(db.session, current_user(), code)


def _publication(unit: Unit, publication_id: int) -> Publication:
    """The unit's own publication with this id; 404 for another unit's, an unknown one or an id
    no row can have (past PostgreSQL's integer)."""
    row = row_by_id(db.session, Publication, publication_id)
    if row is None or row.unit_id != unit.id:
        abort(404)
    return row


def _page(unit: Unit, period: Period, *, prepare: PrepareForm | None = None,
          remark: RemarkForm | None = None, correct: CorrectForm | None = None,
          problem: str | None = None, status: int = 200):
    rows = service.versions(db.session, unit, period.code)
    newest = rows[0] if rows else None
    english = str(get_locale()) == "en"
    names = {item.code: item.text_en if english else item.text_id for item in SKM_ITEMS}
    prepare = prepare or PrepareForm(formdata=None, periode=period.code)
    shown = {"prepare": newest is None or newest.status == "draft" or bool(prepare.errors),
             "remark": newest is not None and newest.status == "draft",
             "correct": newest is not None and newest.status == "published"}
    messages = [problem] if problem else []
    for name, form in (("remark", remark), ("correct", correct)):
        if form is not None and not shown[name]:  # a refused form the page no longer offers
            messages += form.form_errors + [e for errors in form.errors.values() if
                                            isinstance(errors, list) for e in errors]
    return render_template(
        "admin/publications/page.html", unit=unit, period=period, rows=rows, newest=newest,
        status_names=STATUS_NAMES, unsur_names=names, review_days=service.REVIEW_WORKING_DAYS,
        shown=shown, prepare=prepare, remark=remark or RemarkForm(formdata=None),
        publish=PublishForm(formdata=None), correct=correct or CorrectForm(formdata=None),
        problem=" ".join(dict.fromkeys(str(m) for m in messages)) or None), status


def _refused(form: FlaskForm, field: str, refused: PublicationRefused,
             row: Publication | None = None) -> int:
    """Puts the refusal's message on the form's field (or the form) and gives its status."""
    db.session.rollback()
    target = getattr(form, refused.field or field, None) if refused.code in INPUT_CODES or \
        field == "periode" else None  # a refusal of the row's state is the form's, not a field's
    (target.errors if target is not None else form.form_errors).append(
        refusal_message(refused, row))
    return 400 if refused.code in INPUT_CODES else 409


def _back(unit: Unit, period: str, message: str):
    db.session.commit()
    flash(message)
    return redirect(url_for("admin.publications", code=unit.code, periode=period), code=303)


@bp.get("/unit/<code>/publikasi")
@manager_only
def publications(code: str):
    """The period's versions, the newest's frozen figures and remarks, and the forms."""
    unit = _unit(code)
    return _page(unit, asked_period(unit))


@bp.post("/unit/<code>/publikasi/siapkan")
@manager_only
def prepare_publication(code: str):
    """Freezes the period's figures into a draft (again, for a draft: its review starts over)."""
    unit = _unit(code)
    form = PrepareForm()
    if not form.validate_on_submit():
        return _page(unit, default_period(unit, utcnow()), prepare=form, status=400)
    fold_rollup_queue()  # the responses of a minute ago are in the frozen figures
    try:
        row = service.prepare(db.session, current_user(), unit, form.periode.data.strip(),
                              utcnow())
    except InvalidPeriod:
        db.session.rollback()
        form.periode.errors.append(str(PERIOD_EXAMPLE))
        return _page(unit, default_period(unit, utcnow()), prepare=form, status=400)
    except PublicationRefused as refused:
        status = _refused(form, "periode", refused)
        return _page(unit, Period.parse(form.periode.data.strip()), prepare=form, status=status)
    return _back(unit, row.period, _(
        "Draf publikasi %(period)s versi %(version)s disiapkan. Masa tinjauan sampai %(day)s.",
        period=row.period, version=row.version, day=_day(row.review_until)))


@bp.post("/unit/<code>/publikasi/<int:publication_id>/catatan")
@manager_only
def remark_publication(code: str, publication_id: int):
    """A review remark on the unit's draft."""
    unit = _unit(code)
    row = _publication(unit, publication_id)
    period = Period.parse(row.period)
    form = RemarkForm()
    if not form.validate_on_submit():
        return _page(unit, period, remark=form, status=400)
    try:
        service.remark(db.session, current_user(), row, form.body.data, utcnow())
    except PublicationRefused as refused:
        status = _refused(form, "body", refused, row)
        return _page(unit, period, remark=form, status=status)
    return _back(unit, row.period, _("Catatan tinjauan untuk %(period)s versi %(version)s "
                                     "disimpan.", period=row.period, version=row.version))


@bp.post("/unit/<code>/publikasi/<int:publication_id>/terbitkan")
@manager_only
def publish_publication(code: str, publication_id: int):
    """Publishes the unit's draft once its review is over."""
    unit = _unit(code)
    row = _publication(unit, publication_id)
    period = Period.parse(row.period)
    form = PublishForm()
    if not form.validate_on_submit():
        return _page(unit, period, status=400)
    try:
        service.publish(db.session, current_user(), row, utcnow())
    except PublicationRefused as refused:
        db.session.rollback()
        return _page(unit, period, problem=refusal_message(refused, row), status=409)
    return _back(unit, row.period, _("Publikasi %(period)s versi %(version)s diterbitkan.",
                                     period=row.period, version=row.version))


@bp.post("/unit/<code>/publikasi/<int:publication_id>/koreksi")
@manager_only
def correct_publication(code: str, publication_id: int):
    """A new published version of the period's figures as of now, with its reason."""
    unit = _unit(code)
    row = _publication(unit, publication_id)
    period = Period.parse(row.period)
    form = CorrectForm()
    if not form.validate_on_submit():
        return _page(unit, period, correct=form, status=400)
    fold_rollup_queue()  # the corrected figures include the responses of a minute ago
    try:
        new = service.correct(db.session, current_user(), row, form.reason.data, utcnow())
    except PublicationRefused as refused:
        status = _refused(form, "reason", refused, row)
        return _page(unit, period, correct=form, status=status)
    return _back(unit, new.period, _("Koreksi %(period)s diterbitkan sebagai versi %(version)s.",
                                     period=new.period, version=new.version))
