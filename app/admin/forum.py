"""A unit's Forum Konsultasi Publik and follow-up actions (issue 14): `/admin/unit/<code>/forum`
(the sessions of a period and the form to record one), `/admin/unit/<code>/forum/<id>` (one
session with its decisions, the forms to edit it, to add, edit or remove decisions and to give a
decision its follow-up actions) and `/admin/unit/<code>/tindak-lanjut` (every follow-up action of
the unit with its status form). All of it reaches the portal. Managers of the unit (or a parent
unit) and admins; each POST parses, calls one service, commits once and redirects (303)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field

from app.admin import bp
from app.admin.forum_forms import (
    GROUP_NAMES,
    STATUS_NAMES,
    ActionEditForm,
    ActionForm,
    DecisionForm,
    RemoveDecisionForm,
    SessionForm,
    StatusForm,
)
from app.admin.routes import asked_period, manager_only
from app.auth.access import current_user
from app.extensions import db
from surveys.db import utcnow
from surveys.errors import ForumRefused
from surveys.forum import reads, service
from surveys.forum.rules import COUNT_MAX, participant_field
from surveys.models import FollowUpAction, ForumDecision, ForumSession, Unit
from surveys.models.forum import PARTICIPANT_GROUPS
from surveys.organization.touchpoints import managed_unit
from surveys.periods import Period
from surveys.reporting.dashboard import default_period

STATE_CODES = ("has_actions",)  # refusals of a row's state: 409; the rest are of the input: 400
REQUIRED = {"held_on": _l("Tanggal wajib diisi (TTTT-BB-HH)."),
            "place": _l("Tempat wajib diisi."), "points": _l("Hal yang disampaikan wajib diisi."),
            "text": _l("Keputusan wajib diisi."),
            "what": _l("Rencana tindak lanjut wajib diisi."),
            "who": _l("Penanggung jawab (jabatan) wajib diisi.")}


def refusal_message(refused: ForumRefused) -> str:
    """The Indonesian message of the service's ForumRefused codes."""
    if refused.code == "required":
        return str(REQUIRED.get(refused.field) or _("Wajib diisi."))
    if refused.code == "too_long":
        return (_("Paling banyak 200 karakter.") if refused.field in ("place", "who")
                else _("Paling banyak 2000 karakter."))
    return {
        "control": _("Teks berisi karakter kendali yang tidak diizinkan."),
        "bad_date": _("Tanggal tidak sah. Tulis sebagai TTTT-BB-HH, mis. 2026-09-10 (tahun "
                      "2000–2100)."),
        "in_future": _("Tanggal forum tidak boleh setelah hari ini: catat forum yang sudah "
                       "berlangsung."),
        "before_session": _("Batas waktu tidak boleh sebelum tanggal forum."),
        "not_a_count": _("Isi jumlah peserta dengan bilangan bulat, mis. 12 (kosong berarti 0)."),
        "negative": _("Jumlah peserta tidak boleh negatif."),
        "too_many": _("Jumlah peserta satu kelompok paling banyak %(n)s.", n=COUNT_MAX),
        "no_participants": _("Isi jumlah peserta, paling sedikit satu orang."),
        "personal_data": _("Teks ini tampil di portal: jangan cantumkan alamat e-mail atau nomor "
                           "telepon (juga NIK atau NIP)."),
        "officer_name": _("Teks ini tampil di portal: jangan cantumkan nama pegawai. Tulis "
                          "jabatannya, mis. Kepala Seksi Pelayanan."),
        "unknown_status": _("Status tidak dikenal. Pilih rencana, berjalan, atau selesai."),
        "evidence_required": _("Status selesai memerlukan bukti penyelesaian: tulis apa yang "
                               "sudah dilakukan dan di mana buktinya dapat dilihat."),
        "has_actions": _("Keputusan ini sudah punya rencana tindak lanjut dan tidak dapat "
                         "dihapus; ubah teksnya bila perlu."),
    }.get(refused.code, _("Permintaan tidak dapat diproses."))


def _refused(form: FlaskForm, refused: ForumRefused) -> tuple[str | None, int]:
    """Rolls back and puts the refusal's message on the form's field (or the form); gives the
    page-wide problem (a refusal of the row's state) and the status."""
    db.session.rollback()
    message = refusal_message(refused)
    if refused.code in STATE_CODES:
        return message, 409
    target = getattr(form, refused.field, None) if refused.field else None
    if isinstance(target, Field):
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)
    return None, 400


def _unit(code: str) -> Unit:
    return managed_unit(db.session, current_user(), code)


def _forum(unit: Unit, session_id: int) -> ForumSession:
    row = reads.session_in(db.session, unit, session_id)
    if row is None:
        abort(404, description=_("Forum tidak ditemukan di unit ini."))
    return row


