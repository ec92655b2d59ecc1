"""Handling a complaint in the unit's inbox: who handles it, its status, the reply to the citizen's
contact and the moderated reply on the portal. Every change is in the audit log; only managers of
the complaint's unit (or a parent unit) and admins change anything. Services flush, never commit.

Assigning a handler or writing the reply moves a new ("baru") complaint to "diproses"; "selesai"
needs a reply, and reopening a closed complaint clears its closing time.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys import audit
from surveys.complaints.rules import has_personal_data, text_problem
from surveys.db import row_by_id
from surveys.errors import ComplaintRefused
from surveys.models import Complaint, RoleGrant, Staff, Unit, User
from surveys.models.complaint import COMPLAINT_STATUSES
from surveys.organization import grants
from surveys.public_text import names_an_officer

ENTITY = "complaint"
FIELDS = ("status", "handler_id", "due_on", "reply", "replied_at", "public_reply",
          "published_at", "closed_at")


def _text(value, field: str) -> str:
    problem = text_problem(value)
    if problem is not None:
        raise ComplaintRefused(problem, field)
    return value.strip()


def _change(session: Session, actor: User, complaint: Complaint, action: str, change) -> None:
    """Applies `change` (a function of the complaint) and audits it, when it changed anything."""
    audit.apply(session, complaint, change, actor=actor, action=action, entity=ENTITY,
                fields=FIELDS, unit_id=complaint.unit_id)


def _under_way(complaint: Complaint) -> None:
    if complaint.status == "baru":
        complaint.status = "diproses"


def handler_candidates(session: Session, unit: Unit) -> list[User]:
    """Active people with a grant on the unit: its managers (of it or a unit above it) and the
    officers of the unit with a staff grant, by name."""
    above, node = [], unit
    while node is not None:
        above.append(node.id)
        node = node.parent
    managers = select(RoleGrant.user_id).where(RoleGrant.role == "unit_manager",
                                               RoleGrant.unit_id.in_(above))
    officers = (select(RoleGrant.user_id).join(Staff, Staff.id == RoleGrant.staff_id)
                .where(RoleGrant.role == "staff", Staff.unit_id == unit.id))
    return list(session.scalars(select(User).where(
        User.active.is_(True), User.id.in_(managers.union(officers)))
        .order_by(User.display_name, User.id)))


def assign(session: Session, actor: User, complaint: Complaint, handler_id) -> None:
    """Hands the complaint to `handler_id` (a candidate of its unit), or to nobody (None)."""
    grants.require_manager(session, actor, complaint.unit)
    handler = None
    if handler_id is not None:
        handler = row_by_id(session, User, handler_id)
        if handler is None or handler not in handler_candidates(session, complaint.unit):
            raise ComplaintRefused("unknown_handler", "handler")

    def change(row: Complaint) -> None:
        row.handler_id = None if handler is None else handler.id
        row.handler = handler
        if handler is not None:
            _under_way(row)
    _change(session, actor, complaint, "assign", change)


def set_status(session: Session, actor: User, complaint: Complaint, status,
               now: datetime) -> None:
    """baru, diproses or selesai; selesai only once the citizen has a reply."""
    grants.require_manager(session, actor, complaint.unit)
    if status not in COMPLAINT_STATUSES:
        raise ComplaintRefused("unknown_status", "status")
    if status == "selesai" and not complaint.reply:
        raise ComplaintRefused("reply_required", "status")

    def change(row: Complaint) -> None:
        if status == "selesai" and row.status != "selesai":
            row.closed_at = now
        elif status != "selesai":
            row.closed_at = None
        row.status = status
    _change(session, actor, complaint, "status", change)


def write_reply(session: Session, actor: User, complaint: Complaint, text,
                now: datetime) -> None:
    """The reply sent to the citizen's contact and shown on their tracking page (unit only)."""
    grants.require_manager(session, actor, complaint.unit)
    reply = _text(text, "reply")

    def change(row: Complaint) -> None:
        if row.reply != reply:
            row.reply, row.replied_at = reply, now
        _under_way(row)
    _change(session, actor, complaint, "reply", change)


def publish_reply(session: Session, actor: User, complaint: Complaint, text,
                  now: datetime) -> None:
    """The moderated reply the portal shows: refused when it holds an e-mail or phone number
    or names an officer."""
    grants.require_manager(session, actor, complaint.unit)
    public = _text(text, "public_reply")
    if has_personal_data(public):
        raise ComplaintRefused("personal_data", "public_reply")
    if names_an_officer(session, complaint.unit, public):
        raise ComplaintRefused("officer_name", "public_reply")

    def change(row: Complaint) -> None:
        if row.public_reply != public or row.published_at is None:
            row.public_reply, row.published_at = public, now
    _change(session, actor, complaint, "publish_reply", change)


def unpublish_reply(session: Session, actor: User, complaint: Complaint, now: datetime) -> None:
    """Takes the public reply off the portal (the audit log keeps what it said)."""
    grants.require_manager(session, actor, complaint.unit)
    if complaint.published_at is None:
        raise ComplaintRefused("not_published")

    def change(row: Complaint) -> None:
        row.public_reply, row.published_at = None, None
    _change(session, actor, complaint, "unpublish_reply", change)
