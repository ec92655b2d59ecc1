"""An officer's objection to one response that names them, and the unit manager's decision
(DESIGN §5, §6).

Only the officer the response names may object, once per response, with a reason; the response
gets an "objected" flag with that reason (which alone changes no figure). A manager of the
response's unit (or an admin) upholds it, and the response leaves that officer's score and
stays in every unit, service and counter figure (`rollup.refresh_objection`), or rejects it,
and nothing moves. Nothing here deletes or changes a response. Every step is in the audit log.
Functions flush, never commit.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from surveys import audit
from surveys.db import row_by_id, utcnow
from surveys.errors import NotAllowed, RecordRefused
from surveys.models import (
    Answer,
    InstrumentItem,
    Response,
    ResponseFlag,
    ResponseObjection,
    Staff,
    User,
)
from surveys.models.response import UNSUR_CODES
from surveys.organization import grants
from surveys.periods import Period, local_day
from surveys.reporting import rollup

ENTITY = "response_objection"
DECISIONS = ("upheld", "rejected")
TEXT_MAX = 2000  # characters of a reason or a decision note
OBJECTED = "objected"
LIST_LIMIT = 200  # newest responses (or objections) on one page; the total is counted
# Line breaks and tabs are text; every other control character (NUL above all, which
# PostgreSQL cannot store) is refused.
_CONTROL = {*(chr(c) for c in range(32)), "\x7f"} - {"\n", "\r", "\t"}


def clean_text(value: object, field: str) -> str:
    """A reason or note as stored: trimmed, required, at most TEXT_MAX characters, no control
    characters. Raises RecordRefused(code, field): 'required', 'too_long', 'control'."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise RecordRefused("required", field)
    if len(text) > TEXT_MAX:
        raise RecordRefused("too_long", field)
    if any(char in _CONTROL for char in text):
        raise RecordRefused("control", field)
    return text


def _comment(session: Session, response_id: int) -> str | None:
    return session.scalar(select(Answer.value_text).join(InstrumentItem).where(
        Answer.response_id == response_id, InstrumentItem.code == "COMMENT"))


def _own_response(session: Session, actor: User, response_id: int) -> Response:
    """The response, if it names the actor's own staff record; else 'not_found' (the same
    answer for a response naming someone else, so its existence is not told)."""
    staff_id = grants.own_staff_id(actor)
    response = row_by_id(session, Response, response_id)
    if staff_id is None or response is None or response.staff_id != staff_id:
        raise RecordRefused("not_found", "response")
    return response


def file_objection(session: Session, actor: User, response_id: int,
                   reason: str) -> ResponseObjection:
    """The officer named by `response_id` objects to it with `reason`; one objection per
    response (a second: RecordRefused 'exists'). Flags it "objected" and logs the filing."""
    response = _own_response(session, actor, response_id)
    text = clean_text(reason, "reason")
    if session.scalar(select(exists().where(ResponseObjection.response_id == response.id))):
        raise RecordRefused("exists", "response")
    objection = ResponseObjection(response_id=response.id, staff_id=response.staff_id,
                                  filed_by_id=actor.id, reason=text)
    try:
        with session.begin_nested():  # two filings at once: the unique key lets one through
            session.add(objection)
            session.flush()
    except IntegrityError:
        raise RecordRefused("exists", "response") from None
    previous = rollup.flag_state_of(session, response.id)
    flag = session.scalar(select(ResponseFlag).where(ResponseFlag.response_id == response.id,
                                                     ResponseFlag.kind == OBJECTED))
    if flag is None:
        session.add(ResponseFlag(response_id=response.id, kind=OBJECTED, reason=text))
    rollup.refresh_flags(session, response, previous)  # "objected" alone moves nothing
    audit.record(session, actor=actor, action="file", entity=ENTITY, entity_id=objection.id,
                 unit_id=response.unit_id, after={"response_id": response.id,
                                                  "staff_id": response.staff_id,
                                                  "status": "pending"}, reason=text)
    return objection


