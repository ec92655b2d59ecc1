"""The people of the access tables: one account per role over two units (the first with a
sub-unit), and a way to check a table of route × role → expected status against the app.

Each capability's tests keep their own table (`ACCESS = [Route(...), ...]`) and call `check`;
`tests/access/test_every_route.py` checks that every admin route is in some table.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from surveys.models import Staff, Touchpoint, Unit
from tests.factories import PASSWORD, UnitFixture, add_user, hidden_fields, make_unit

ROLES = ("anonymous", "admin", "manager", "other_manager", "evaluator", "staff", "atasan",
         "no_role")
USERNAMES = {"admin": "admin", "manager": "manajer", "other_manager": "manajer.lain",
             "evaluator": "penilai", "staff": "staf", "atasan": "atasan", "no_role": "tanpa.peran"}
SIGN_IN = 302  # what anonymous visitors get: a redirect to the sign-in page


@dataclass(frozen=True)
class Route:
    """One row of an access table: `path` is formatted with `Cast.names` ({unit}, {sub}, ...)."""

    method: str
    path: str
    expected: dict[str, int]  # role → status; every role in ROLES must be given


@dataclass
class Cast:
    unit: UnitFixture  # `unit.unit` ('dukcapil') is managed by "manager"; `other` by "other_manager"
    sub: Unit  # a sub-unit of unit.unit: its manager manages it too
    other: Unit
    evaluated: Staff  # the officer "evaluator" evaluates and "atasan" is atasan pejabat penilai of
    own: Staff  # the officer "staff" is
    names: dict[str, object] = field(default_factory=dict)


def cast(db) -> Cast:
    """The units and one committed account per role (all with the same password)."""
    fixture = make_unit(db.session)
    other = fixture.other_unit_officer.unit
    sub = Unit(organization=fixture.unit.organization, parent=fixture.unit, code="dukcapil-kec",
               name="UPT Dukcapil Kecamatan", timezone="Asia/Makassar")
    db.session.add(sub)
    db.session.commit()
    evaluated, own = fixture.officers
    add_user(db, USERNAMES["admin"], "admin")
    add_user(db, USERNAMES["manager"], "unit_manager", fixture.unit.id)
    add_user(db, USERNAMES["other_manager"], "unit_manager", other.id)
    add_user(db, USERNAMES["evaluator"], "evaluator", staff_id=evaluated.id)
    add_user(db, USERNAMES["staff"], "staff", staff_id=own.id)
    add_user(db, USERNAMES["atasan"], "atasan", staff_id=evaluated.id)  # atasan of "evaluated"
    nobody = add_user(db, USERNAMES["no_role"])
    names = {"unit": fixture.unit.code, "sub": sub.code, "other": other.code,
             "evaluated": evaluated.id, "own": own.id,
             "evaluated_ref": evaluated.public_ref, "own_ref": own.public_ref,
             "nobody": nobody.id,
             "counter_code": fixture.counter_code, "personal_code": fixture.personal_code,
             "touchpoint": db.session.scalar(select(Touchpoint.id).where(
                 Touchpoint.public_code == fixture.counter_code))}
    return Cast(fixture, sub, other, evaluated, own, names)


def client_as(app, role: str):
    """A fresh browser, signed in as `role`'s account (or not at all, for "anonymous")."""
    client = app.test_client()
    if role != "anonymous":
        fields = hidden_fields(client.get("/auth/masuk").text)
        signed_in = client.post("/auth/masuk", data={**fields, "username": USERNAMES[role],
                                                     "password": PASSWORD})
        assert signed_in.status_code == 303, f"{role} could not sign in"
    return client


def _csrf(client) -> str:
    return hidden_fields(client.get("/auth/masuk").text)["csrf_token"]


def check(app, cast: Cast, table: list[Route]) -> None:
    """Requests every route as every role; fails listing each status that differs from the table.

    POSTs carry a valid CSRF token and no other field: a refused role never reaches the form,
    an allowed one gets the form's own answer (usually 400 for the missing fields).
    """
    wrong = []
    for role in ROLES:
        client = client_as(app, role)
        token = _csrf(client)
        for route in table:
            assert set(route.expected) == set(ROLES), f"{route.path}: give a status for every role"
            path = route.path.format(**cast.names)
            if route.method == "GET":
                response = client.get(path)
            else:
                response = client.open(path, method=route.method, data={"csrf_token": token})
            if response.status_code != route.expected[role]:
                wrong.append(f"{route.method} {path} as {role}: {response.status_code}, "
                             f"expected {route.expected[role]}")
    assert not wrong, "\n".join(wrong)


def allowed(status: int, *roles: str, refused: int = 403) -> dict[str, int]:
    """A row's statuses: `status` for `roles`, the sign-in redirect for anonymous, `refused`
    for everyone else."""
    return {role: status if role in roles else SIGN_IN if role == "anonymous" else refused
            for role in ROLES}


MANAGERS = ("admin", "manager")  # of cast.unit and cast.sub; other_manager is refused there
