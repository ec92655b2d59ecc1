"""A unit's services (jenis layanan) and counters (loket) in the web UI: create, edit, deactivate,
each with one audit row holding the before and after values; bad forms refused per field with
nothing saved; a manager of another unit refused."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from surveys.models import AuditEvent, Counter, Service, Touchpoint
from tests.access.cast import cast, client_as
from tests.factories import hidden_fields

MODELS = {"layanan": Service, "loket": Counter}
ENTITIES = {"layanan": "service", "loket": "counter"}


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


def part(db, kind: str, code: str, unit_id: int):
    db.session.expire_all()
    model = MODELS[kind]
    return db.session.scalars(select(model).where(model.code == code,
                                                  model.unit_id == unit_id)).one_or_none()


def count(db, kind: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(MODELS[kind]))


@pytest.mark.parametrize("role", ["admin", "manager"])
@pytest.mark.parametrize("kind", ["layanan", "loket"])
def test_create_edit_deactivate_each_write_one_audit_row(app, db, people, role, kind):
    client = client_as(app, role)
    entity = ENTITIES[kind]
    unit_id = people.unit.unit.id
    made = post(client, f"/admin/unit/dukcapil/{kind}", code="AKTA", name="Akta Kelahiran")
    assert made.status_code == 303
    created = part(db, kind, "AKTA", unit_id)
    assert created is not None and created.active and created.name == "Akta Kelahiran"
    listing = client.get(f"/admin/unit/dukcapil/{kind}").text
    assert "Akta Kelahiran" in listing and "dibuat" in listing  # the flashed message
    rows = audit_rows(db, entity)
    assert len(rows) == 1
    assert (rows[0].action, rows[0].entity_id, rows[0].unit_id, rows[0].before) == (
        "create", created.id, unit_id, None)
    assert rows[0].after == {"unit_id": unit_id, "code": "AKTA", "name": "Akta Kelahiran",
                             "active": True}
    assert rows[0].actor_label == {"admin": "admin", "manager": "manajer"}[role]

    form = client.get(f"/admin/unit/dukcapil/{kind}/{created.id}/ubah")
    assert form.status_code == 200 and 'value="Akta Kelahiran"' in form.text
    edited = post(client, f"/admin/unit/dukcapil/{kind}/{created.id}/ubah", code="AKTA-2",
                  name="Akta Kelahiran Anak")
    assert edited.status_code == 303
    assert part(db, kind, "AKTA-2", unit_id).name == "Akta Kelahiran Anak"
    update = audit_rows(db, entity)[1:]
    assert [row.action for row in update] == ["update"]
    assert (update[0].before["code"], update[0].before["name"]) == ("AKTA", "Akta Kelahiran")
    assert (update[0].after["code"], update[0].after["name"]) == ("AKTA-2", "Akta Kelahiran Anak")
    # Saving the same values again is no change, and so no audit row.
    assert post(client, f"/admin/unit/dukcapil/{kind}/{created.id}/ubah", code="AKTA-2",
                name="Akta Kelahiran Anak").status_code == 303
    assert len(audit_rows(db, entity)) == 2

    assert post(client, f"/admin/unit/dukcapil/{kind}/{created.id}/nonaktifkan").status_code == 303
    assert not part(db, kind, "AKTA-2", unit_id).active
    off = audit_rows(db, entity)[2:]
    assert [row.action for row in off] == ["deactivate"]
    assert (off[0].before["active"], off[0].after["active"]) == (True, False)
    # Deactivating twice changes nothing and writes nothing.
    assert post(client, f"/admin/unit/dukcapil/{kind}/{created.id}/nonaktifkan").status_code == 303
    assert len(audit_rows(db, entity)) == 3

    assert post(client, f"/admin/unit/dukcapil/{kind}/{created.id}/aktifkan").status_code == 303
    assert part(db, kind, "AKTA-2", unit_id).active
    assert [row.action for row in audit_rows(db, entity)] == [
        "create", "update", "deactivate", "reactivate"]


def test_a_new_counter_has_its_qr_code_and_deactivating_it_revokes_the_code(app, db, people):
    manager = client_as(app, "manager")
    assert post(manager, "/admin/unit/dukcapil/loket", code="L9",
                name="Loket Sembilan").status_code == 303
    counter = part(db, "loket", "L9", people.unit.unit.id)
    code = db.session.scalars(select(Touchpoint).where(Touchpoint.counter_id == counter.id)).one()
    assert code.kind == "counter" and code.active
    citizen = app.test_client()
    assert citizen.get(f"/s/{code.public_code}").status_code == 200
    assert post(manager, f"/admin/unit/dukcapil/loket/{counter.id}/nonaktifkan").status_code == 303
    db.session.expire_all()
    assert not db.session.get(Touchpoint, code.id).active
    assert citizen.get(f"/s/{code.public_code}").status_code == 410
    assert [row.action for row in audit_rows(db, "touchpoint")] == ["create", "revoke"]


def test_a_deactivated_service_is_no_longer_offered_on_the_form(app, db, people):
    manager = client_as(app, "manager")
    ktp = people.unit.services[0]
    form = app.test_client().get(f"/s/{people.unit.counter_code}").text
    assert "KTP-el" in form
    assert post(manager, f"/admin/unit/dukcapil/layanan/{ktp.id}/nonaktifkan").status_code == 303
    form = app.test_client().get(f"/s/{people.unit.counter_code}").text
    assert "KTP-el" not in form and "Kartu Keluarga" in form


BAD_FORMS = [
    (dict(name=""), "Nama wajib diisi"),
    (dict(name="   "), "Nama wajib diisi"),
    (dict(name="n" * 201), "Nama paling banyak 200 karakter"),
    (dict(name="n" * 10_000), "Nama paling banyak 200 karakter"),
    (dict(code=""), "Kode wajib diisi"),
    (dict(code="K" * 41), "Kode paling banyak 40 karakter"),
    (dict(code="K" * 10_000), "Kode paling banyak 40 karakter"),
    (dict(code="<script>alert(1)</script>"), "Kode hanya boleh berisi huruf, angka"),
    (dict(code="KTP\x00"), "Kode hanya boleh berisi huruf, angka"),
    (dict(code="ktp dua"), "Kode hanya boleh berisi huruf, angka"),
    (dict(code="-ktp"), "Kode hanya boleh berisi huruf, angka"),
    (dict(name="Akta\x00Kelahiran"), "Nama tidak boleh berisi karakter kendali"),
]


@pytest.mark.parametrize("kind", ["layanan", "loket"])
@pytest.mark.parametrize("fields, message", BAD_FORMS)
def test_bad_new_part_forms_are_refused_per_field_and_save_nothing(app, db, people, kind,
                                                                   fields, message):
    manager = client_as(app, "manager")
    before = count(db, kind)
    refused = post(manager, f"/admin/unit/dukcapil/{kind}",
                   **{**dict(code="BARU", name="Layanan Baru"), **fields})
    assert refused.status_code == 400
    assert message in refused.text
    assert 'class="err"' in refused.text
    assert count(db, kind) == before
    assert audit_rows(db, ENTITIES[kind]) == []


@pytest.mark.parametrize("kind, taken", [("layanan", "kk"), ("loket", "L1")])
def test_a_duplicate_code_in_the_same_unit_is_refused_but_another_unit_may_use_it(
        app, db, people, kind, taken):
    manager = client_as(app, "manager")
    before = count(db, kind)
    refused = post(manager, f"/admin/unit/dukcapil/{kind}", code=taken, name="Lagi")
    assert refused.status_code == 400
    assert "Kode ini sudah dipakai. Pilih kode lain." in refused.text
    assert count(db, kind) == before and audit_rows(db, ENTITIES[kind]) == []
    # Renaming another part to a taken code is refused the same way.
    assert post(manager, f"/admin/unit/dukcapil/{kind}", code="LAIN",
                name="Lain").status_code == 303
    other = part(db, kind, "LAIN", people.unit.unit.id)
    edited = post(manager, f"/admin/unit/dukcapil/{kind}/{other.id}/ubah", code=taken,
                  name="Lain")
    assert edited.status_code == 400 and "Kode ini sudah dipakai" in edited.text
    assert part(db, kind, "LAIN", people.unit.unit.id) is not None
    # Codes are per unit: the sub-unit may use the same code.
    assert post(manager, f"/admin/unit/dukcapil-kec/{kind}", code=taken,
                name="Di sub-unit").status_code == 303


@pytest.mark.parametrize("fields, message", BAD_FORMS)
def test_bad_edits_are_refused_per_field_and_change_nothing(app, db, people, fields, message):
    manager = client_as(app, "manager")
    ktp = people.unit.services[0]
    refused = post(manager, f"/admin/unit/dukcapil/layanan/{ktp.id}/ubah",
                   **{**dict(code="ktp", name="KTP-el"), **fields})
    assert refused.status_code == 400 and message in refused.text
    db.session.expire_all()
    service = db.session.get(Service, ktp.id)
    assert (service.code, service.name) == ("ktp", "KTP-el")
    assert audit_rows(db, "service") == []


def test_hostile_names_are_stored_as_text_and_shown_escaped(app, db, people):
    manager = client_as(app, "manager")
    hostile = '<script>alert("x")</script> & \'Layanan\''
    assert post(manager, "/admin/unit/dukcapil/layanan", code="XSS",
                name=hostile).status_code == 303
    assert part(db, "layanan", "XSS", people.unit.unit.id).name == hostile
    listing = manager.get("/admin/unit/dukcapil/layanan").text
    assert "<script>alert" not in listing
    assert "&lt;script&gt;alert" in listing


def test_a_manager_of_another_unit_is_refused_and_changes_nothing(app, db, people):
    outsider = client_as(app, "other_manager")
    ktp, counter = people.unit.services[0], people.unit.counter
    for path in ("/admin/unit/dukcapil/layanan", "/admin/unit/dukcapil/loket",
                 f"/admin/unit/dukcapil/layanan/{ktp.id}/ubah",
                 f"/admin/unit/dukcapil/loket/{counter.id}/ubah"):
        assert outsider.get(path).status_code == 403
    attempts = [
        ("/admin/unit/dukcapil/layanan", dict(code="BARU", name="Baru")),
        ("/admin/unit/dukcapil/loket", dict(code="BARU", name="Baru")),
        (f"/admin/unit/dukcapil/layanan/{ktp.id}/ubah", dict(code="ktp", name="Diubah")),
        (f"/admin/unit/dukcapil/loket/{counter.id}/nonaktifkan", {}),
        (f"/admin/unit/dukcapil/layanan/{ktp.id}/nonaktifkan", {}),
        # the same part through the outsider's own unit: not theirs either
        (f"/admin/unit/dukcapil-lain/layanan/{ktp.id}/ubah", dict(code="ktp", name="Diubah")),
        (f"/admin/unit/dukcapil-lain/loket/{counter.id}/nonaktifkan", {}),
    ]
    statuses = [post(outsider, path, **fields).status_code for path, fields in attempts]
    assert statuses == [403, 403, 403, 403, 403, 404, 404]
    db.session.expire_all()
    assert db.session.get(Service, ktp.id).name == "KTP-el"
    assert db.session.get(Counter, counter.id).active
    assert audit_rows(db, "service") == [] and audit_rows(db, "counter") == []