def decide_objection(session: Session, actor: User, objection_id: int, decision: str,
                     note: str, *, unit_ids: Collection[int] | None = None) -> ResponseObjection:
    """A manager of the response's unit, or an admin, upholds or rejects a pending objection
    with a note. `unit_ids` (the units of the page the decision came from) limits which
    objections may be named. Raises RecordRefused ('not_found', 'invalid', 'decided',
    'own_objection', or a note's code) or NotAllowed."""
    objection = row_by_id(session, ResponseObjection, objection_id)
    if objection is None or (unit_ids is not None
                             and objection.response.unit_id not in set(unit_ids)):
        raise RecordRefused("not_found", "objection")
    response = objection.response
    if not grants.can_manage(session, actor, response.unit):
        raise NotAllowed(response.unit.code)
    if grants.own_staff_id(actor) == objection.staff_id:
        raise RecordRefused("own_objection", "objection")  # nobody decides their own objection
    if decision not in DECISIONS:
        raise RecordRefused("invalid", "decision")
    text = clean_text(note, "note")
    if objection.status != "pending":
        raise RecordRefused("decided", "objection")
    now = utcnow()
    changed = session.execute(  # a concurrent decision already taken leaves nothing to change
        update(ResponseObjection)
        .where(ResponseObjection.id == objection.id, ResponseObjection.status == "pending")
        .values(status=decision, decision_note=text, decided_by_id=actor.id, decided_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise RecordRefused("decided", "objection")
    session.refresh(objection)
    if decision == "upheld":
        rollup.refresh_objection(session, response, was_upheld=False)
    audit.record(session, actor=actor, action="uphold" if decision == "upheld" else "reject",
                 entity=ENTITY, entity_id=objection.id, unit_id=response.unit_id,
                 before={"status": "pending"},
                 after={"status": decision, "note": text, "response_id": response.id,
                        "staff_id": objection.staff_id}, reason=text)
    return objection


# --- what the pages list --------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectionState:
    id: int
    status: str  # pending, upheld, rejected
    reason: str
    note: str | None


@dataclass(frozen=True)
class OfficerResponse:
    """A response as the officer it names sees it: the local day, the service, the officer
    answers and the comment; nothing that could identify the citizen."""

    id: int
    day: date
    service: str | None
    u6: int | None
    u7: int | None
    officer_rating: int | None
    comment: str | None
    objection: ObjectionState | None


def _state(objection: ResponseObjection | None) -> ObjectionState | None:
    if objection is None:
        return None
    return ObjectionState(objection.id, objection.status, objection.reason,
                          objection.decision_note)


def _officer_row(response: Response, comment: str | None,
                 objection: ResponseObjection | None) -> OfficerResponse:
    return OfficerResponse(
        response.id, local_day(response.submitted_at, response.unit.timezone),
        response.service.name if response.service else None, response.u6, response.u7,
        response.officer_rating, comment, _state(objection))


def _not_excluded():
    return ~exists().where(ResponseFlag.response_id == Response.id,
                           ResponseFlag.kind == "excluded")


def officer_responses(session: Session, staff: Staff,
                      period: Period) -> tuple[list[OfficerResponse], int]:
    """The newest LIST_LIMIT responses naming the officer in the period (excluded ones left
    out, as in every figure), each with its objection, and how many there are."""
    first, after = period.utc_bounds(staff.unit.timezone)
    conditions = (Response.staff_id == staff.id, Response.submitted_at >= first,
                  Response.submitted_at < after, _not_excluded())
    responses = list(session.scalars(
        select(Response).where(*conditions)
        .options(selectinload(Response.service), selectinload(Response.unit))
        .order_by(Response.submitted_at.desc(), Response.id.desc()).limit(LIST_LIMIT)))
    total = session.scalar(select(func.count()).select_from(Response).where(*conditions))
    ids = [response.id for response in responses]
    comments = dict(session.execute(
        select(Answer.response_id, Answer.value_text).join(InstrumentItem)
        .where(Answer.response_id.in_(ids), InstrumentItem.code == "COMMENT")).all())
    objections = {o.response_id: o for o in session.scalars(
        select(ResponseObjection).where(ResponseObjection.response_id.in_(ids)))}
    rows = [_officer_row(r, comments.get(r.id), objections.get(r.id))
            for r in responses]
    return rows, int(total)


def own_response(session: Session, actor: User, response_id: int) -> OfficerResponse:
    """One response naming the actor, as their objection form shows it (else 'not_found')."""
    response = _own_response(session, actor, response_id)
    objection = session.scalar(select(ResponseObjection).where(
        ResponseObjection.response_id == response.id))
    return _officer_row(response, _comment(session, response.id), objection)


@dataclass(frozen=True)
class ObjectionRow:
    """An objection as the deciding manager sees it, with the response's answers."""

    id: int
    status: str
    officer: str  # the objecting officer's name
    reason: str
    note: str | None
    filed_at_day: date
    day: date  # the response's local day
    service: str | None
    counter: str | None
    answers: tuple[int | None, ...]  # U1..U9
    officer_rating: int | None
    comment: str | None
    self_filed: bool  # the viewer filed it: they may not decide it


def unit_objections(session: Session, viewer: User,
                    unit_ids: Collection[int]) -> tuple[list[ObjectionRow], list[ObjectionRow]]:
    """(pending oldest first, decided newest first) objections to responses of the units, at
    most LIST_LIMIT of each."""
    base = (select(ResponseObjection).join(Response, Response.id == ResponseObjection.response_id)
            .where(Response.unit_id.in_(list(unit_ids)))
            .options(selectinload(ResponseObjection.staff),
                     selectinload(ResponseObjection.response).selectinload(Response.unit),
                     selectinload(ResponseObjection.response).selectinload(Response.service),
                     selectinload(ResponseObjection.response).selectinload(Response.counter)))
    pending = list(session.scalars(base.where(ResponseObjection.status == "pending")
                                   .order_by(ResponseObjection.id).limit(LIST_LIMIT)))
    decided = list(session.scalars(base.where(ResponseObjection.status != "pending")
                                   .order_by(ResponseObjection.decided_at.desc(),
                                             ResponseObjection.id.desc()).limit(LIST_LIMIT)))
    ids = [o.response_id for o in pending + decided]
    comments = dict(session.execute(
        select(Answer.response_id, Answer.value_text).join(InstrumentItem)
        .where(Answer.response_id.in_(ids), InstrumentItem.code == "COMMENT")).all())
    own = grants.own_staff_id(viewer)

    def row(objection: ResponseObjection) -> ObjectionRow:
        response = objection.response
        zone = response.unit.timezone
        return ObjectionRow(
            objection.id, objection.status, objection.staff.name, objection.reason,
            objection.decision_note, local_day(objection.filed_at, zone),
            local_day(response.submitted_at, zone),
            response.service.name if response.service else None,
            response.counter.name if response.counter else None,
            tuple(getattr(response, code.lower()) for code in UNSUR_CODES),
            response.officer_rating, comments.get(response.id), own == objection.staff_id)

    return [row(o) for o in pending], [row(o) for o in decided]


__all__ = ["DECISIONS", "ENTITY", "ObjectionRow", "ObjectionState", "OfficerResponse",
           "clean_text", "decide_objection", "file_objection", "officer_responses",
           "own_response", "unit_objections"]
