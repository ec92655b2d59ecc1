"""Who may open a unit's forum pages and record sessions, decisions and follow-up actions: its
managers (of the unit or a parent unit) and admins; another unit's manager, officers and
evaluators get 403, visitors the sign-in page; another unit's rows through one's own unit are
not found.

`ACCESS` has the shape of tests/access/*_access.py tables (tests/access/test_every_route.py
collects those; its EXAMPLE_NAMES would need forum=1, forum_other=2, decision=1, action=1,
action_other=2 to take this one)."""
from __future__ import annotations

from surveys.forum import service
from tests.access.cast import MANAGERS, ROLES, Route, allowed, cast, check
from tests.forum.data import add_action, record, user

OTHER = ("admin", "other_manager")
ORG_MANAGERS = ("admin", "manager", "other_manager")
FORUM = "/admin/unit/{unit}/forum"
SESSION = FORUM + "/{forum}"
ACTIONS = "/admin/unit/{unit}/tindak-lanjut"

ACCESS = [
    Route("GET", FORUM, allowed(200, *MANAGERS)),
    Route("GET", FORUM + "?periode=2026-Q3", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{sub}/forum", allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{other}/forum", allowed(200, *OTHER)),
    Route("GET", "/admin/unit/tidak-ada/forum", allowed(404, *ORG_MANAGERS)),
    Route("GET", FORUM + "?periode=2026-Q9", allowed(400, *MANAGERS)),
    # No fields: the refused form (400), which stores nothing.
    Route("POST", FORUM, allowed(400, *MANAGERS)),
    Route("GET", SESSION, allowed(200, *MANAGERS)),
    Route("POST", SESSION + "/ubah", allowed(400, *MANAGERS)),
    Route("POST", SESSION + "/keputusan", allowed(400, *MANAGERS)),
    Route("POST", SESSION + "/keputusan/{decision}/ubah", allowed(400, *MANAGERS)),
    # The decision has a follow-up action: removing it is refused (409) for everyone who may.
    Route("POST", SESSION + "/keputusan/{decision}/hapus", allowed(409, *MANAGERS)),
    Route("POST", SESSION + "/keputusan/{decision}/tindak-lanjut", allowed(400, *MANAGERS)),
    Route("GET", ACTIONS, allowed(200, *MANAGERS)),
    Route("GET", "/admin/unit/{other}/tindak-lanjut", allowed(200, *OTHER)),
    Route("POST", ACTIONS + "/{action}/status", allowed(400, *MANAGERS)),
    Route("POST", ACTIONS + "/{action}/ubah", allowed(400, *MANAGERS)),
    # Another unit's rows through one's own unit, or an unknown id: not found.
    Route("GET", FORUM + "/{forum_other}", allowed(404, *MANAGERS)),
    Route("GET", "/admin/unit/{other}/forum/{forum}", allowed(404, *OTHER)),
    Route("POST", FORUM + "/{forum_other}/keputusan", allowed(404, *MANAGERS)),
    Route("POST", ACTIONS + "/{action_other}/status", allowed(404, *MANAGERS)),
    Route("POST", "/admin/unit/{other}/tindak-lanjut/{action}/ubah", allowed(404, *OTHER)),
    Route("POST", FORUM + "/{forum_other}/keputusan/{decision}/tindak-lanjut",
          allowed(404, *MANAGERS)),
    Route("GET", FORUM + "/999999", allowed(404, *MANAGERS)),
]
# Ids past PostgreSQL's integer match no route: not found for everyone, before anyone is asked
# who they are.
BEYOND = [
    Route("GET", FORUM + f"/{2**31}", {role: 404 for role in ROLES}),
    Route("POST", ACTIONS + "/99999999999999999999/status", {role: 404 for role in ROLES}),
    Route("POST", SESSION + f"/keputusan/{2**40}/hapus", {role: 404 for role in ROLES}),
]


def test_forum_pages_access(app, db):
    people = cast(db)
    forum = record(db, people.unit.unit)
    other = record(db, people.other, by="manajer.lain")
    decision = service.add_decision(db.session, user(db, "manajer"), forum, "Keputusan")
    other_decision = service.add_decision(db.session, user(db, "manajer.lain"), other, "Lain")
    db.session.commit()
    action = add_action(db, decision)
    action_other = add_action(db, other_decision, by="manajer.lain")
    people.names.update(forum=forum.id, forum_other=other.id, decision=decision.id,
                        action=action.id, action_other=action_other.id)
    check(app, people, ACCESS)
    check(app, people, BEYOND)
