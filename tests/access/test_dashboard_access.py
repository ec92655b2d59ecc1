"""Who may open a unit's dashboard: its managers (of the unit or a parent unit) and admins;
another unit's manager gets 403, visitors the sign-in page, an unknown unit 404."""
from __future__ import annotations

from tests.access.cast import MANAGERS, Route, allowed, cast, check

ACCESS = [
    Route("GET", "/admin/unit/{unit}", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{unit}?periode=2026-07", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{sub}", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{other}", allowed(200, "admin", "other_manager")),
    Route("GET", "/admin/unit/{other}?periode=2026", allowed(200, "admin", "other_manager")),
    Route("GET", "/admin/unit/tidak-ada", allowed(404, "admin", "manager", "other_manager")),
    # A bad period is refused only after the unit is known to be the viewer's.
    Route("GET", "/admin/unit/{unit}?periode=2026-Q9", allowed(400, *MANAGERS)),
    Route("GET", "/admin/unit/{other}?periode=2026-Q9", allowed(400, "admin", "other_manager")),
]


def test_dashboard_access(app, db):
    check(app, cast(db), ACCESS)
