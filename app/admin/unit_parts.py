"""A unit's services and counters, population figures, API keys and new QR codes (kiosks,
personal codes, counter codes), for its managers and admins."""
from __future__ import annotations

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from app.admin import bp
from app.admin.routes import manager_only
from app.admin.unit_forms import (
    ApiKeyForm,
    PartForm,
    PopulationForm,
    PopulationImportForm,
    TouchpointForm,
)
from app.admin.units import attempt, done, form_page
from app.auth.access import current_user
from app.extensions import csrf, db
from surveys.errors import AlreadyReplaced, InvalidPeriod, TouchpointNotFound
from surveys.models import Unit
from surveys.organization import api_keys, population
from surveys.organization import units as service
from surveys.organization.touchpoints import create_touchpoint, managed_unit

ENTITIES = {"layanan": "service", "loket": "counter"}  # URL word → audit entity
MAX_UPLOAD = 50 * 1024


def _unit(code: str) -> Unit:
    return managed_unit(db.session, current_user(), code)


def _entity(kind: str) -> str:
    return ENTITIES[kind]


def _part(unit: Unit, kind: str, part_id: int):
    part = service.unit_part(db.session, unit, _entity(kind), part_id)
    if part is None:
        abort(404)
    return part


@bp.route("/unit/<code>/<any(layanan, loket):kind>", methods=["GET", "POST"])
@manager_only
def parts(code: str, kind: str):
    """The unit's services (or counters) and the form for a new one."""
    unit = _unit(code)
    form = PartForm()
    if form.validate_on_submit():
        part = attempt(form, lambda: service.create_part(
            db.session, current_user(), unit, _entity(kind), code=form.code.data,
            name=form.name.data))
        if part is not None:
            message = (_("Loket %(name)s dibuat, dengan kode QR-nya.", name=part.name)
                       if kind == "loket" else _("Layanan %(name)s dibuat.", name=part.name))
            return done(message, url_for("admin.parts", code=unit.code, kind=kind))
    return form_page("admin/units/parts.html", form, unit=unit, kind=kind,
                     parts=service.unit_parts(db.session, unit, _entity(kind)))


@bp.route("/unit/<code>/<any(layanan, loket):kind>/<int:part_id>/ubah", methods=["GET", "POST"])
@manager_only
def edit_part(code: str, kind: str, part_id: int):
    unit = _unit(code)
    part = _part(unit, kind, part_id)
    form = PartForm(obj=part)
    if form.validate_on_submit():
        if attempt(form, lambda: service.update_part(
                db.session, current_user(), part, _entity(kind), code=form.code.data,
                name=form.name.data)):
            return done(_("%(name)s disimpan.", name=part.name),
                        url_for("admin.parts", code=unit.code, kind=kind))
    return form_page("admin/units/part_form.html", form, unit=unit, kind=kind, part=part)


@bp.post("/unit/<code>/<any(layanan, loket):kind>/<int:part_id>/<any(nonaktifkan, aktifkan):act>")
@manager_only
def set_part_active(code: str, kind: str, part_id: int, act: str):
    unit = _unit(code)
    part = _part(unit, kind, part_id)
    active = act == "aktifkan"
    service.set_part_active(db.session, current_user(), part, _entity(kind), active)
    if active:
        message = _("%(name)s aktif kembali.", name=part.name)
    elif kind == "loket":
        message = _("%(name)s dinonaktifkan; kode QR-nya dicabut.", name=part.name)
    else:
        message = _("%(name)s dinonaktifkan; layanan ini tidak lagi ditawarkan di formulir.",
                    name=part.name)
    return done(message, url_for("admin.parts", code=unit.code, kind=kind))


def _population_page(unit: Unit, form=None, upload=None, problems=(), status=200):
    return render_template("admin/units/population.html", unit=unit,
                           form=form or PopulationForm(formdata=None),
                           upload=upload or PopulationImportForm(formdata=None),
                           problems=problems,
                           rows=population.unit_population(db.session, unit)), status


@bp.route("/unit/<code>/populasi", methods=["GET", "POST"])
@manager_only
def population_page(code: str):
    """The unit's number of service users per period, typed one at a time."""
    unit = _unit(code)
    form = PopulationForm()
    if form.validate_on_submit():
        try:
            row = population.set_population(db.session, current_user(), unit, form.period.data,
                                            form.size.data)
        except InvalidPeriod:
            db.session.rollback()
            form.period.errors.append(_("Periode tidak dikenal. Contoh: 2026, 2026-S1, 2026-Q3, "
                                        "2026-07."))
        else:
            return done(_("Populasi %(period)s disimpan: %(size)s.", period=row.period,
                          size=row.size), url_for("admin.population_page", code=unit.code))
    return _population_page(unit, form=form, status=400 if form.is_submitted() else 200)


