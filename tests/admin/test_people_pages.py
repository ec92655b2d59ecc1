"""An admin creates, edits, deactivates and reactivates accounts, adds and removes their role
grants, and resets a password; each change writes one audit row with its before and after, and a
refusal says why in Indonesian, stores nothing and answers 400."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from surveys.models import AuditEvent, RoleGrant, User
from tests.factories import PASSWORD, add_user, hidden_fields, make_unit

NEW_PASSWORD = "sementara-2026-x"


@pytest.fixture
def unit(db):
    return make_unit(db.session)


@pytest.fixture
def admin(client, db, unit):
    add_user(db, "admin", "admin")
    fields = hidden_fields(client.get("/auth/masuk").text)
    assert client.post("/auth/masuk", data={**fields, "username": "admin",
                                            "password": PASSWORD}).status_code == 303
    return client


def post(client, path: str, **data):
    fields = hidden_fields(client.get("/admin/pengguna").text)
    return client.post(path, data={"csrf_token": fields.get("csrf_token", ""), **data})


def token(client) -> str:
    return hidden_fields(client.get("/admin/pengguna/baru").text)["csrf_token"]


def send(client, path: str, **data):
    return client.post(path, data={"csrf_token": token(client), **data})


def create(client, username="budi.santoso", **extra):
    data = {"username": username, "display_name": "Budi Santoso", "password": NEW_PASSWORD,
            "repeat": NEW_PASSWORD, **extra}
    return send(client, "/admin/pengguna/baru", **data)


def events(db, **where) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).order_by(AuditEvent.id)
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return list(db.session.scalars(query))


def user_named(db, username: str) -> User:
    db.session.expire_all()
    return db.session.scalars(select(User).where(User.username == username)).one()


def test_creating_a_user_links_the_pegawai_and_writes_one_audit_row(admin, db, unit):
    created = create(admin, nip=unit.officers[0].nip)
    assert created.status_code == 303
    user = user_named(db, "budi.santoso")
    assert created.headers["Location"] == f"/admin/pengguna/{user.id}"
    assert user.staff_id == unit.officers[0].id and user.must_change_password and not user.grants
    [row] = events(db, entity="user", action="create")
    assert row.actor_label == "admin" and row.entity_id == user.id and row.before is None
    assert row.after == {"username": "budi.santoso", "display_name": "Budi Santoso",
                         "active": True, "must_change_password": True,
                         "nip": unit.officers[0].nip}
    assert row.unit_id == unit.unit.id  # the pegawai's unit: its managers see the row
    assert "budi.santoso" in admin.get("/admin/pengguna").text


@pytest.mark.parametrize(("data", "message"), [
    ({"username": "Budi Besar"}, "huruf kecil, angka"),
    ({"username": "x" * 5000}, "paling banyak 80 karakter"),
    ({"username": ""}, "Isi nama pengguna."),
    ({"display_name": "y" * 201}, "Nama paling banyak 200 karakter."),
    ({"repeat": "lain-sama-sekali"}, "Kedua kata sandi tidak sama."),
    ({"password": "pendek", "repeat": "pendek"}, "Kata sandi harus 10 sampai 200 karakter."),
    ({"nip": "123"}, "Tidak ada pegawai dengan NIP 123."),
    ({"nip": "1" * 41}, "NIP terdiri dari 18 angka."),
    ({"username": "admin"}, "Nama pengguna admin sudah dipakai."),
])
def test_bad_input_is_refused_with_a_message_and_stores_nothing(admin, db, data, message):
    refused = create(admin, **data)
    assert refused.status_code == 400
    assert message in refused.text
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert events(db, entity="user", action="create") == []


def test_a_pegawai_linked_to_one_account_cannot_be_linked_to_another(admin, db, unit):
    assert create(admin, nip=unit.officers[0].nip).status_code == 303
    refused = create(admin, "orang.lain", nip=unit.officers[0].nip)
    assert refused.status_code == 400
    assert "sudah terhubung ke akun lain" in refused.text


def test_editing_writes_before_and_after_and_an_unchanged_save_writes_nothing(admin, db, unit):
    create(admin)
    user = user_named(db, "budi.santoso")
    path = f"/admin/pengguna/{user.id}"
    assert send(admin, path, display_name="Budi S.", nip=unit.officers[1].nip).status_code == 303
    [row] = events(db, entity="user", action="update")
    assert (row.before["display_name"], row.after["display_name"]) == ("Budi Santoso", "Budi S.")
    assert (row.before["nip"], row.after["nip"]) == (None, unit.officers[1].nip)
    same = send(admin, path, display_name="Budi S.", nip=unit.officers[1].nip)
    assert same.status_code == 303
    assert len(events(db, entity="user", action="update")) == 1


def test_grants_of_each_kind_with_one_audit_row_each(admin, db, unit):
    create(admin, nip=unit.officers[0].nip)
    user = user_named(db, "budi.santoso")
    path = f"/admin/pengguna/{user.id}/peran"
    assert send(admin, path, role="unit_manager", unit=unit.unit.code).status_code == 303
    evaluated = [unit.officers[1].nip, unit.other_unit_officer.nip]
    assert send(admin, path, role="evaluator", nips=",\n".join(evaluated)).status_code == 303
    assert send(admin, path, role="staff", nips="").status_code == 303  # the linked pegawai
    user = user_named(db, "budi.santoso")
    assert sorted((g.role, g.unit_id, g.staff_id) for g in user.grants) == sorted([
        ("unit_manager", unit.unit.id, None), ("evaluator", None, unit.officers[1].id),
        ("evaluator", None, unit.other_unit_officer.id), ("staff", None, unit.officers[0].id)])
    rows = events(db, entity="role_grant", action="grant")
    assert [(r.after["role"], r.after["unit"], r.after["staff"]) for r in rows] == [
        ("unit_manager", unit.unit.code, None), ("evaluator", None, evaluated[0]),
        ("evaluator", None, evaluated[1]), ("staff", None, unit.officers[0].nip)]
    assert rows[2].unit_id == unit.other_unit_officer.unit_id  # the evaluated officer's unit
    page = admin.get(f"/admin/pengguna/{user.id}").text
    assert "Pejabat penilai" in page and "Petugas Lain" in page


@pytest.mark.parametrize(("data", "message"), [
    ({"role": "unit_manager", "unit": "tidak-ada"}, "Pilih unit yang dikelola."),
    ({"role": "unit_manager"}, "Pilih unit yang dikelola."),
    ({"role": "evaluator", "nips": ""}, "Isi NIP pegawai yang dinilai"),
    ({"role": "evaluator", "nips": "198503122010011001 999"}, "Tidak ada pegawai dengan NIP 999."),
    ({"role": "evaluator", "nips": "198503122010011001"}, "pemilik akun ini sendiri"),
    ({"role": "staff", "nips": "199001052015032002"}, "pegawai lain"),
    ({"role": "raja"}, "Pilih peran"),
    ({"role": "evaluator", "nips": "1 " * 2001}, "Terlalu banyak NIP."),
    ({"role": "evaluator", "nips": " ".join(str(10**17 + i) for i in range(101))},
     "Paling banyak 100 NIP"),
])
def test_a_grant_that_would_break_the_data_is_refused(admin, db, unit, data, message):
    create(admin, nip=unit.officers[0].nip)
    user = user_named(db, "budi.santoso")
    refused = send(admin, f"/admin/pengguna/{user.id}/peran", **data)
    assert refused.status_code == 400
    assert message in refused.text
    assert db.session.scalar(select(func.count()).select_from(RoleGrant)
                             .where(RoleGrant.user_id == user.id)) == 0
    assert events(db, entity="role_grant") == []


def test_a_duplicate_grant_is_refused_and_removing_one_is_logged(admin, db, unit):
    create(admin)
    user = user_named(db, "budi.santoso")
    path = f"/admin/pengguna/{user.id}/peran"
    send(admin, path, role="unit_manager", unit=unit.unit.code)
    again = send(admin, path, role="unit_manager", unit=unit.unit.code)
    assert again.status_code == 400 and "sudah punya peran itu (dukcapil)" in again.text
    [grant_id] = [grant.id for grant in user_named(db, "budi.santoso").grants]
    removed = send(admin, f"{path}/{grant_id}/cabut")
    assert removed.status_code == 303
    assert user_named(db, "budi.santoso").grants == []
    [row] = events(db, entity="role_grant", action="revoke")
    assert row.before == {"user": "budi.santoso", "role": "unit_manager", "unit": "dukcapil",
                          "staff": None} and row.after is None
    assert send(admin, f"{path}/{grant_id}/cabut").status_code == 400  # already gone


def test_deactivating_ends_sessions_and_sign_in_and_reactivating_restores(admin, app, db, unit):
    add_user(db, "manajer", "unit_manager", unit.unit.id)
    other = app.test_client()
    fields = hidden_fields(other.get("/auth/masuk").text)
    assert other.post("/auth/masuk", data={**fields, "username": "manajer",
                                           "password": PASSWORD}).status_code == 303
    user = user_named(db, "manajer")
    assert send(admin, f"/admin/pengguna/{user.id}/nonaktifkan").status_code == 303
    assert other.get("/auth/akun").status_code == 302  # its session ended
    fields = hidden_fields(other.get("/auth/masuk").text)
    assert other.post("/auth/masuk", data={**fields, "username": "manajer",
                                           "password": PASSWORD}).status_code == 401
    [row] = events(db, entity="user", action="deactivate")
    assert (row.before["active"], row.after["active"]) == (True, False)
    assert send(admin, f"/admin/pengguna/{user.id}/aktifkan").status_code == 303
    assert user_named(db, "manajer").active
    assert len(events(db, entity="user", action="reactivate")) == 1


def test_the_last_admin_cannot_be_deactivated_or_lose_the_admin_grant(admin, db):
    me = user_named(db, "admin")
    refused = send(admin, f"/admin/pengguna/{me.id}/nonaktifkan")
    assert refused.status_code == 400 and "akun Anda sendiri" in refused.text
    gone = send(admin, f"/admin/pengguna/{me.id}/peran/{me.grants[0].id}/cabut")
    assert gone.status_code == 400 and "admin aktif terakhir" in gone.text
    assert user_named(db, "admin").active and user_named(db, "admin").grants


def test_unknown_user_is_404_not_500(admin):
    assert admin.get("/admin/pengguna/999999").status_code == 404
    assert admin.get("/admin/pengguna/99999999999999999999").status_code == 404
    assert send(admin, "/admin/pengguna/999999/peran", role="admin").status_code == 404
