"""Public pages: the unit list, the survey form of a touchpoint and the thank-you page."""
from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import csrf, db, lean_engine
from app.public import bp, form_page, form_token, guard, tickets
from app.public.forms import (
    FIELD_LABELS,
    PROFILE_CHOICES,
    PROFILE_LABELS,
    WAITING_LABELS,
    field_messages,
    submission_key,
)
from surveys.organization import directory
from surveys.db import utcnow
from surveys.driver_sql import run_lean
from surveys.errors import InvalidSubmission, TouchpointClosed, TouchpointNotFound, UnitNotFound
from surveys.periods import InvalidPeriod, Period
from surveys.reporting import rollup
from surveys.reporting.service import public_index
from surveys.responses.instruments import SKM_ITEMS
from surveys.responses.submission import survey_page

# The regulation's performance labels, as the visitor's language shows them.
KINERJA_LABELS = {
    "Sangat Baik": _l("Sangat Baik"),
    "Baik": _l("Baik"),
    "Kurang Baik": _l("Kurang Baik"),
    "Tidak Baik": _l("Tidak Baik"),
}
# A kiosk's thank-you page returns to a fresh form after this many seconds, and shows its
# receipt only this long after the submission (a later visitor of the same tablet sees nothing).
KIOSK_RESET_SECONDS = 10
KIOSK_RECEIPT_SECONDS = 120


def _private(html: str, status: int):
    """A kiosk page: never cached, so the back button cannot bring a citizen's answers back."""
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _error_labels(page, language: str) -> dict[str, str]:
    """What the error summary calls each field (built only when there is an error to name)."""
    return {**{item.code: item.text(language) for item in page.instrument.items},
            **{field: str(label) for field, label in FIELD_LABELS.items()}}


@bp.get("/")
def index():
    units = directory.public_units(db.session)
    touchpoints = directory.counter_touchpoints(db.session, [unit.id for unit in units])
    return render_template("public/index.html", units=units, touchpoints=touchpoints)


@bp.route("/s/<code>", methods=["GET", "POST"])
@csrf.exempt  # its own token, checked first (app/public/form_token.py)
@guard.survey_limits
def survey(code: str):
    errors: dict[str, str] = {}
    try:
        if request.method != "POST" and (cached := form_page.survey_form(code)) is not None:
            return cached  # the rendered page, reused (app/public/form_page.py)
        if request.method == "POST":
            form_token.check(request.form)  # CSRFError: the 400 page of app/errors.py
            if guard.signals.honeypot_filled(request.form):
                return guard.trap_page()  # a bot: looks accepted, nothing is stored
            try:
                # Written through the lean engine (one statement on PostgreSQL), committed by run_lean.
                stored = run_lean(lean_engine(), lambda driver: tickets.submit(
                    code, request.form, request.form.get("submission_key"), driver))
            except InvalidSubmission as refused:
                db.session.rollback()
                errors = field_messages(refused.errors)
            else:  # the session only read, if at all (snapshots): its teardown ends that
                return redirect(url_for("public.thanks", receipt=stored.receipt), code=303)
        page = survey_page(db.session, code, utcnow().date())
    except TouchpointNotFound:
        abort(404, description=_("Kode QR ini tidak dikenal. Periksa kembali alamat yang Anda ketik."))
    except TouchpointClosed:
        abort(410, description=_("Kode QR ini sudah tidak digunakan lagi. Terima kasih atas "
                                 "kesediaan Anda; silakan pindai kode yang terpasang di loket."))
    key = submission_key(request.form.get("submission_key"))  # a refused form keeps its own
    language = str(get_locale())
    kiosk = page.touchpoint.kind == "kiosk"
    html = render_template(
        "public/survey.html",
        submission_key=key,
        form_token=form_token.issue(key),
        page=page,
        errors=errors,
        values=request.form,
        kiosk=kiosk,
        error_labels=_error_labels(page, language) if errors else {},
        waiting_labels=WAITING_LABELS,
        profile_choices=PROFILE_CHOICES,
        profile_labels=PROFILE_LABELS,
        retention_days=current_app.config["REPLY_CONTACT_RETENTION_DAYS"],
    )
    # The default instrument is created on first use. Committed after rendering, so the page
    # reads the objects already loaded instead of reloading every one the commit would expire.
    db.session.commit()
    status = 422 if errors else 200
    return _private(html, status) if kiosk else (html, status)


@bp.get("/terima-kasih/<receipt>")
def thanks(receipt: str):
    response = directory.response_by_receipt(db.session, receipt)
    if response is None:
        abort(404)
    if response.touchpoint_kind != "kiosk":
        return render_template("public/thanks.html", response=response, fresh_form=None)
    # Kiosk: the next citizen starts on an empty form in the default language.
    fresh_form = url_for("public.survey", code=response.touchpoint_code, lang="id")
    if utcnow() - response.submitted_at > timedelta(seconds=KIOSK_RECEIPT_SECONDS):
        return redirect(fresh_form, code=303)
    html = render_template("public/thanks.html", response=response, fresh_form=fresh_form,
                           reset_seconds=KIOSK_RESET_SECONDS)
    return _private(html, 200)


def public_period(code: str | None) -> Period:
    """The period a public page or API call asks for (default: the current triwulan), or 400."""
    try:
        return Period.parse(code) if code else Period.quarter_of(utcnow().date())
    except InvalidPeriod:
        abort(400, description=_("Periode tidak dikenal. Contoh: 2026, 2026-S1, 2026-Q3, 2026-07."))


def fold_rollup_queue() -> None:
    """The one write a public GET makes, in its own short transaction before it reads: queued
    responses folded into the roll-up (idempotent upkeep; surveys/reporting/rollup.py says why)."""
    rollup.fold_pending(db.session)
    db.session.commit()


@bp.get("/unit/<code>")
def unit_results(code: str):
    period = public_period(request.args.get("periode"))
    fold_rollup_queue()
    try:
        index = public_index(db.session, code, period, current_app.config["PUBLIC_MIN_RESPONDENTS"])
    except UnitNotFound:
        abort(404)
    names = {item.code: item for item in SKM_ITEMS}
    return render_template("public/unit.html", index=index, names=names, kinerja=KINERJA_LABELS)