@bp.post("/unit/<code>/populasi/impor")
@csrf.exempt  # checked below, where a body over the request limit gets this page's message
@manager_only
def population_import(code: str):
    """A CSV file of figures (periode;jumlah), all or nothing, every bad row listed."""
    unit = _unit(code)
    too_large = [_("Berkas terlalu besar (paling besar 50 KB).")]
    try:
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
        upload = PopulationImportForm()
        valid = upload.validate_on_submit()
    except RequestEntityTooLarge:
        return _population_page(unit, problems=too_large, status=413)
    if not valid:
        return _population_page(unit, upload=upload, status=400)
    file = upload.file.data
    data = file.read(MAX_UPLOAD + 1) if file else b""
    problems = []
    if not file or not file.filename:
        problems = [_("Pilih berkas CSV.")]
    elif not file.filename.lower().endswith((".csv", ".txt")):
        problems = [_("Berkas harus CSV (.csv).")]
    elif len(data) > MAX_UPLOAD:
        return _population_page(unit, upload=upload, problems=too_large, status=413)
    if problems:
        return _population_page(unit, upload=upload, problems=problems, status=400)
    try:
        count = population.import_population(db.session, current_user(), unit, data)
    except population.PopulationImportError as refused:
        db.session.rollback()
        return _population_page(unit, upload=upload, problems=refused.problems, status=400)
    return done(_("%(count)s angka populasi diimpor.", count=count),
                url_for("admin.population_page", code=unit.code))


@bp.route("/unit/<code>/kunci-api", methods=["GET", "POST"])
@manager_only
def api_keys_page(code: str):
    """The unit's API keys; a new key is shown once, on this answer, and never again."""
    unit = _unit(code)
    form = ApiKeyForm()
    if form.validate_on_submit():
        key, plain = api_keys.issue_key(db.session, current_user(), unit, form.name.data)
        db.session.commit()
        page = render_template("admin/units/api_key_created.html", unit=unit, key=key,
                               plain=plain)
        return Response(page, headers={"Cache-Control": "no-store"})
    return form_page("admin/units/api_keys.html", form, unit=unit,
                     keys=api_keys.unit_keys(db.session, unit))


@bp.post("/unit/<code>/kunci-api/<int:key_id>/cabut")
@manager_only
def revoke_api_key(code: str, key_id: int):
    unit = _unit(code)
    key = api_keys.unit_key(db.session, unit, key_id)
    if key is None:
        abort(404)
    api_keys.revoke_key(db.session, current_user(), key)
    return done(_("Kunci API %(name)s dicabut; mesin yang memakainya kini ditolak.",
                  name=key.name), url_for("admin.api_keys_page", code=unit.code))


@bp.route("/unit/<code>/kode/baru", methods=["GET", "POST"])
@manager_only
def new_touchpoint(code: str):
    """A new QR code: a counter's poster code, a kiosk at a counter, an officer's own code."""
    unit = _unit(code)
    form = TouchpointForm(kind=request.args.get("jenis", "counter"))
    if form.validate_on_submit():
        try:
            touchpoint = create_touchpoint(db.session, current_user(), unit, form.kind.data,
                                           counter_id=form.counter.data,
                                           staff_id=form.staff.data)
        except TouchpointNotFound:
            db.session.rollback()
            field = form.staff if form.kind.data == "staff" else form.counter
            field.errors.append(_("Pilih petugas unit ini yang aktif.") if field is form.staff
                                else _("Pilih loket unit ini yang aktif."))
        except AlreadyReplaced:
            db.session.rollback()
            form.kind.errors.append(_("Loket atau petugas ini sudah punya kode aktif jenis ini. "
                                      "Cabut kode itu dulu, atau buat kode baru untuknya."))
        else:
            return done(_("Kode baru %(code)s dibuat. Cetak posternya.",
                          code=touchpoint.public_code),
                        url_for("admin.touchpoints", code=unit.code))
    return form_page("admin/units/touchpoint_form.html", form, unit=unit,
                     counters=service.unit_parts(db.session, unit, "counter", active_only=True),
                     officers=service.unit_officers(db.session, unit))

