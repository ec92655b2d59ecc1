"""Who may download a unit's evaluation records (`/admin/unit/<code>/penilaian.xlsx|csv`): the
unit's admins and managers may ask, but officers' evaluations are personal (DESIGN §6), so a
manager who evaluates none of the unit's officers is refused (403) like everyone else; only the
admin of the cast gets the file. The API's list of records takes a unit key, never a session. A manager who is also an evaluator: tests/admin/test_records_export.py."""
from __future__ import annotations

from tests.access.cast import ROLES, SIGN_IN, Route, allowed, cast, check

FILES = ("xlsx", "csv")


def refused_but(status: int, *roles: str) -> dict[str, int]:
    return {role: status if role in roles else SIGN_IN if role == "anonymous" else 403
            for role in ROLES}


ACCESS = [
    *(Route("GET", f"/admin/unit/{{unit}}/penilaian.{fmt}", allowed(200, "admin"))
      for fmt in FILES),
    Route("GET", "/admin/unit/{unit}/penilaian.xlsx?periode=2026-Q3", allowed(200, "admin")),
    Route("GET", "/admin/unit/{sub}/penilaian.csv?periode=2026", allowed(200, "admin")),
    Route("GET", "/admin/unit/{other}/penilaian.xlsx", allowed(200, "admin")),
    # A bad period is refused once the unit is known to be the asker's to manage.
    Route("GET", "/admin/unit/{unit}/penilaian.csv?periode=2026-Q9",
          refused_but(400, "admin", "manager")),
    Route("GET", "/admin/unit/{unit}/penilaian.csv?periode=" + "9" * 5000,
          refused_but(400, "admin", "manager")),
    *(Route("GET", f"/admin/unit/{code}/penilaian.xlsx",
            refused_but(404, "admin", "manager", "other_manager"))
      for code in ("tidak-ada", "duk%00capil", "x" * 3000)),
    # The API's records want the unit's key: a signed-in session, even an admin's, is no key.
    Route("GET", "/api/v1/evaluations?unit={unit}", dict.fromkeys(ROLES, 401)),
]


def test_records_export_access(app, db):
    check(app, cast(db), ACCESS)
