"""New QR codes from the page /admin/unit/<code>/kode/baru: kiosks, personal codes and counter
posters appear in the unit's QR list with their poster, open the survey form, and once revoked
(or their counter closed) lead to the polite page; bad choices are refused, nothing made."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from surveys.models import AuditEvent, Counter, Staff, Touchpoint
from tests.access.cast import cast, client_as
from tests.factories import full_answers, hidden_fields
from tests.qr.decode import decode_png, pdf_page_count, pdf_text

NEW = "/admin/unit/dukcapil/kode/baru"
POLITE = "Kode QR ini sudah tidak digunakan lagi."


@pytest.fixture
def people(db):
    return cast(db)


def post(client, path: str, **fields):
    token = hidden_fields(client.get("/auth/akun").text)["csrf_token"]
    return client.post(path, data={"csrf_token": token, **fields})


def codes(db) -> list[Touchpoint]:
    db.session.expire_all()
    return list(db.session.scalars(select(Touchpoint).order_by(Touchpoint.id)))


def newest(db) -> Touchpoint:
    return codes(db)[-1]


def audit_rows(db) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "touchpoint")
                                   .order_by(AuditEvent.id)))


def check_listed_with_poster(client, touchpoint: Touchpoint, place: str) -> None:
    url = f"http://localhost/s/{touchpoint.public_code}"
    listing = client.get("/admin/unit/dukcapil/kode")
    assert listing.status_code == 200
    row = listing.text[listing.text.index(f'id="tp-{touchpoint.id}"'):]
    row = row[:row.index("</tr>")]
    assert place in row and url in row
    assert f"/admin/unit/dukcapil/kode/{touchpoint.id}/poster.pdf?size=A4" in row
    poster = client.get(f"/admin/unit/dukcapil/kode/{touchpoint.id}/poster.pdf?size=A4")
    assert poster.status_code == 200 and poster.mimetype == "application/pdf"
    assert pdf_page_count(poster.data) == 1
    text = pdf_text(poster.data)
    assert url in text and place.split(": ", 1)[-1] in text
    png = client.get(f"/admin/unit/dukcapil/kode/{touchpoint.id}/qr.png")
    assert decode_png(png.data) == [url]


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_a_kiosk_is_made_listed_with_its_poster_and_opens_the_form(app, db, people, role):
    client = client_as(app, role)
    assert "Kios (tablet di loket" in client.get(f"{NEW}?jenis=kiosk").text
    made = post(client, NEW, kind="kiosk", counter=str(people.unit.counter.id))
    assert made.status_code == 303
    kiosk = newest(db)
    assert (kiosk.kind, kiosk.unit_id, kiosk.counter_id, kiosk.staff_id) == (
        "kiosk", people.unit.unit.id, people.unit.counter.id, None)
    assert f"Kode baru {kiosk.public_code} dibuat" in client.get(made.headers["Location"]).text
    check_listed_with_poster(client, kiosk, "Kios: Kios di Loket 1")
    [row] = audit_rows(db)
    assert (row.action, row.entity_id, row.unit_id, row.before) == (
        "create", kiosk.id, people.unit.unit.id, None)
    assert (row.after["kind"], row.after["public_code"]) == ("kiosk", kiosk.public_code)

    citizen = app.test_client()
    form = citizen.get(f"/s/{kiosk.public_code}")
    assert form.status_code == 200 and "Loket 1" in form.text
    sent = citizen.post(f"/s/{kiosk.public_code}", data={**hidden_fields(form.text),
                                                          **full_answers()})
    assert sent.status_code == 303


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_a_personal_code_is_made_listed_with_its_poster_and_opens_the_form(app, db, people,
                                                                           role):
    client = client_as(app, role)
    maria = people.unit.officers[0]  # has no personal code yet
    assert post(client, NEW, kind="staff", staff=str(maria.id)).status_code == 303
    personal = newest(db)
    assert (personal.kind, personal.staff_id, personal.counter_id) == ("staff", maria.id, None)
    check_listed_with_poster(client, personal, "Kode pribadi petugas: Petugas: Maria Ndun")
    assert [row.action for row in audit_rows(db)] == ["create"]
    form = app.test_client().get(f"/s/{personal.public_code}")
    assert form.status_code == 200 and "Maria Ndun" in form.text


def test_a_second_counter_poster_code_is_refused_but_a_kiosk_beside_it_is_not(app, db, people):
    manager = client_as(app, "manager")
    before = len(codes(db))
    refused = post(manager, NEW, kind="counter", counter=str(people.unit.counter.id))
    assert refused.status_code == 400
    assert "sudah punya kode aktif jenis ini" in refused.text
    yohanes = people.unit.officers[1]  # has a personal code already
    again = post(manager, NEW, kind="staff", staff=str(yohanes.id))
    assert again.status_code == 400 and "sudah punya kode aktif jenis ini" in again.text
    assert len(codes(db)) == before and audit_rows(db) == []
    assert post(manager, NEW, kind="kiosk", counter=str(people.unit.counter.id)).status_code == 303
    refused = post(manager, NEW, kind="kiosk", counter=str(people.unit.counter.id))
    assert refused.status_code == 400 and "sudah punya kode aktif jenis ini" in refused.text


@pytest.mark.parametrize("fields, message", [
    (dict(kind="printer", counter="{counter}"), "Pilih jenis kode."),
    (dict(kind="", counter="{counter}"), "Pilih jenis kode."),
    (dict(kind="<script>", counter="{counter}"), "Pilih jenis kode."),
    (dict(kind="kiosk\x00", counter="{counter}"), "Pilih jenis kode."),
    (dict(kind="kiosk"), "Pilih loket unit ini yang aktif."),
    (dict(kind="kiosk", counter="abc"), "Isi dengan bilangan bulat."),
    (dict(kind="kiosk", counter="1\x00"), "Isi dengan bilangan bulat."),
    (dict(kind="kiosk", counter="9" * 10_000), "Isi dengan bilangan bulat."),
    (dict(kind="kiosk", counter="99999999999"), "Pilihan tidak dikenal."),
    (dict(kind="kiosk", counter="999999"), "Pilih loket unit ini yang aktif."),
    (dict(kind="kiosk", counter="{other_counter}"), "Pilih loket unit ini yang aktif."),
    (dict(kind="kiosk", counter="{closed_counter}"), "Pilih loket unit ini yang aktif."),
    (dict(kind="staff"), "Pilih petugas unit ini yang aktif."),
    (dict(kind="staff", staff="{other_staff}"), "Pilih petugas unit ini yang aktif."),
    (dict(kind="staff", staff="{gone_staff}"), "Pilih petugas unit ini yang aktif."),
])
def test_bad_choices_are_refused_with_a_message_and_make_no_code(app, db, people, fields,
                                                                 message):
    other = Counter(unit=people.other, code="LX", name="Loket Unit Lain")
    closed = Counter(unit=people.unit.unit, code="L0", name="Loket Tutup", active=False)
    gone = Staff(nip="197001011995031001", name="Pensiunan", position="Staf",
                 unit=people.unit.unit, active=False)
    db.session.add_all([other, closed, gone])
    db.session.commit()
    ids = dict(counter=people.unit.counter.id, other_counter=other.id, closed_counter=closed.id,
               other_staff=people.unit.other_unit_officer.id, gone_staff=gone.id)
    manager = client_as(app, "manager")
    before = len(codes(db))
    refused = post(manager, NEW, **{name: value.format(**ids) for name, value in fields.items()})
    assert refused.status_code == 400
    assert message in refused.text
    assert len(codes(db)) == before and audit_rows(db) == []


def test_a_revoked_kiosk_and_a_closed_counters_codes_show_the_polite_page(app, db, people):
    manager = client_as(app, "manager")
    post(manager, NEW, kind="kiosk", counter=str(people.unit.counter.id))
    kiosk = newest(db)
    post(manager, NEW, kind="staff", staff=str(people.unit.officers[0].id))
    personal = newest(db)
    citizen = app.test_client()
    assert citizen.get(f"/s/{kiosk.public_code}").status_code == 200

    revoked = post(manager, f"/admin/unit/dukcapil/kode/{personal.id}/cabut", konfirmasi="ya")
    assert revoked.status_code == 303
    gone = citizen.get(f"/s/{personal.public_code}")
    assert gone.status_code == 410 and POLITE in gone.text
    assert citizen.get(f"/s/{kiosk.public_code}").status_code == 200  # the kiosk is untouched

    # Closing the counter revokes its poster code and its kiosk alike.
    counter = people.unit.counter
    assert post(manager, f"/admin/unit/dukcapil/loket/{counter.id}/nonaktifkan").status_code == 303
    for code in (kiosk.public_code, people.unit.counter_code):
        closed = citizen.get(f"/s/{code}")
        assert closed.status_code == 410 and POLITE in closed.text
    listing = manager.get("/admin/unit/dukcapil/kode").text
    row = listing[listing.index(f'id="tp-{kiosk.id}"'):]
    assert 'class="revoked"' in row[:row.index(">")]
    assert manager.get(f"/admin/unit/dukcapil/kode/{kiosk.id}/poster.pdf").status_code == 410
    assert [row.action for row in audit_rows(db)] == ["create", "create", "revoke", "revoke",
                                                      "revoke"]
    # A closed counter is no longer offered for a new code.
    refused = post(manager, NEW, kind="kiosk", counter=str(counter.id))
    assert refused.status_code == 400 and "Pilih loket unit ini yang aktif." in refused.text


def test_a_manager_of_another_unit_makes_no_code_here(app, db, people):
    outsider = client_as(app, "other_manager")
    before = len(codes(db))
    assert outsider.get(NEW).status_code == 403
    assert post(outsider, NEW, kind="kiosk",
                counter=str(people.unit.counter.id)).status_code == 403
    # Nor for this unit's counter or officer through their own unit.
    own = "/admin/unit/dukcapil-lain/kode/baru"
    for fields in (dict(kind="kiosk", counter=str(people.unit.counter.id)),
                   dict(kind="staff", staff=str(people.unit.officers[0].id))):
        refused = post(outsider, own, **fields)
        assert refused.status_code == 400 and "unit ini yang aktif" in refused.text
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Touchpoint)) == before
    assert audit_rows(db) == []
