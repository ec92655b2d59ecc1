"""Who may review a unit's flagged responses: its managers (of the unit or a parent) and admins."""
from __future__ import annotations

from tests.access.cast import MANAGERS, Route, allowed, cast, check

ACCESS = [
    Route("GET", "/admin/unit/{unit}/tanda", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{sub}/tanda", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{other}/tanda", allowed(200, "admin", "other_manager")),
    Route("GET", "/admin/unit/tidak-ada/tanda", allowed(404, "admin", "manager", "other_manager")),
    Route("GET", "/admin/unit/{unit}/tanda?periode=2026-Q9", allowed(400, *MANAGERS)),
    # The form's own answer to a POST without responses or a reason: 400, nothing changed.
    Route("POST", "/admin/unit/{unit}/tanda/keputusan", allowed(400, *MANAGERS)),
    Route("POST", "/admin/unit/{sub}/tanda/keputusan", allowed(400, *MANAGERS)),
    Route("POST", "/admin/unit/{other}/tanda/keputusan", allowed(400, "admin", "other_manager")),
]


def test_flag_review_access(app, db):
    check(app, cast(db), ACCESS)