def _decision(forum: ForumSession, decision_id: int) -> ForumDecision:
    row = reads.decision_in(db.session, forum, decision_id)
    if row is None:
        abort(404, description=_("Keputusan tidak ditemukan di forum ini."))
    return row


def _action(unit: Unit, action_id: int) -> FollowUpAction:
    row = reads.action_in(db.session, unit, action_id)
    if row is None:
        abort(404, description=_("Rencana tindak lanjut tidak ditemukan di unit ini."))
    return row


def _session_form(row: ForumSession | None = None) -> SessionForm:
    if row is None:
        return SessionForm(formdata=None)
    counts = {participant_field(g): str(row.participants.get(g, 0)) for g in PARTICIPANT_GROUPS}
    return SessionForm(formdata=None, held_on=row.held_on.isoformat(), place=row.place,
                       points=row.points, **counts)


def _session_values(form: SessionForm) -> dict:
    return {"held_on": form.held_on.data, "place": form.place.data,
            "participants": form.participants(), "points": form.points.data}


def _back(endpoint: str, message: str, **values):
    db.session.commit()
    flash(message)
    return redirect(url_for(endpoint, **values), code=303)


# The sessions of a period -------------------------------------------------------------------

def _list_page(unit: Unit, period: Period, form: SessionForm | None = None, status: int = 200):
    return render_template(
        "admin/forum/list.html", unit=unit, period=period,
        sessions=reads.sessions(db.session, unit, period, utcnow()),
        periods=reads.periods(db.session, unit), form=form or _session_form(),
        group_names=GROUP_NAMES, status_names=STATUS_NAMES), status


@bp.get("/unit/<code>/forum")
@manager_only
def forum_sessions(code: str):
    unit = _unit(code)
    return _list_page(unit, asked_period(unit, next(iter(reads.periods(db.session, unit)), None)))


@bp.post("/unit/<code>/forum")
@manager_only
def record_forum_session(code: str):
    """Records a session held; its page then takes the decisions."""
    unit = _unit(code)
    period = default_period(unit, utcnow())
    form = SessionForm()
    if not form.validate_on_submit():
        return _list_page(unit, period, form, 400)
    try:
        row = service.record_session(db.session, current_user(), unit, **_session_values(form),
                                     now=utcnow())
    except ForumRefused as refused:
        _problem, status = _refused(form, refused)
        return _list_page(unit, period, form, status)
    return _back("admin.forum_session", _("Forum %(day)s dicatat. Tambahkan keputusannya di "
                                          "bawah.", day=row.held_on.strftime("%d-%m-%Y")),
                 code=unit.code, session_id=row.id)


# One session --------------------------------------------------------------------------------

def _session_page(unit: Unit, row: ForumSession, *, failed: tuple[str, FlaskForm] | None = None,
                  problem: str | None = None, status: int = 200):
    """The session with its decisions and their actions, and every form of the page; `failed`
    (key, form) is a refused form shown again with what was typed and its messages."""
    forms: dict[str, FlaskForm] = {"session": _session_form(row),
                                   "decision": DecisionForm(formdata=None)}
    for decision in row.decisions:
        forms[f"d{decision.id}"] = DecisionForm(formdata=None, prefix=f"d{decision.id}",
                                                text=decision.text)
        forms[f"r{decision.id}"] = RemoveDecisionForm(formdata=None, prefix=f"r{decision.id}")
        forms[f"n{decision.id}"] = ActionForm(formdata=None, prefix=f"n{decision.id}")
    if failed is not None:
        forms[failed[0]] = failed[1]
    return render_template(
        "admin/forum/session.html", unit=unit, row=row, view=reads.session_view(row, utcnow()),
        forms=forms, problem=problem, group_names=GROUP_NAMES,
        status_names=STATUS_NAMES), status


@bp.get("/unit/<code>/forum/<int:session_id>")
@manager_only
def forum_session(code: str, session_id: int):
    unit = _unit(code)
    return _session_page(unit, _forum(unit, session_id))


def _session_post(code: str, session_id: int, key: str, make_form, act, message: str,
                  decision_id: int | None = None):
    """One form of the session's page: parse it, call the service once, commit once."""
    unit = _unit(code)
    row = _forum(unit, session_id)
    decision = None if decision_id is None else _decision(row, decision_id)
    form = make_form()
    if not form.validate_on_submit():
        return _session_page(unit, row, failed=(key, form), status=400)
    try:
        act(form, row, decision)
    except ForumRefused as refused:
        problem, status = _refused(form, refused)
        db.session.refresh(row)
        return _session_page(unit, row, failed=(key, form), problem=problem, status=status)
    return _back("admin.forum_session", message, code=unit.code, session_id=row.id)


