"""Small, explicit test data: one unit with two counters, services, officers and touchpoints."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

from sqlalchemy import func, select

from surveys.models import (
    Counter,
    CounterAssignment,
    Organization,
    Response,
    RoleGrant,
    Service,
    Staff,
    Touchpoint,
    Unit,
    User,
)

PASSWORD = "rahasia-uji-123"


@dataclass
class UnitFixture:
    unit: Unit
    services: list[Service]
    counter: Counter
    officers: list[Staff]
    counter_code: str
    personal_code: str
    other_unit_officer: Staff


def make_unit(session, code: str = "dukcapil") -> UnitFixture:
    org = Organization(code=f"org-{code}", name="Pemerintah Kota Uji")
    unit = Unit(organization=org, code=code, name="Dinas Dukcapil Uji", timezone="Asia/Makassar")
    other = Unit(organization=org, code=f"{code}-lain", name="Unit Lain", timezone="Asia/Makassar")
    services = [Service(unit=unit, code="ktp", name="KTP-el"), Service(unit=unit, code="kk", name="Kartu Keluarga")]
    counter = Counter(unit=unit, code="L1", name="Loket 1")
    officers = [
        Staff(nip="198503122010011001", name="Maria Ndun", position="Pengadministrasi", unit=unit),
        Staff(nip="199001052015032002", name="Yohanes Lake", position="Verifikator", unit=unit),
    ]
    other_officer = Staff(nip="198807072012011003", name="Petugas Lain", position="Staf", unit=other)
    session.add_all([org, unit, other, *services, counter, *officers, other_officer])
    for officer in officers:
        session.add(CounterAssignment(staff=officer, counter=counter, starts_on=date(2026, 1, 1)))
    counter_tp = Touchpoint(kind="counter", unit=unit, counter=counter)
    personal_tp = Touchpoint(kind="staff", unit=unit, staff=officers[1])
    session.add_all([counter_tp, personal_tp])
    session.commit()
    return UnitFixture(unit, services, counter, officers, counter_tp.public_code,
                       personal_tp.public_code, other_officer)


class _HiddenInputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden":
            self.fields.setdefault(attributes["name"], attributes.get("value") or "")


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden inputs (CSRF token, submission key) of a page."""
    parser = _HiddenInputs()
    parser.feed(html)
    return parser.fields


def full_answers(value: int = 4) -> dict[str, str]:
    return {f"U{j}": str(value) for j in range(1, 10)}


def stored_responses(db) -> int:
    """How many responses the database holds now (read afresh, past the session's cache)."""
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Response))


def role_grant(session, role: str, unit_id: int | None = None,
               staff_id: int | None = None) -> RoleGrant | None:
    """A grant of `role` with its scope: a manager's unit; an evaluator's or staff member's officer
    (when only a unit is given, its first officer; None when there is no officer to name)."""
    if role == "admin":
        return RoleGrant(role=role)
    if role == "unit_manager":
        return RoleGrant(role=role, unit_id=unit_id)
    if staff_id is None:
        staff_id = session.scalars(select(Staff.id).where(Staff.unit_id == unit_id)
                                   .order_by(Staff.id)).first()
    return None if staff_id is None else RoleGrant(role=role, staff_id=staff_id)


def add_user(db, username: str, role: str | None = None, unit_id: int | None = None, *,
             staff_id: int | None = None, password: str = PASSWORD) -> User:
    """A committed account with one grant of `role` (none when `role` is None or names nobody)."""
    user = User(username=username, display_name=username.title())
    grant = None if role is None else role_grant(db.session, role, unit_id, staff_id)
    if grant is not None:
        user.grants.append(grant)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def signed_in(app, username: str, password: str = PASSWORD):
    """A fresh test client (its own cookies, as a browser has) signed in as `username`."""
    client = app.test_client()
    fields = hidden_fields(client.get("/auth/masuk").text)
    answer = client.post("/auth/masuk", data={**fields, "username": username,
                                              "password": password})
    assert answer.status_code == 303, f"{username} could not sign in"
    return client
