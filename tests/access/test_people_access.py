"""Who may manage accounts and read the audit log: only admins manage users (a manager resetting
a password could take over that person's grants elsewhere); managers read their units' log."""
from __future__ import annotations

from tests.access.cast import Route, allowed, cast, check

USER = "/admin/pengguna/{nobody}"
MISSING = "/admin/pengguna/99999"  # state-changing POSTs aim here: the cast stays as it is
ACCESS = [
    Route("GET", "/admin/pengguna", allowed(200, "admin")),
    Route("GET", "/admin/pengguna/baru", allowed(200, "admin")),
    Route("POST", "/admin/pengguna/baru", allowed(400, "admin")),
    Route("GET", USER, allowed(200, "admin")),
    Route("POST", USER, allowed(400, "admin")),
    Route("POST", USER + "/peran", allowed(400, "admin")),
    Route("POST", USER + "/kata-sandi", allowed(400, "admin")),
    Route("GET", MISSING, allowed(404, "admin")),
    Route("POST", MISSING + "/nonaktifkan", allowed(404, "admin")),
    Route("POST", MISSING + "/aktifkan", allowed(404, "admin")),
    Route("POST", USER + "/peran/99999/cabut", allowed(400, "admin")),  # says it is gone
    Route("GET", "/admin/audit", allowed(200, "admin", "manager", "other_manager")),
]


def test_people_and_audit_pages_access(app, db):
    check(app, cast(db), ACCESS)
