"""Who may open a unit's publications and prepare, remark on, publish and correct them: its
managers (of the unit or a parent unit) and admins; another unit's manager, officers and
evaluators get 403, visitors the sign-in page."""
from __future__ import annotations

from surveys.db import utcnow
from surveys.models import User
from surveys.publishing import service
from tests.access.cast import MANAGERS, ROLES, Route, allowed, cast, check

OTHER = ("admin", "other_manager")
ORG_MANAGERS = ("admin", "manager", "other_manager")
BASE = "/admin/unit/{unit}/publikasi"

ACCESS = [
    Route("GET", BASE, allowed(200, *MANAGERS)),
    Route("GET", BASE + "?periode=2026-Q3", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{sub}/publikasi", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{other}/publikasi", allowed(200, *OTHER)),
    Route("GET", "/admin/unit/tidak-ada/publikasi", allowed(404, *ORG_MANAGERS)),
    # A bad period is refused only after the unit is known to be the viewer's.
    Route("GET", BASE + "?periode=2026-Q9", allowed(400, *MANAGERS)),
    # No fields: the refused form (400), which stores nothing.
    Route("POST", BASE + "/siapkan", allowed(400, *MANAGERS)),
    Route("POST", "/admin/unit/{other}/publikasi/siapkan", allowed(400, *OTHER)),
    Route("POST", BASE + "/{pub}/catatan", allowed(400, *MANAGERS)),
    Route("POST", BASE + "/{pub}/koreksi", allowed(400, *MANAGERS)),
    # The draft is in its review: publishing it is refused (409) for everyone who may.
    Route("POST", BASE + "/{pub}/terbitkan", allowed(409, *MANAGERS)),
    # Another unit's publication through one's own unit, or an unknown id: not found.
    Route("POST", BASE + "/{pub_other}/terbitkan", allowed(404, *MANAGERS)),
    Route("POST", BASE + "/{pub_other}/catatan", allowed(404, *MANAGERS)),
    Route("POST", "/admin/unit/{other}/publikasi/{pub}/koreksi", allowed(404, *OTHER)),
    Route("POST", BASE + "/999999/catatan", allowed(404, *MANAGERS)),
]
# Ids past PostgreSQL's integer match no route (BoundedInt in app/__init__.py): not found for
# everyone, before anyone is asked who they are. Not in ACCESS, whose paths must match a route.
BEYOND = [
    Route("POST", BASE + f"/{2**31}/terbitkan", {role: 404 for role in ROLES}),
    Route("POST", BASE + "/99999999999999999999/koreksi", {role: 404 for role in ROLES}),
]


def test_publication_pages_access(app, db):
    people = cast(db)
    admin = db.session.query(User).filter_by(username="admin").one()
    now = utcnow()  # the review runs ten working days from now: publishing is refused meanwhile
    drafts = {name: service.prepare(db.session, admin, unit, "2026-Q3", now)
              for name, unit in (("pub", people.unit.unit), ("pub_other", people.other))}
    db.session.commit()
    people.names.update({name: row.id for name, row in drafts.items()})
    check(app, people, ACCESS)
    check(app, people, BEYOND)
