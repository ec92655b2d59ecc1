"""A manager keeps the unit's staff list: create, edit, deactivate and reactivate, each with one
audit row; bad input gets an Indonesian message per field and a 400, never a 500."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from surveys.models import AuditEvent, Staff, Unit
from tests.factories import add_user, hidden_fields, make_unit
from tests.admin.test_touchpoint_pages import sign_in

NEW_NIP = "199203152019022004"


@pytest.fixture
def unit(db):
    fixture = make_unit(db.session)
    sub = Unit(organization=fixture.unit.organization, parent=fixture.unit, code="dukcapil-kec",
               name="UPT Kecamatan", timezone="Asia/Makassar")
    db.session.add(sub)
    db.session.commit()
    add_user(db, "manajer", "unit_manager", fixture.unit.id)
    return fixture


@pytest.fixture
def manager(client, unit):
    sign_in(client, "manajer")
    return client


def audit_rows(db, entity: str = "staff") -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.entity == entity)
                                   .order_by(AuditEvent.id)))


def staff_by_nip(db, nip: str) -> Staff | None:
    db.session.expire_all()
    return db.session.scalars(select(Staff).where(Staff.nip == nip)).one_or_none()


def post_form(client, path: str, **values):
    fields = hidden_fields(client.get(path).text)
    return client.post(path, data={**fields, **values})


def test_list_shows_the_unit_and_its_sub_units_staff_not_others(manager, db, unit):
    sub = db.session.scalars(select(Unit).where(Unit.code == "dukcapil-kec")).one()
    db.session.add(Staff(nip=NEW_NIP, name="Dewi Kecamatan", position="Operator", unit=sub))
    db.session.commit()
    page = manager.get("/admin/unit/dukcapil/pegawai")
    assert page.status_code == 200
    assert "Maria Ndun" in page.text and "Dewi Kecamatan" in page.text
    assert "Petugas Lain" not in page.text
    found = manager.get("/admin/unit/dukcapil/pegawai?q=lake")
    assert "Yohanes Lake" in found.text and "Maria Ndun" not in found.text
    assert "Maria Ndun" in manager.get("/admin/unit/dukcapil/pegawai?q=1985031").text
    assert manager.get("/admin/unit/dukcapil/pegawai?q=%25").status_code == 200


def test_create_writes_the_staff_member_and_one_audit_row(manager, db, unit):
    response = post_form(manager, "/admin/unit/dukcapil/pegawai/baru",
                         nip="19920315 201902 2 004", name="  Dewi   Baru, S.Kom. ",
                         position="Pranata Komputer", unit=str(unit.unit.id))
    assert response.status_code == 303
    assert "Dewi Baru, S.Kom. ditambahkan" in manager.get(response.headers["Location"]).text
    created = staff_by_nip(db, NEW_NIP)
    assert (created.name, created.position, created.unit_id, created.active) == (
        "Dewi Baru, S.Kom.", "Pranata Komputer", unit.unit.id, True)
    [row] = audit_rows(db)
    assert (row.action, row.entity_id, row.unit_id, row.actor_label) == (
        "create", created.id, unit.unit.id, "manajer")
    assert row.before is None
    assert row.after == {"nip": NEW_NIP, "name": "Dewi Baru, S.Kom.",
                         "position": "Pranata Komputer", "unit_id": unit.unit.id, "active": True}


@pytest.mark.parametrize(("nip", "message"), [
    ("", "Isi NIP (18 angka)."),
    ("12345", "NIP harus tepat 18 angka."),
    ("١٩٨٥٠٣١٢٢٠١٠٠١١٠٠١", "NIP harus tepat 18 angka."),  # Arabic-Indic digits
    ("9" * 5000, "NIP harus tepat 18 angka."),
    ("198513122010011001", "Angka 1–8 NIP harus tanggal lahir"),
    ("192001012010011001", "Angka 1–8 NIP harus tanggal lahir"),
    ("198503122010131001", "Angka 13–14 NIP harus bulan TMT"),
    ("198503121995011001", "17 sampai 60 tahun setelah"),
    ("198503122010013001", "Angka ke-15 NIP (jenis kelamin)"),
    ("198503122010011001", "NIP ini sudah dipakai pegawai lain."),  # Maria Ndun's
])
def test_a_bad_nip_is_refused_with_its_reason(manager, db, unit, nip, message):
    response = post_form(manager, "/admin/unit/dukcapil/pegawai/baru", nip=nip, name="Calon",
                         position="Staf", unit=str(unit.unit.id))
    assert response.status_code == 400
    assert message in response.text
    assert audit_rows(db) == []
    assert db.session.scalar(select(Staff).where(Staff.name == "Calon")) is None


@pytest.mark.parametrize("fields", [
    {"name": "", "position": "Staf"},
    {"name": "x" * 201, "position": "Staf"},
    {"name": "Calon", "position": ""},
    {"name": "Calon", "position": "Staf", "unit": "abc"},
    {"name": "Calon", "position": "Staf", "unit": "999999999999999999999"},
    {"name": "Calon", "position": "Staf", "unit": "other"},  # another unit's id
])
def test_other_bad_fields_are_refused_per_field(manager, db, unit, fields):
    values = {"nip": NEW_NIP, "unit": str(unit.unit.id), **fields}
    if values["unit"] == "other":
        values["unit"] = str(unit.other_unit_officer.unit_id)
    response = post_form(manager, "/admin/unit/dukcapil/pegawai/baru", **values)
    assert response.status_code == 400
    assert ('class="err"' in response.text and
            any(message in response.text for message in (
                "Isi nama pegawai.", "Nama paling panjang 200 karakter.",
                "Isi jabatan pegawai.", "Pilih unit dari daftar.")))
    assert staff_by_nip(db, NEW_NIP) is None


def test_edit_moves_to_a_sub_unit_and_audits_before_and_after(manager, db, unit):
    maria = unit.officers[0]
    sub = db.session.scalars(select(Unit).where(Unit.code == "dukcapil-kec")).one()
    path = f"/admin/unit/dukcapil/pegawai/{maria.id}"
    form = manager.get(path)
    assert 'value="198503122010011001"' in form.text and "Maria Ndun" in form.text
    response = post_form(manager, path, nip=maria.nip, name="Maria Ndun, S.E.",
                         position="Kepala Seksi", unit=str(sub.id))
    assert response.status_code == 303
    [row] = audit_rows(db)
    assert row.action == "update" and row.entity_id == maria.id
    assert row.before == {"nip": maria.nip, "name": "Maria Ndun", "position": "Pengadministrasi",
                          "unit_id": unit.unit.id, "active": True}
    assert row.after == {**row.before, "name": "Maria Ndun, S.E.", "position": "Kepala Seksi",
                         "unit_id": sub.id}
    # Saving the same values again writes no second row.
    again = post_form(manager, path, nip=maria.nip, name="Maria Ndun, S.E.",
                      position="Kepala Seksi", unit=str(sub.id))
    assert again.status_code == 303
    assert len(audit_rows(db)) == 1


def test_edit_refuses_a_nip_another_officer_has(manager, db, unit):
    maria, yohanes = unit.officers
    response = post_form(manager, f"/admin/unit/dukcapil/pegawai/{maria.id}", nip=yohanes.nip,
                         name="Maria Ndun", position="Pengadministrasi", unit=str(unit.unit.id))
    assert response.status_code == 400
    assert "NIP ini sudah dipakai pegawai lain." in response.text
    assert staff_by_nip(db, "198503122010011001") is not None


def test_deactivate_and_reactivate_each_write_one_audit_row(manager, db, unit):
    maria = unit.officers[0]
    token = hidden_fields(manager.get("/admin/unit/dukcapil/pegawai").text)["csrf_token"]
    off = manager.post(f"/admin/unit/dukcapil/pegawai/{maria.id}/nonaktifkan",
                       data={"csrf_token": token})
    assert off.status_code == 303
    assert "dinonaktifkan" in manager.get(off.headers["Location"]).text
    assert staff_by_nip(db, maria.nip).active is False
    manager.post(f"/admin/unit/dukcapil/pegawai/{maria.id}/nonaktifkan",
                 data={"csrf_token": token})  # a second click changes nothing
    on = manager.post(f"/admin/unit/dukcapil/pegawai/{maria.id}/aktifkan",
                      data={"csrf_token": token})
    assert on.status_code == 303
    assert staff_by_nip(db, maria.nip).active is True
    rows = audit_rows(db)
    assert [(row.action, row.before["active"], row.after["active"]) for row in rows] == [
        ("deactivate", True, False), ("reactivate", False, True)]


def test_a_deactivated_officer_leaves_the_survey_form(manager, client, db, unit):
    maria = unit.officers[0]
    assert "Maria Ndun" in client.get(f"/s/{unit.counter_code}").text
    token = hidden_fields(manager.get("/admin/unit/dukcapil/pegawai").text)["csrf_token"]
    manager.post(f"/admin/unit/dukcapil/pegawai/{maria.id}/nonaktifkan", data={"csrf_token": token})
    form = client.get(f"/s/{unit.counter_code}").text
    assert "Maria Ndun" not in form and "Yohanes Lake" in form


def test_a_deactivated_officer_s_personal_code_collects_no_more_answers(manager, client, db,
                                                                        unit):
    yohanes = unit.officers[1]  # make_unit gives him a personal code
    assert client.get(f"/s/{unit.personal_code}").status_code == 200
    token = hidden_fields(manager.get("/admin/unit/dukcapil/pegawai").text)["csrf_token"]
    manager.post(f"/admin/unit/dukcapil/pegawai/{yohanes.id}/nonaktifkan",
                 data={"csrf_token": token})
    gone = client.get(f"/s/{unit.personal_code}")
    assert gone.status_code == 410
    assert "Kode QR ini sudah tidak digunakan lagi." in gone.text
    assert [row.action for row in audit_rows(db, "touchpoint")] == ["revoke"]


def test_post_without_csrf_token_is_refused(manager, db, unit):
    response = manager.post("/admin/unit/dukcapil/pegawai/baru",
                            data={"nip": NEW_NIP, "name": "X", "position": "Y",
                                  "unit": str(unit.unit.id)})
    assert response.status_code == 400
    assert staff_by_nip(db, NEW_NIP) is None
