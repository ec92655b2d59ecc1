"""Co-worker input (rekan kerja) pages: the evaluator's rounds on an officer, the links shown once
after opening, a round's results (hidden below 3 answers, never with names), the invitation list
(the only page with co-workers' names, and it says nothing of who answered), closing; and the
co-worker's own form at `/rekan/<token>`, public, rate-limited, CSRF-checked like the citizen form.
"""
from __future__ import annotations

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.access import current_user, signed_in
from app.evaluations import bp
from app.evaluations.coworker_forms import (
    ANSWER_MESSAGES,
    BEHAVIOUR_HINTS,
    BEHAVIOUR_LABELS,
    ROUND_REFUSALS,
    SCALE_LABELS,
    TOKEN_REFUSALS,
    CloseRoundForm,
    OpenRoundForm,
)
from app.evaluations.routes import _personal
from app.extensions import csrf, db, limiter
from app.public import abuse_signals as signals
from app.public import form_token
from app.public.form_page import submission_key
from app.public.routes import public_period
from app.urls import public_url
from surveys.errors import InvalidSubmission, RecordRefused
from surveys.evaluations import coworker as service
from surveys.models import CoworkerRound, Staff
from surveys.models.evaluation import BEHAVIOURS
from surveys.organization import grants
from surveys.reporting import officers

LIMIT_DEFAULT = "60 per minute"  # per IP, on the co-worker's form: a backstop against scans


@bp.app_template_global()
def coworker_words() -> dict:
    """The behaviour names and scale words every co-worker template shows."""
    return {"labels": BEHAVIOUR_LABELS, "hints": BEHAVIOUR_HINTS, "scale": SCALE_LABELS,
            "order": BEHAVIOURS, "minimum": service.MIN_COWORKERS}


def _round_manager():
    """The signed-in user, when they may manage some officer's rounds (an admin or an
    evaluator); 403 otherwise, before anything is looked up."""
    user = current_user()
    if not (grants.is_admin(user) or grants.evaluated_staff_ids(user)):
        abort(403)
    return user


def _managed_staff(public_ref: str) -> Staff:
    """The officer of a rounds page: 403 for who manages no officer's rounds at all (not even
    whether the reference exists), 404 unknown, 403 not theirs."""
    user = _round_manager()
    staff = officers.staff_by_ref(db.session, public_ref)
    if staff is None:
        abort(404, description=_("Pegawai tidak ditemukan."))
    if not service.may_manage(user, staff.id):
        abort(403, description=str(ROUND_REFUSALS["not_evaluator"]))
    return staff


def _managed_round(round_id: int) -> CoworkerRound:
    """The round of a round page: as `_managed_staff`, for a round id."""
    user = _round_manager()
    round_ = service.round_by_id(db.session, round_id)
    if round_ is None:
        abort(404, description=_("Putaran masukan rekan kerja tidak ditemukan."))
    if not service.may_manage(user, round_.staff_id):
        abort(403, description=str(ROUND_REFUSALS["not_evaluator"]))
    return round_


def _open_form(staff: Staff) -> OpenRoundForm:
    form = OpenRoundForm()
    form.invitees.choices = {s.id: s.name for s in service.candidate_coworkers(db.session, staff)}
    if not form.is_submitted():
        form.period.data = request.args.get("periode") or public_period(None).code
    return form


def _rounds_page(staff: Staff, form: OpenRoundForm, status: int = 200):
    rows = [(round_, service.results(db.session, round_))
            for round_ in service.rounds_of(db.session, staff)]
    response = _personal("evaluations/coworker_rounds.html", staff=staff, form=form, rows=rows)
    response.status_code = status
    return response


@bp.route("/penilaian/pegawai/<public_ref>/rekan", methods=["GET", "POST"])
@signed_in
def coworker_rounds(public_ref: str):
    """An officer's co-worker rounds and the form that opens one; opening shows the links once."""
    staff = _managed_staff(public_ref)
    form = _open_form(staff)
    if not form.validate_on_submit():
        return _rounds_page(staff, form, 400 if form.is_submitted() else 200)
    try:
        opened = service.open_round(db.session, current_user(), staff, form.period.data,
                                    form.invitees.data)
    except RecordRefused as refused:
        db.session.rollback()
        field = form.period if refused.field == "period" else form.invitees
        field.errors = [*field.errors, str(ROUND_REFUSALS.get(refused.code,
                                                              ROUND_REFUSALS["unknown_invitee"]))]
        return _rounds_page(staff, form, 409 if refused.code == "exists" else 400)
    db.session.commit()
    links = [(invitee, public_url("evaluations.coworker_form", token=token))
             for invitee, token in opened.links]
    return _personal("evaluations/coworker_links.html", staff=staff, round=opened.round,
                     links=links)


