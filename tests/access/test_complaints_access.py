"""Who may open a unit's complaint inbox and handle a complaint: its managers (of the unit or a
parent unit) and admins; another unit's manager, officers and evaluators get 403, visitors the
sign-in page; another unit's complaint through one's own unit is not found."""
from __future__ import annotations

from sqlalchemy import select

from surveys.complaints.rules import due_on
from surveys.db import utcnow
from surveys.models import Complaint, Response
from tests.access.cast import MANAGERS, ROLES, Route, allowed, cast, check
from tests.publishing.test_publication import respond

OTHER = ("admin", "other_manager")
BASE = "/admin/unit/{unit}/pengaduan"
CASE = BASE + "/{complaint}"

ACCESS = [
    Route("GET", BASE, allowed(200, *MANAGERS)),
    Route("GET", BASE + "?status=terlambat", allowed(200, *MANAGERS)),
    Route("GET", BASE + "?status=hilang", allowed(400, *MANAGERS)),
    Route("GET", "/admin/unit/{sub}/pengaduan", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{other}/pengaduan", allowed(200, *OTHER)),
    Route("GET", CASE, allowed(200, *MANAGERS)),
    Route("GET", BASE + "/{complaint_other}", allowed(404, *MANAGERS)),
    Route("GET", "/admin/unit/{other}/pengaduan/{complaint}", allowed(404, *OTHER)),
    # No fields: each form is refused (400) and stores nothing; withdrawing what was never
    # published is refused by the complaint's state (409).
    Route("POST", CASE + "/penanggung-jawab", allowed(303, *MANAGERS)),  # "" is nobody: allowed
    Route("POST", CASE + "/status", allowed(400, *MANAGERS)),
    Route("POST", CASE + "/balasan", allowed(400, *MANAGERS)),
    Route("POST", CASE + "/publikasi", allowed(400, *MANAGERS)),
    Route("POST", CASE + "/tarik", allowed(409, *MANAGERS)),
    Route("POST", BASE + "/{complaint_other}/balasan", allowed(404, *MANAGERS)),
]
BEYOND = [
    Route("GET", BASE + f"/{2**31}", {role: 404 for role in ROLES}),
    Route("POST", BASE + "/99999999999999999999/status", {role: 404 for role in ROLES}),
]


def test_complaint_pages_access(app, db):
    people = cast(db)
    now = utcnow()
    for name, unit in (("complaint", people.unit.unit), ("complaint_other", people.other)):
        respond(db, unit, None, 1, 3.0, 1)
        response = db.session.scalars(select(Response).where(Response.unit_id == unit.id)).one()
        row = Complaint(response_id=response.id, unit_id=unit.id, status="baru",
                        received_at=now, due_on=due_on(now.date()))
        db.session.add(row)
        db.session.commit()
        people.names[name] = row.id
    check(app, people, ACCESS)
    check(app, people, BEYOND)
