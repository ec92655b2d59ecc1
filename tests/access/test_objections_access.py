"""Who may object to a response and who decides: the objection form only for the officer the
response names (404 for anyone else's response, 403 without a staff record of one's own); the
unit's objection page and its decisions only for the unit's managers and admins."""
from __future__ import annotations

from sqlalchemy import select

from surveys.models import Response
from tests.access.cast import MANAGERS, Route, allowed, cast, check
from tests.evaluations.data import rate_one

ACCESS = [
    Route("GET", "/saya/keberatan-respons?respons={own_response}", allowed(200, "staff")),
    Route("GET", "/saya/keberatan-respons?respons={evaluated_response}", allowed(404, "staff")),
    Route("GET", "/saya/keberatan-respons?respons=bukan-angka", allowed(400, "staff")),
    Route("GET", "/saya/keberatan-respons", allowed(200, "staff")),  # how to choose one
    # The form's own answer to a POST without a response or a reason: 400, nothing stored.
    Route("POST", "/saya/keberatan-respons", allowed(400, "staff")),
    Route("GET", "/admin/unit/{unit}/keberatan-respons", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{sub}/keberatan-respons", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{other}/keberatan-respons", allowed(200, "admin", "other_manager")),
    Route("GET", "/admin/unit/tidak-ada/keberatan-respons",
          allowed(404, "admin", "manager", "other_manager")),
    Route("POST", "/admin/unit/{unit}/keberatan-respons/keputusan", allowed(400, *MANAGERS)),
    Route("POST", "/admin/unit/{sub}/keberatan-respons/keputusan", allowed(400, *MANAGERS)),
    Route("POST", "/admin/unit/{other}/keberatan-respons/keputusan",
          allowed(400, "admin", "other_manager")),
]


def test_objection_access(app, db):
    people = cast(db)
    rate_one(db, people.own, 1)
    rate_one(db, people.evaluated, 1)
    for name, staff in (("own_response", people.own), ("evaluated_response", people.evaluated)):
        people.names[name] = db.session.scalar(select(Response.id).where(
            Response.staff_id == staff.id))
    check(app, people, ACCESS)
