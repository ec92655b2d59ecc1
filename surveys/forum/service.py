"""Recording a unit's Forum Konsultasi Publik sessions, their decisions and the follow-up actions
(rencana tindak lanjut) linked to them. Only managers of the unit (or a parent unit) and admins
change anything; every change is in the audit log. Services flush, never commit.

Everything here reaches the portal, so no text may carry an e-mail address, a phone-, NIK- or
NIP-like number or the full name of an officer of the organization: "who" of an action is a
position (jabatan), never a person. An action moves rencana → berjalan → selesai; "selesai" needs
evidence of completion and sets the day it was done, reopening clears that day.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy.orm import Session

from surveys import audit
from surveys.complaints.rules import has_personal_data
from surveys.errors import ForumRefused
from surveys.forum import rules
from surveys.models import FollowUpAction, ForumDecision, ForumSession, Unit, User
from surveys.models.forum import ACTION_STATUSES
from surveys.organization import grants
from surveys.periods import Period, local_day
from surveys.public_text import names_an_officer

SESSION = "forum_session"
DECISION = "forum_decision"
ACTION = "follow_up_action"
SESSION_FIELDS = ("period", "held_on", "place", "participants", "points")
DECISION_FIELDS = ("session_id", "text")
ACTION_FIELDS = ("period", "decision_id", "what", "who", "due_on", "status", "evidence",
                 "completed_on")


def _public(session: Session, unit: Unit, value: str | None, field: str) -> None:
    """Refuses a text for the portal that carries personal data."""
    if value is None:
        return
    if has_personal_data(value):
        raise ForumRefused("personal_data", field)
    if names_an_officer(session, unit, value):
        raise ForumRefused("officer_name", field)


def _today(unit: Unit, now: datetime) -> date:
    return local_day(now, unit.timezone)


def _audited(session: Session, actor: User, row, entity: str, fields: tuple[str, ...],
             unit_id: int, action: str, change) -> None:
    """Applies `change` (a function of the row) and audits it, when it changed anything."""
    audit.apply(session, row, change, actor=actor, action=action, entity=entity, fields=fields,
                unit_id=unit_id)


def _created(session: Session, actor: User, row, entity: str, fields: tuple[str, ...],
             unit_id: int) -> None:
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="create", entity=entity, entity_id=row.id,
                 unit_id=unit_id, after=audit.values(row, *fields))


def _session_values(session: Session, unit: Unit, held_on, place, participants: Mapping,
                    points, now: datetime) -> dict:
    """The checked values of a session; its period is the triwulan it was held in."""
    day = rules.day(held_on, "held_on")
    if day > _today(unit, now):
        raise ForumRefused("in_future", "held_on")
    values = {"held_on": day, "place": rules.text(place, "place", rules.SHORT_MAX),
              "participants": rules.participants(participants),
              "points": rules.text(points, "points")}
    for field in ("place", "points"):
        _public(session, unit, values[field], field)
    return {**values, "period": Period.quarter_of(day).code}


def record_session(session: Session, actor: User, unit: Unit, *, held_on, place,
                   participants: Mapping, points, now: datetime) -> ForumSession:
    """A forum session held on `held_on` (YYYY-MM-DD or a date, not after today), where, head
    counts by group (PARTICIPANT_GROUPS, at least one person) and the points raised."""
    grants.require_manager(session, actor, unit)
    values = _session_values(session, unit, held_on, place, participants, points, now)
    row = ForumSession(unit_id=unit.id, created_by_id=actor.id, **values)
    row.unit = unit
    _created(session, actor, row, SESSION, SESSION_FIELDS, unit.id)
    return row


def edit_session(session: Session, actor: User, forum: ForumSession, *, held_on, place,
                 participants: Mapping, points, now: datetime) -> None:
    """New values for a session; its actions follow it when it moves to another triwulan."""
    grants.require_manager(session, actor, forum.unit)
    values = _session_values(session, forum.unit, held_on, place, participants, points, now)

    def change(row: ForumSession) -> None:
        for name, value in values.items():
            setattr(row, name, value)
    _audited(session, actor, forum, SESSION, SESSION_FIELDS, forum.unit_id, "update", change)
    for decision in forum.decisions:
        for action in decision.actions:
            _audited(session, actor, action, ACTION, ACTION_FIELDS, action.unit_id, "update",
                     lambda row: setattr(row, "period", forum.period))


def add_decision(session: Session, actor: User, forum: ForumSession, text) -> ForumDecision:
    """A decision the session took."""
    grants.require_manager(session, actor, forum.unit)
    value = rules.text(text, "text")
    _public(session, forum.unit, value, "text")
    row = ForumDecision(session_id=forum.id, text=value)
    row.session = forum
    _created(session, actor, row, DECISION, DECISION_FIELDS, forum.unit_id)
    return row


def edit_decision(session: Session, actor: User, decision: ForumDecision, text) -> None:
    forum = decision.session
    grants.require_manager(session, actor, forum.unit)
    value = rules.text(text, "text")
    _public(session, forum.unit, value, "text")
    _audited(session, actor, decision, DECISION, DECISION_FIELDS, forum.unit_id, "update",
             lambda row: setattr(row, "text", value))


def remove_decision(session: Session, actor: User, decision: ForumDecision) -> None:
    """Removes a decision recorded by mistake; one with follow-up actions stays (the public has
    seen what was promised: edit it instead)."""
    forum = decision.session
    grants.require_manager(session, actor, forum.unit)
    if decision.actions:
        raise ForumRefused("has_actions")
    before = audit.values(decision, *DECISION_FIELDS)
    decision_id = decision.id
    forum.decisions.remove(decision)
    session.flush()
    audit.record(session, actor=actor, action="delete", entity=DECISION, entity_id=decision_id,
                 unit_id=forum.unit_id, before=before)


def _action_values(session: Session, unit: Unit, forum: ForumSession, what, who,
                   due_on) -> dict:
    values = {"what": rules.text(what, "what"), "who": rules.text(who, "who", rules.SHORT_MAX),
              "due_on": rules.day(due_on, "due_on")}
    if values["due_on"] < forum.held_on:
        raise ForumRefused("before_session", "due_on")
    for field in ("what", "who"):
        _public(session, unit, values[field], field)
    return values


def _status_values(session: Session, unit: Unit, row: FollowUpAction | None, status,
                   evidence, now: datetime) -> dict:
    """status, evidence and completed_on: selesai needs evidence and keeps the day it was first
    done; any other status clears that day."""
    if not isinstance(status, str) or status not in ACTION_STATUSES:
        raise ForumRefused("unknown_status", "status")
    proof = rules.optional_text(evidence, "evidence")
    if status == "selesai" and proof is None:
        raise ForumRefused("evidence_required", "evidence")
    _public(session, unit, proof, "evidence")
    if status != "selesai":
        done = None
    elif row is not None and row.status == "selesai" and row.completed_on is not None:
        done = row.completed_on
    else:
        done = _today(unit, now)
    return {"status": status, "evidence": proof, "completed_on": done}


def add_action(session: Session, actor: User, decision: ForumDecision, *, what, who, due_on,
               status="rencana", evidence=None, now: datetime) -> FollowUpAction:
    """A follow-up action carrying out `decision`: what, who (a position), by when, status."""
    forum = decision.session
    unit = forum.unit
    grants.require_manager(session, actor, unit)
    values = _action_values(session, unit, forum, what, who, due_on)
    values.update(_status_values(session, unit, None, status, evidence, now))
    row = FollowUpAction(unit_id=unit.id, period=forum.period, decision_id=decision.id, **values)
    row.unit, row.decision = unit, decision
    _created(session, actor, row, ACTION, ACTION_FIELDS, unit.id)
    return row


def _forum_of(action: FollowUpAction) -> ForumSession | None:
    return action.decision.session if action.decision is not None else None


def edit_action(session: Session, actor: User, action: FollowUpAction, *, what, who,
                due_on) -> None:
    """New what, who and due day of an action (its status has its own form)."""
    grants.require_manager(session, actor, action.unit)
    forum = _forum_of(action)
    if forum is None:  # a stand-alone action: only its own texts and day are checked
        values = {"what": rules.text(what, "what"),
                  "who": rules.text(who, "who", rules.SHORT_MAX),
                  "due_on": rules.day(due_on, "due_on")}
        for field in ("what", "who"):
            _public(session, action.unit, values[field], field)
    else:
        values = _action_values(session, action.unit, forum, what, who, due_on)

    def change(row: FollowUpAction) -> None:
        for name, value in values.items():
            setattr(row, name, value)
    _audited(session, actor, action, ACTION, ACTION_FIELDS, action.unit_id, "update", change)


def set_action_status(session: Session, actor: User, action: FollowUpAction, status, evidence,
                      now: datetime) -> None:
    """rencana, berjalan or selesai (with evidence of completion)."""
    grants.require_manager(session, actor, action.unit)
    values = _status_values(session, action.unit, action, status, evidence, now)

    def change(row: FollowUpAction) -> None:
        for name, value in values.items():
            setattr(row, name, value)
    _audited(session, actor, action, ACTION, ACTION_FIELDS, action.unit_id, "status", change)