@bp.get("/penilaian/rekan/<int:round_id>")
@signed_in
def coworker_round(round_id: int):
    """A round's results: counts, and from 3 answers the figures and comments; no names."""
    round_ = _managed_round(round_id)
    return _personal("evaluations/coworker_round.html", round=round_, staff=round_.staff,
                     results=service.results(db.session, round_), close_form=CloseRoundForm())


@bp.get("/penilaian/rekan/<int:round_id>/undangan")
@signed_in
def coworker_invitations(round_id: int):
    """Who was invited (the evaluator chose them); never who answered, nor when."""
    round_ = _managed_round(round_id)
    invitees = sorted((i.invitee for i in round_.invitations), key=lambda s: (s.name, s.id))
    return _personal("evaluations/coworker_invitations.html", round=round_, staff=round_.staff,
                     invitees=invitees)


@bp.post("/penilaian/rekan/<int:round_id>/tutup")
@signed_in
def coworker_close(round_id: int):
    round_ = _managed_round(round_id)
    if not CloseRoundForm().validate_on_submit():
        abort(400)
    try:
        service.close_round(db.session, current_user(), round_)
    except RecordRefused as refused:
        db.session.rollback()
        abort(409, description=str(ROUND_REFUSALS.get(refused.code, ROUND_REFUSALS["closed"])))
    db.session.commit()
    return redirect(url_for("evaluations.coworker_round", round_id=round_id), code=303)


def _limit() -> str:
    return current_app.config.get("RATELIMIT_COWORKER_PER_IP", LIMIT_DEFAULT)


def _private(html: str, status: int):
    """A co-worker's page: never cached (a shared phone's back button shows no answers), and the
    device cookie the form's token is bound to."""
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return signals.ensure_device_cookie(response)


def _refused(refused: RecordRefused):
    status, message = TOKEN_REFUSALS.get(refused.code, TOKEN_REFUSALS["unknown_token"])
    return _private(render_template("errors/error.html", code=status, message=str(message)),
                    status)


def _form_page(token: str, invitation, errors: dict[str, str] | None = None,
               values=None, status: int = 200):
    key = submission_key(request.form.get("submission_key") if errors else None)
    html = render_template("evaluations/coworker_form.html", token=token,
                           staff=invitation.round.staff, period=invitation.round.period,
                           errors=errors or {}, values=values or {}, submission_key=key,
                           form_token=form_token.issue(key),
                           max_chars=service.COMMENT_MAX_CHARS)
    return _private(html, status)


@bp.route("/rekan/<token>", methods=["GET", "POST"])
@csrf.exempt  # the citizen form's own token, checked first (app/public/form_token.py)
@limiter.limit(_limit, key_func=lambda: f"ip:{request.remote_addr}", scope="coworker-ip")
def coworker_form(token: str):
    """The co-worker's form (no sign-in): the link itself is the permission, once."""
    try:
        if request.method != "POST":
            return _form_page(token, service.invitation_for(db.session, token))
        form_token.check(request.form)  # CSRFError: the 400 page of app/errors.py
        service.answer(db.session, token, {code: request.form.get(code) for code in BEHAVIOURS},
                       request.form.get("comment"))
    except RecordRefused as refused:
        db.session.rollback()
        return _refused(refused)
    except InvalidSubmission as invalid:
        db.session.rollback()
        errors = {field: str(ANSWER_MESSAGES.get(code, ANSWER_MESSAGES["out_of_range"]))
                  for field, code in invalid.errors.items()}
        return _form_page(token, service.invitation_for(db.session, token), errors,
                          request.form, 400)
    db.session.commit()
    return redirect(url_for("evaluations.coworker_thanks"), code=303)


@bp.get("/rekan/terima-kasih")
def coworker_thanks():
    return _private(render_template("evaluations/coworker_thanks.html"), 200)
