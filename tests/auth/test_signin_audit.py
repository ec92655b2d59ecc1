"""Sign-ins and failed sign-ins are in the audit log; after an admin's reset the user must choose
a new password before any other page opens, and then lands on their home."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from surveys.models import AuditEvent, User
from surveys.organization import people
from tests.auth.accounts import PASSWORD, add_user, attempt
from tests.factories import hidden_fields, make_unit

TEMPORARY = "sementara-123456"
CHOSEN = "pilihan-sendiri-789"


@pytest.fixture
def unit(db):
    return make_unit(db.session)


def sign_ins(db) -> list[tuple]:
    db.session.expire_all()
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "user")
                              .order_by(AuditEvent.id))
    return [(row.action, row.actor_label, row.entity_id, row.reason) for row in rows]


def test_a_sign_in_and_each_kind_of_failure_write_one_row(client, db, unit):
    manager = add_user(db, "manajer", "unit_manager", unit.unit.id)
    retired = add_user(db, "pensiun", "unit_manager", unit.unit.id)
    retired.active = False
    db.session.commit()
    assert attempt(client, "manajer").status_code == 303
    assert attempt(client, "manajer", "salah-sekali").status_code == 401
    assert attempt(client, "tidak.ada").status_code == 401
    assert attempt(client, "pensiun").status_code == 401  # right password, deactivated account
    assert sign_ins(db) == [
        ("sign_in", "manajer", manager.id, None),
        ("sign_in_failed", "manajer", manager.id, "kata sandi salah"),
        ("sign_in_failed", "tidak.ada", None, "nama pengguna tidak dikenal"),
        ("sign_in_failed", "pensiun", retired.id, "akun nonaktif"),
    ]


def test_no_password_ever_reaches_the_log(client, db, unit):
    add_user(db, "manajer", "unit_manager", unit.unit.id)
    attempt(client, "manajer", "tebakan-rahasia-xyz")
    db.session.expire_all()
    for row in db.session.scalars(select(AuditEvent)):
        assert "tebakan-rahasia-xyz" not in repr((row.before, row.after, row.reason,
                                                  row.actor_label))


def reset(db, username: str) -> None:
    user = db.session.scalars(select(User).where(User.username == username)).one()
    people.reset_password(db.session, None, user, TEMPORARY)
    db.session.commit()


def change(client, current: str, new: str, repeat: str | None = None):
    fields = hidden_fields(client.get("/auth/kata-sandi").text)
    return client.post("/auth/kata-sandi", data={**fields, "current": current, "new": new,
                                                "repeat": repeat or new})


def test_after_a_reset_every_page_waits_for_a_new_password(client, db, unit):
    add_user(db, "manajer", "unit_manager", unit.unit.id)
    reset(db, "manajer")
    assert attempt(client, "manajer").status_code == 401  # the old password is gone
    signed_in = attempt(client, "manajer", TEMPORARY, next_path="/admin/")
    assert signed_in.status_code == 303
    assert signed_in.headers["Location"] == "/auth/kata-sandi"
    assert "mengatur ulang kata sandi Anda" in client.get("/auth/kata-sandi").text
    for path in ("/admin/", "/admin/unit/dukcapil", "/auth/akun", "/admin/audit"):
        blocked = client.get(path)
        assert blocked.status_code == 302 and blocked.headers["Location"] == "/auth/kata-sandi"
    assert client.get("/").status_code == 200  # citizens' pages stay open
    same = change(client, TEMPORARY, TEMPORARY)
    assert same.status_code == 400 and "harus berbeda" in same.text
    changed = change(client, TEMPORARY, CHOSEN)
    assert changed.status_code == 303 and changed.headers["Location"] == "/admin/unit/dukcapil"
    assert client.get("/admin/unit/dukcapil/kode").status_code == 200
    db.session.expire_all()
    user = db.session.scalars(select(User).where(User.username == "manajer")).one()
    assert not user.must_change_password
    actions = [action for action, *_rest in sign_ins(db)]
    assert actions == ["reset_password", "sign_in_failed", "sign_in", "change_password"]


def test_a_reset_ends_the_sessions_the_user_had(app, client, db, unit):
    add_user(db, "manajer", "unit_manager", unit.unit.id)
    assert attempt(client, "manajer").status_code == 303
    reset(db, "manajer")
    assert client.get("/auth/akun").status_code == 302
    assert client.get("/auth/akun").headers["Location"].startswith("/auth/masuk")


def test_sign_in_of_a_user_without_reset_is_unchanged(client, db, unit):
    add_user(db, "manajer", "unit_manager", unit.unit.id, password=PASSWORD)
    signed_in = attempt(client, "manajer")
    assert signed_in.headers["Location"] == "/admin/unit/dukcapil"
