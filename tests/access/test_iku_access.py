"""Who may open and change a unit's IKU targets: its managers (of the unit or a parent unit) and
admins; another unit's manager, officers and evaluators get 403, visitors the sign-in page."""
from __future__ import annotations

from surveys.models import IkuTarget
from tests.access.cast import MANAGERS, Route, allowed, cast, check

OTHER = ("admin", "other_manager")
ORG_MANAGERS = ("admin", "manager", "other_manager")

ACCESS = [
    Route("GET", "/admin/unit/{unit}/iku", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{unit}/iku?periode=2026-Q3", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{sub}/iku", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{other}/iku", allowed(200, *OTHER)),
    Route("GET", "/admin/unit/tidak-ada/iku", allowed(404, *ORG_MANAGERS)),
    # A bad period is refused only after the unit is known to be the viewer's.
    Route("GET", "/admin/unit/{unit}/iku?periode=2026-Q9", allowed(400, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/iku", allowed(400, *MANAGERS)),  # no fields: refused form
    Route("POST", "/admin/unit/{other}/iku", allowed(400, *OTHER)),
    # Another unit's target through one's own unit is not found; one's own is removed (303)
    # by the first manager to ask, after which it is gone (404) for the rest.
    Route("POST", "/admin/unit/{unit}/iku/{iku_other}/hapus", allowed(404, *MANAGERS)),
    Route("POST", "/admin/unit/{unit}/iku/999999/hapus", allowed(404, *MANAGERS)),
]
REMOVAL = [
    Route("POST", "/admin/unit/{sub}/iku/{iku_sub}/hapus",
          {**allowed(404, *MANAGERS), "admin": 303}),
]


def test_iku_pages_access(app, db):
    people = cast(db)
    targets = {name: IkuTarget(unit_id=unit.id, period="2026-Q3", indicator="ikm", target=82)
               for name, unit in (("iku_other", people.other), ("iku_sub", people.sub))}
    db.session.add_all(targets.values())
    db.session.commit()
    people.names.update({name: target.id for name, target in targets.items()})
    check(app, people, ACCESS)
    check(app, people, REMOVAL)  # admin is asked first (cast.ROLES order), then manager