@bp.post("/unit/<code>/forum/<int:session_id>/ubah")
@manager_only
def edit_forum_session(code: str, session_id: int):
    def act(form, row, _decision):
        service.edit_session(db.session, current_user(), row, **_session_values(form),
                             now=utcnow())
    return _session_post(code, session_id, "session", SessionForm, act,
                         _("Data forum disimpan."))


@bp.post("/unit/<code>/forum/<int:session_id>/keputusan")
@manager_only
def add_forum_decision(code: str, session_id: int):
    def act(form, row, _decision):
        service.add_decision(db.session, current_user(), row, form.text.data)
    return _session_post(code, session_id, "decision", DecisionForm, act,
                         _("Keputusan ditambahkan."))


@bp.post("/unit/<code>/forum/<int:session_id>/keputusan/<int:decision_id>/ubah")
@manager_only
def edit_forum_decision(code: str, session_id: int, decision_id: int):
    def act(form, _row, decision):
        service.edit_decision(db.session, current_user(), decision, form.text.data)
    return _session_post(code, session_id, f"d{decision_id}",
                         lambda: DecisionForm(prefix=f"d{decision_id}"), act,
                         _("Keputusan disimpan."), decision_id)


@bp.post("/unit/<code>/forum/<int:session_id>/keputusan/<int:decision_id>/hapus")
@manager_only
def remove_forum_decision(code: str, session_id: int, decision_id: int):
    def act(_form, _row, decision):
        service.remove_decision(db.session, current_user(), decision)
    return _session_post(code, session_id, f"r{decision_id}",
                         lambda: RemoveDecisionForm(prefix=f"r{decision_id}"), act,
                         _("Keputusan dihapus."), decision_id)


@bp.post("/unit/<code>/forum/<int:session_id>/keputusan/<int:decision_id>/tindak-lanjut")
@manager_only
def add_follow_up_action(code: str, session_id: int, decision_id: int):
    def act(form, _row, decision):
        service.add_action(db.session, current_user(), decision, what=form.what.data,
                           who=form.who.data, due_on=form.due_on.data, status=form.status.data,
                           evidence=form.evidence.data, now=utcnow())
    return _session_post(code, session_id, f"n{decision_id}",
                         lambda: ActionForm(prefix=f"n{decision_id}"), act,
                         _("Rencana tindak lanjut ditambahkan."), decision_id)


# Every follow-up action of the unit ---------------------------------------------------------

def _actions_page(unit: Unit, *, failed: tuple[str, FlaskForm] | None = None,
                  status: int = 200):
    actions = reads.unit_actions(db.session, unit, utcnow())
    forms: dict[str, FlaskForm] = {}
    for action in actions:
        forms[f"s{action.id}"] = StatusForm(formdata=None, prefix=f"s{action.id}",
                                            status=action.status,
                                            evidence=action.evidence or "")
        forms[f"e{action.id}"] = ActionEditForm(formdata=None, prefix=f"e{action.id}",
                                                what=action.what, who=action.who,
                                                due_on=action.due_on.isoformat())
    if failed is not None:
        forms[failed[0]] = failed[1]
    return render_template("admin/forum/actions.html", unit=unit, actions=actions, forms=forms,
                           status_names=STATUS_NAMES), status


@bp.get("/unit/<code>/tindak-lanjut")
@manager_only
def follow_up_actions(code: str):
    return _actions_page(_unit(code))


def _action_post(code: str, action_id: int, key: str, form_class, act, message: str):
    unit = _unit(code)
    row = _action(unit, action_id)
    form = form_class(prefix=key)
    if not form.validate_on_submit():
        return _actions_page(unit, failed=(key, form), status=400)
    try:
        act(form, row)
    except ForumRefused as refused:
        _problem, status = _refused(form, refused)
        return _actions_page(unit, failed=(key, form), status=status)
    return _back("admin.follow_up_actions", message, code=unit.code,
                 _anchor=f"tindak-lanjut-{row.id}")


@bp.post("/unit/<code>/tindak-lanjut/<int:action_id>/status")
@manager_only
def follow_up_status(code: str, action_id: int):
    def act(form, row):
        service.set_action_status(db.session, current_user(), row, form.status.data,
                                  form.evidence.data, utcnow())
    return _action_post(code, action_id, f"s{action_id}", StatusForm, act,
                        _("Status rencana tindak lanjut disimpan."))


@bp.post("/unit/<code>/tindak-lanjut/<int:action_id>/ubah")
@manager_only
def edit_follow_up_action(code: str, action_id: int):
    def act(form, row):
        service.edit_action(db.session, current_user(), row, what=form.what.data,
                            who=form.who.data, due_on=form.due_on.data)
    return _action_post(code, action_id, f"e{action_id}", ActionEditForm, act,
                        _("Rencana tindak lanjut disimpan."))
