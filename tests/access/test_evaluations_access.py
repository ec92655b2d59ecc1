"""Who may open officers' pages: `/saya` the officer themselves, `/penilaian` evaluators, one
officer's page that officer, their evaluator and admins; a unit's managers are refused (403)."""
from __future__ import annotations

from tests.access.cast import Route, allowed, cast, check

SEES_SOME_OFFICER = ("admin", "evaluator", "staff")

ACCESS = [
    Route("GET", "/saya", allowed(200, "staff")),
    Route("GET", "/saya?periode=2026-Q3", allowed(200, "staff")),
    Route("GET", "/saya?periode=2026-Q9", allowed(400, "staff")),
    Route("GET", "/penilaian", allowed(200, "evaluator")),
    Route("GET", "/penilaian?periode=bukan-periode", allowed(400, "evaluator")),
    Route("GET", "/penilaian/pegawai/{evaluated_ref}", allowed(200, "admin", "evaluator")),
    Route("GET", "/penilaian/pegawai/{own_ref}", allowed(200, "admin", "staff")),
    Route("GET", "/penilaian/pegawai/{evaluated_ref}?periode=1999", allowed(400, "admin", "evaluator")),
    Route("GET", "/penilaian/pegawai/tidak-ada", allowed(404, *SEES_SOME_OFFICER)),
    Route("GET", "/penilaian/pegawai/" + "x" * 3000, allowed(404, *SEES_SOME_OFFICER)),
]


def test_officer_pages_access(app, db):
    check(app, cast(db), ACCESS)
