"""The organization and its unit tree in the web UI: create, edit, deactivate, delete what was
made by mistake, refuse what would break the data; each change has one audit row."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from surveys.models import AuditEvent, Organization, Response, Touchpoint, Unit
from tests.access.cast import cast, client_as
from tests.factories import full_answers, hidden_fields


@pytest.fixture
def people(db):
    return cast(db)


def post(client, path: str, **fields):
    token = hidden_fields(client.get("/auth/akun").text)["csrf_token"]
    return client.post(path, data={"csrf_token": token, **fields})


def audit_rows(db, entity: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.entity == entity)
                                   .order_by(AuditEvent.id)))


def unit_named(db, code: str) -> Unit | None:
    db.session.expire_all()
    return db.session.scalars(select(Unit).where(Unit.code == code)).one_or_none()


def test_admin_builds_an_organization_with_a_unit_and_a_sub_unit(app, db, people):
    admin = client_as(app, "admin")
    made = post(admin, "/admin/organisasi/baru", code="kota-kupang", name="Pemerintah Kota Kupang")
    assert made.status_code == 303
    top = post(admin, "/admin/organisasi/kota-kupang/unit/baru", code="dukcapil-kupang",
               name="Dinas Dukcapil Kupang", timezone="Asia/Makassar", parent="")
    assert top.status_code == 303
    sub = post(admin, "/admin/organisasi/kota-kupang/unit/baru", code="upt-oebobo",
               name="UPT Oebobo", timezone="Asia/Makassar", parent="dukcapil-kupang")
    assert sub.status_code == 303
    assert unit_named(db, "upt-oebobo").parent.code == "dukcapil-kupang"
    admin.get("/admin/")  # shows (and so clears) the flashed messages
    overview = admin.get("/admin/").text
    assert "Pemerintah Kota Kupang" in overview
    # The sub-unit is a nested list inside its parent's entry of the tree.
    parent_at = overview.index("Dinas Dukcapil Kupang</a>")
    entry = overview[parent_at:overview.index("</li>", parent_at)]
    assert '<ul class="tree">' in entry and "UPT Oebobo</a>" in entry

    organization = audit_rows(db, "organization")
    assert [(row.action, row.after["code"]) for row in organization] == [("create", "kota-kupang")]
    units = audit_rows(db, "unit")
    assert [(row.action, row.after["code"], row.before) for row in units] == [
        ("create", "dukcapil-kupang", None), ("create", "upt-oebobo", None)]
    assert units[1].after["parent_id"] == unit_named(db, "dukcapil-kupang").id
    assert units[1].actor_label == "admin"

    renamed = post(admin, "/admin/organisasi/kota-kupang/ubah", code="kota-kupang",
                   name="Pemkot Kupang")
    assert renamed.status_code == 303
    update = audit_rows(db, "organization")[-1]
    assert (update.action, update.before["name"], update.after["name"]) == (
        "update", "Pemerintah Kota Kupang", "Pemkot Kupang")


def test_unit_edit_writes_one_row_with_before_and_after_and_none_when_unchanged(app, db, people):
    manager = client_as(app, "manager")
    fields = dict(code="dukcapil", name="Dinas Dukcapil Kota", timezone="Asia/Jakarta", parent="")
    assert post(manager, "/admin/unit/dukcapil/ubah", **fields).status_code == 303
    assert post(manager, "/admin/unit/dukcapil/ubah", **fields).status_code == 303  # unchanged
    rows = [row for row in audit_rows(db, "unit") if row.action == "update"]
    assert len(rows) == 1
    assert (rows[0].before["name"], rows[0].before["timezone"]) == ("Dinas Dukcapil Uji",
                                                                   "Asia/Makassar")
    assert (rows[0].after["name"], rows[0].after["timezone"]) == ("Dinas Dukcapil Kota",
                                                                 "Asia/Jakarta")
    assert rows[0].unit_id == people.unit.unit.id


@pytest.mark.parametrize("fields, field_message", [
    (dict(code="dukcapil-lain"), "Kode ini sudah dipakai"),
    (dict(code="Huruf Besar!"), "huruf kecil"),
    (dict(code="x" * 5000), "paling banyak 40"),
    (dict(name=""), "Nama wajib diisi"),
    (dict(name="n" * 5000), "paling banyak 200"),
    (dict(timezone="Europe/Berlin"), "Pilih WIB, WITA, atau WIT"),
    (dict(parent="tidak-ada"), "Unit induk tidak dikenal"),
    (dict(parent="dukcapil-lain"), "Unit induk tidak dikenal"),  # another manager's unit
    (dict(parent=""), "hanya administrator"),  # a manager makes no top-level unit
])
def test_bad_unit_forms_are_refused_with_a_message_per_field(app, db, people, fields,
                                                             field_message):
    manager = client_as(app, "manager")
    form = dict(code="upt-baru", name="UPT Baru", timezone="Asia/Makassar", parent="dukcapil")
    refused = post(manager, "/admin/organisasi/org-dukcapil/unit/baru", **{**form, **fields})
    assert refused.status_code == 400
    assert field_message in refused.text
    assert unit_named(db, "upt-baru") is None and audit_rows(db, "unit") == []


def test_a_manager_adds_sub_units_only_below_their_own_units(app, db, people):
    manager = client_as(app, "manager")
    made = post(manager, "/admin/organisasi/org-dukcapil/unit/baru", code="upt-baru",
                name="UPT Baru", timezone="Asia/Makassar", parent="dukcapil-kec")
    assert made.status_code == 303
    assert unit_named(db, "upt-baru").parent.code == "dukcapil-kec"
    # The new sub-unit is theirs at once (sub-units of their unit).
    assert manager.get("/admin/unit/upt-baru/ubah").status_code == 200
    assert client_as(app, "other_manager").get("/admin/unit/upt-baru/ubah").status_code == 403


def test_a_unit_cannot_hang_below_itself_or_its_sub_units(app, db, people):
    admin = client_as(app, "admin")
    for parent in ("dukcapil", "dukcapil-kec"):
        refused = post(admin, "/admin/unit/dukcapil/ubah", code="dukcapil", name="Dukcapil",
                       timezone="Asia/Makassar", parent=parent)
        assert refused.status_code == 400
        assert "tidak boleh unit ini sendiri atau salah satu sub-unitnya" in refused.text
    assert unit_named(db, "dukcapil").parent_id is None


def test_deleting_a_unit_with_responses_is_refused_and_deactivating_keeps_its_history(
        app, db, people):
    citizen = app.test_client()
    form = citizen.get(f"/s/{people.unit.counter_code}")
    answered = citizen.post(f"/s/{people.unit.counter_code}", data={
        **hidden_fields(form.text), **full_answers(), "service": people.unit.services[0].id})
    assert answered.status_code in (200, 303)
    db.session.expire_all()
    assert db.session.scalars(select(Response.id)).first() is not None

    manager = client_as(app, "manager")
    asked = post(manager, "/admin/unit/dukcapil/hapus")
    assert asked.status_code == 200 and "Ya, hapus unit" in asked.text
    refused = post(manager, "/admin/unit/dukcapil/hapus", konfirmasi="ya")
    assert refused.status_code == 409
    assert "sudah punya respons, jadi tidak dapat dihapus" in refused.text
    assert unit_named(db, "dukcapil") is not None

    assert post(manager, "/admin/unit/dukcapil/nonaktifkan").status_code == 303
    unit = unit_named(db, "dukcapil")
    assert not unit.active
    codes = db.session.scalars(select(Touchpoint).where(Touchpoint.unit_id == unit.id)).all()
    assert codes and all(not code.active for code in codes)  # a closed unit collects nothing
    assert citizen.get(f"/s/{people.unit.counter_code}").status_code == 410
    deactivation = [row for row in audit_rows(db, "unit") if row.action == "deactivate"]
    assert len(deactivation) == 1
    assert (deactivation[0].before["active"], deactivation[0].after["active"]) == (True, False)
    assert {row.action for row in audit_rows(db, "touchpoint")} == {"revoke"}

    assert post(manager, "/admin/unit/dukcapil/aktifkan").status_code == 303
    assert unit_named(db, "dukcapil").active
    assert [row.action for row in audit_rows(db, "unit")][-1] == "reactivate"


def test_a_unit_made_by_mistake_is_deleted_with_its_services_and_counters(app, db, people):
    admin = client_as(app, "admin")
    post(admin, "/admin/organisasi/org-dukcapil/unit/baru", code="salah", name="Salah Ketik",
         timezone="Asia/Makassar", parent="")
    post(admin, "/admin/unit/salah/layanan", code="ktp", name="KTP-el")
    post(admin, "/admin/unit/salah/loket", code="L1", name="Loket 1")
    unit_id = unit_named(db, "salah").id
    assert post(admin, "/admin/unit/salah/hapus", konfirmasi="ya").status_code == 303
    assert unit_named(db, "salah") is None
    assert db.session.scalars(select(Touchpoint).where(Touchpoint.unit_id == unit_id)).all() == []
    deleted = audit_rows(db, "unit")[-1]
    assert (deleted.action, deleted.before["code"], deleted.after) == ("delete", "salah", None)


def test_a_unit_with_sub_units_or_staff_is_not_deleted(app, db, people):
    admin = client_as(app, "admin")
    refused = post(admin, "/admin/unit/dukcapil/hapus", konfirmasi="ya")
    assert refused.status_code == 409 and "masih punya sub-unit" in refused.text
    refused = post(admin, "/admin/unit/dukcapil-lain/hapus", konfirmasi="ya")
    assert refused.status_code == 409 and "masih punya pegawai" in refused.text


def test_the_overview_shows_a_manager_only_their_units(app, db, people):
    page = client_as(app, "other_manager").get("/admin/").text
    assert "Unit Lain" in page
    assert "Dinas Dukcapil Uji" not in page and "UPT Dukcapil Kecamatan" not in page
    assert "Tambah instansi" not in page
    admin_page = client_as(app, "admin").get("/admin/").text
    assert all(name in admin_page for name in ("Unit Lain", "Dinas Dukcapil Uji",
                                               "UPT Dukcapil Kecamatan", "Tambah instansi"))
    db.session.add(Organization(code="kosong", name="Instansi Kosong"))
    db.session.commit()
    assert "Instansi ini belum punya unit." in client_as(app, "admin").get("/admin/").text
