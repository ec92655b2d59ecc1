"""Objections to responses: a unit's pending and decided objections, with the response's answers
and the officer's reason; the manager upholds or rejects each with a note (audit-logged)."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.admin import bp
from app.admin.routes import manager_only
from app.auth.access import current_user
from app.evaluations.objection_forms import DecisionForm, refusal, shown_text
from app.extensions import db
from surveys.errors import RecordRefused
from surveys.evaluations import objections
from surveys.organization.touchpoints import managed_unit
from surveys.reporting.service import unit_and_descendant_ids


def _page(unit, form: DecisionForm, status: int = 200, problem: str | None = None):
    pending, decided = objections.unit_objections(
        db.session, current_user(), unit_and_descendant_ids(db.session, unit))
    errors = [str(error) for field in form for error in field.errors]
    if problem:
        errors.append(problem)
    html = render_template("admin/objections/list.html", unit=unit, pending=pending,
                           decided=decided, form=form, errors=errors,
                           failed=form.objection.data if errors else None,
                           note=shown_text(form.note.data), limit=objections.LIST_LIMIT)
    return html, status


@bp.get("/unit/<code>/keberatan-respons")
@manager_only
def objections_list(code: str):
    unit = managed_unit(db.session, current_user(), code)
    return _page(unit, DecisionForm(formdata=None))


@bp.post("/unit/<code>/keberatan-respons/keputusan")
@manager_only
def objection_decision(code: str):
    unit = managed_unit(db.session, current_user(), code)
    form = DecisionForm()
    if not form.validate():
        return _page(unit, form, 400)
    try:
        objection = objections.decide_objection(
            db.session, current_user(), form.objection.data, form.decision, form.note.data,
            unit_ids=unit_and_descendant_ids(db.session, unit))
    except RecordRefused as error:
        db.session.rollback()
        status, message = refusal(error)
        return _page(unit, form, status, message)
    db.session.commit()
    if objection.status == "upheld":
        flash(_("Keberatan diterima: respons itu tidak lagi dihitung dalam nilai petugas; "
                "IKM unit tidak berubah."))
    else:
        flash(_("Keberatan ditolak: respons itu tetap dihitung dalam nilai petugas."))
    return redirect(url_for("admin.objections_list", code=unit.code,
                            _anchor=f"keberatan-{objection.id}"), code=303)
