"""A unit's API keys in the web UI: a manager creates one, sees its secret once, the key works
against its own unit's API and is refused for another unit's; revoking makes it 401; audited."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from surveys.models import AuditEvent, Touchpoint, UnitApiKey
from tests.access.cast import cast, client_as
from tests.factories import hidden_fields

PAGE = "/admin/unit/dukcapil/kunci-api"


@pytest.fixture
def people(db):
    return cast(db)


def post(client, path: str, **fields):
    token = hidden_fields(client.get("/auth/akun").text)["csrf_token"]
    return client.post(path, data={"csrf_token": token, **fields})


def secret(page: str) -> str:
    return re.search(r'<code id="api-key">([^<]+)</code>', page).group(1)


def keys(db) -> list[UnitApiKey]:
    db.session.expire_all()
    return list(db.session.scalars(select(UnitApiKey).order_by(UnitApiKey.id)))


def audit_rows(db) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "api_key")
                                   .order_by(AuditEvent.id)))


def ticket(client, key: str, touchpoint: str):
    return client.post("/api/v1/tickets", json={"touchpoint": touchpoint},
                       headers={"X-API-Key": key})


def satisfaction(client, key: str, nip: str):
    return client.get(f"/api/v1/staff/{nip}/satisfaction?period=2026",
                      headers={"X-API-Key": key})


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_a_key_made_in_the_page_is_shown_once_works_for_its_unit_and_revoking_ends_it(
        app, db, people, role):
    client = client_as(app, role)
    made = post(client, PAGE, name="Mesin antrean loket 1")
    assert made.status_code == 200
    assert "no-store" in made.headers["Cache-Control"]
    assert "kunci tidak dapat ditampilkan lagi" in made.text
    plain = secret(made.text)
    assert len(plain) >= 32
    [key] = keys(db)
    assert (key.unit_id, key.name, key.revoked_at) == (people.unit.unit.id,
                                                       "Mesin antrean loket 1", None)
    assert plain not in key.key_hash  # only its hash is stored
    listing = client.get(PAGE)
    assert "Mesin antrean loket 1" in listing.text and plain not in listing.text
    [created] = audit_rows(db)
    assert (created.action, created.entity_id, created.unit_id, created.before) == (
        "create", key.id, people.unit.unit.id, None)
    assert created.after["name"] == "Mesin antrean loket 1"
    assert created.after["revoked_at"] is None
    assert plain not in str(created.after)  # the secret is in no log either

    machine = app.test_client()
    issued = ticket(machine, plain, people.unit.counter_code)
    assert issued.status_code == 201, issued.json
    assert machine.get(issued.json["url"]).status_code == 200
    own = satisfaction(machine, plain, people.unit.officers[0].nip)
    assert own.status_code == 200 and own.json["officer"]["unit"] == "dukcapil"
    # Another unit's officer is refused: the key is of this unit only.
    other = satisfaction(machine, plain, people.unit.other_unit_officer.nip)
    assert (other.status_code, other.json["error"]) == (403, "forbidden_staff")

    revoked = post(client, f"{PAGE}/{key.id}/cabut")
    assert revoked.status_code == 303
    assert "dicabut" in client.get(PAGE).text
    assert keys(db)[0].revoked_at is not None
    refused = ticket(machine, plain, people.unit.counter_code)
    assert (refused.status_code, refused.json["error"]) == (401, "invalid_api_key")
    assert satisfaction(machine, plain, people.unit.officers[0].nip).status_code == 401
    rows = audit_rows(db)
    assert [row.action for row in rows] == ["create", "revoke"]
    assert rows[1].before["revoked_at"] is None and rows[1].after["revoked_at"] is not None
    # Revoking again changes nothing and writes nothing.
    assert post(client, f"{PAGE}/{key.id}/cabut").status_code == 303
    assert len(audit_rows(db)) == 2


def test_a_key_of_another_unit_is_refused_for_this_units_codes(app, db, people):
    outsider = client_as(app, "other_manager")
    made = post(outsider, "/admin/unit/dukcapil-lain/kunci-api", name="Mesin unit lain")
    assert made.status_code == 200
    plain = secret(made.text)
    machine = app.test_client()
    refused = ticket(machine, plain, people.unit.counter_code)
    assert (refused.status_code, refused.json["error"]) == (403, "forbidden_touchpoint")
    staff = satisfaction(machine, plain, people.unit.officers[0].nip)
    assert (staff.status_code, staff.json["error"]) == (403, "forbidden_staff")
    assert satisfaction(machine, plain, people.unit.other_unit_officer.nip).status_code == 200


def test_a_manager_of_another_unit_can_neither_see_make_nor_revoke_this_units_keys(
        app, db, people):
    manager = client_as(app, "manager")
    plain = secret(post(manager, PAGE, name="Mesin antrean").text)
    [key] = keys(db)
    outsider = client_as(app, "other_manager")
    assert outsider.get(PAGE).status_code == 403
    assert post(outsider, PAGE, name="Penyusup").status_code == 403
    assert post(outsider, f"{PAGE}/{key.id}/cabut").status_code == 403
    # Not through their own unit either.
    assert post(outsider, f"/admin/unit/dukcapil-lain/kunci-api/{key.id}/cabut").status_code == 404
    assert [(row.name, row.revoked_at) for row in keys(db)] == [("Mesin antrean", None)]
    assert ticket(app.test_client(), plain, people.unit.counter_code).status_code == 201


@pytest.mark.parametrize("name, message", [
    ("", "Nama kunci wajib diisi"),
    ("   ", "Nama kunci wajib diisi"),
    ("k" * 101, "Nama kunci paling banyak 100 karakter"),
    ("k" * 10_000, "Nama kunci paling banyak 100 karakter"),
    ("Mesin\x00antrean", "Nama tidak boleh berisi karakter kendali"),
])
def test_a_bad_key_name_is_refused_and_no_key_is_made(app, db, people, name, message):
    manager = client_as(app, "manager")
    refused = post(manager, PAGE, name=name)
    assert refused.status_code == 400
    assert message in refused.text and 'id="api-key"' not in refused.text
    assert keys(db) == [] and audit_rows(db) == []


def test_a_hostile_key_name_is_shown_escaped(app, db, people):
    manager = client_as(app, "manager")
    made = post(manager, PAGE, name="<script>alert(1)</script>")
    assert made.status_code == 200
    assert "<script>alert(1)" not in made.text
    assert "<script>alert(1)" not in manager.get(PAGE).text
    assert keys(db)[0].name == "<script>alert(1)</script>"


def test_a_working_key_gets_no_ticket_for_a_closed_counters_code(app, db, people):
    """A working key does not revive a revoked code: the machine's ticket is refused."""
    manager = client_as(app, "manager")
    plain = secret(post(manager, PAGE, name="Mesin antrean").text)
    counter = people.unit.counter
    assert post(manager, f"/admin/unit/dukcapil/loket/{counter.id}/nonaktifkan").status_code == 303
    db.session.expire_all()
    assert not db.session.scalars(select(Touchpoint).where(
        Touchpoint.public_code == people.unit.counter_code)).one().active
    answer = ticket(app.test_client(), plain, people.unit.counter_code)
    assert (answer.status_code, answer.json["fields"]) == (422, {"touchpoint": "revoked"})
