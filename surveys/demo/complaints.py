"""The demo's complaints (issue 14): in every demo unit the newest comments asked for a reply,
one waiting (baru), one being handled (diproses, with its handler), one answered and closed with
a moderated public reply (selesai); the first unit also has an old one nobody answered, past its
due day (a unit whose newest comments are older than five working days has more: as it would). Contacts are invented (08xx-0000-0xxx); the handling goes through the complaint service,
as a manager would, so the audit log has it."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.complaints import service
from surveys.complaints.rules import due_on
from surveys.demo.truth import ORGANIZATION
from surveys.demo.units import demo_units
from surveys.models import (
    Answer,
    Complaint,
    InstrumentItem,
    Organization,
    ReplyRequest,
    Response,
    Unit,
    User,
)
from surveys.periods import local_day

REPLY = ("Terima kasih atas masukan Anda. Kami sudah menindaklanjutinya; silakan datang kembali "
         "dan sebutkan nomor tanda terima Anda di loket informasi bila masih ada kendala.")
PUBLIC_REPLY = ("Masukan tentang antrean dan kejelasan persyaratan sudah ditindaklanjuti: "
                "papan persyaratan dipasang dan petugas informasi berjaga pada jam sibuk.")
OVERDUE_AGE = timedelta(days=21)  # older than five working days, whatever the demo's today is


def _commented(session: Session, unit: Unit, before: datetime) -> list[Response]:
    """The unit's responses with a comment submitted before `before`, newest first."""
    return list(session.scalars(
        select(Response).join(Answer, Answer.response_id == Response.id)
        .join(InstrumentItem, InstrumentItem.id == Answer.item_id)
        .where(Response.unit_id == unit.id, InstrumentItem.kind == "text",
               Answer.value_text.is_not(None), Response.submitted_at < before)
        .order_by(Response.submitted_at.desc(), Response.id.desc()).limit(3)))


def _open(session: Session, response: Response, number: int) -> Complaint:
    """The reply request and the complaint a submission with a contact would have made."""
    session.add(ReplyRequest(response_id=response.id, contact=f"0812-0000-{number:04d}",
                             created_at=response.submitted_at))
    row = Complaint(response_id=response.id, unit_id=response.unit_id, status="baru",
                    received_at=response.submitted_at,
                    due_on=due_on(local_day(response.submitted_at, response.unit.timezone)))
    session.add(row)
    session.flush()
    return row


def load_complaints(session: Session, admin: User | None, now: datetime) -> int:
    """The complaints of every demo unit (none without an admin to handle them, none twice);
    returns how many were made."""
    if admin is None or session.scalar(select(Complaint.id).join(Unit).join(Organization).where(
            Organization.code == ORGANIZATION[0]).limit(1)) is not None:
        return 0
    units = demo_units(session)
    made = 0
    for position, unit in enumerate(units):
        picked = _commented(session, unit, now)
        if position == 0:
            picked += _commented(session, unit, now - OVERDUE_AGE)[:1]  # left waiting: overdue
        for state, response in zip(("baru", "diproses", "selesai", "baru"), picked):
            made += 1
            row = _open(session, response, made)
            later = min(now, response.submitted_at + timedelta(days=1))
            if state == "diproses":
                handlers = service.handler_candidates(session, unit)
                if handlers:
                    service.assign(session, admin, row, handlers[0].id)
                else:
                    service.set_status(session, admin, row, "diproses", later)
            elif state == "selesai":
                service.write_reply(session, admin, row, REPLY, later)
                service.set_status(session, admin, row, "selesai", later)
                service.publish_reply(session, admin, row, PUBLIC_REPLY, later)
    return made
