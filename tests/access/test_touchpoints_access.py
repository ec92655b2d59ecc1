"""Who may open a unit's QR pages: its managers (of the unit or a parent unit) and admins."""
from __future__ import annotations

from tests.access.cast import MANAGERS, Route, allowed, cast, check

CODE = "/admin/unit/{unit}/kode/{touchpoint}"
ACCESS = [
    Route("GET", "/admin/", allowed(200, "admin", "manager", "other_manager")),
    Route("GET", "/admin/unit/{unit}", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{unit}/kode", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{sub}/kode", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{other}/kode", allowed(200, "admin", "other_manager")),
    Route("GET", "/admin/unit/tidak-ada/kode", allowed(404, "admin", "manager", "other_manager")),
    Route("GET", "/admin/unit/{unit}/poster.pdf", allowed(200, *MANAGERS)),
    Route("GET", CODE + "/qr.png", allowed(200, *MANAGERS)),
    Route("GET", CODE + "/qr.svg", allowed(200, *MANAGERS)),
    Route("GET", CODE + "/poster.pdf", allowed(200, *MANAGERS)),
    # Without the confirmation page's "ya", revoking and reissuing only ask first.
    Route("POST", CODE + "/cabut", allowed(200, *MANAGERS)),
    Route("POST", CODE + "/baru", allowed(200, *MANAGERS)),
]


def test_touchpoint_pages_access(app, db):
    check(app, cast(db), ACCESS)
