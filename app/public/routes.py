"""Public pages: the survey form of a touchpoint and the thank-you page (the portal's unit
list: app/public/portal.py; the published results of a unit: app/public/published.py)."""
from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from app.extensions import SNAPSHOTS, csrf, db
from app.public import abuse_signals as signals
from app.public import bp, form_page, form_token, guard, tickets
from app.public.forms import field_messages, private, survey_page
from surveys.db import utcnow
from surveys.errors import InvalidSubmission
from surveys.organization import directory
from surveys.periods import Period
from surveys.responses import upkeep
from surveys.responses.submission import submit_response, survey_form

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


@bp.route("/s/<code>", methods=["GET", "POST"])
@csrf.exempt  # its own token, checked first (app/public/form_token.py)
@guard.survey_limits
def survey(code: str):
    if request.method != "POST":
        return form_page.survey_form(code)  # the rendered page, reused (app/public/form_page.py)
    form_token.check(request.form)  # CSRFError: the 400 page of app/errors.py
    if signals.honeypot_filled(request.form):
        return guard.trap_page()  # a bot: looks accepted, nothing is stored
    ticket = tickets.form_ticket()  # a ticket's form posts its token along
    try:
        stored = submit_response(
            db.session, code, request.form, ticket=ticket,
            submission_key=request.form.get("submission_key"),
            signals=signals.collect_signals(), rules=signals.abuse_rules(),
            snapshots=current_app.extensions[SNAPSHOTS])
    except InvalidSubmission as refused:
        db.session.rollback()
        page = survey_form(db.session, code, utcnow(), ticket)
        return survey_page(page, field_messages(refused.errors),
                           ticket and request.form.get(tickets.TICKET_FIELD))
    db.session.commit()
    return redirect(url_for("public.thanks", receipt=stored.receipt), code=303)


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
    return private(html, 200)


def public_period(code: str | None) -> Period:
    """The period a public page asks for (default: the current triwulan); InvalidPeriod is a 400."""
    return Period.parse(code) if code else Period.quarter_of(utcnow().date())


def fold_rollup_queue() -> None:
    """The one write a public GET makes, in its own short transaction before it reads: queued
    responses folded into the roll-up (idempotent upkeep; surveys/reporting/rollup.py says why),
    and burst detection's window checks when due (surveys/responses/upkeep.py: no cron needed)."""
    upkeep.fold_and_check(db.session, utcnow(), rules=signals.abuse_rules())
    db.session.commit()
