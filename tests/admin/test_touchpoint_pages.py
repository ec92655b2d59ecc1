"""Admin pages for a unit's QR codes: who may see them, downloads, revoking and reissuing."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from surveys.models import Response, Touchpoint
from tests.factories import PASSWORD, add_user, full_answers, hidden_fields, make_unit
from tests.qr.decode import decode_png, decode_svg, pdf_page_count, pdf_page_sizes, pdf_text

@pytest.fixture
def unit(db):
    return make_unit(db.session)


def sign_in(client, username: str) -> None:
    fields = hidden_fields(client.get("/auth/masuk").text)
    response = client.post("/auth/masuk", data={**fields, "username": username, "password": PASSWORD})
    assert response.status_code == 303


def touchpoint(db, code: str) -> Touchpoint:
    db.session.expire_all()
    return db.session.scalars(select(Touchpoint).where(Touchpoint.public_code == code)).one()


def test_visitors_are_sent_to_sign_in(client, unit):
    for path in ("/admin/", "/admin/unit/dukcapil", "/admin/unit/dukcapil/poster.pdf"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/masuk")


def test_other_roles_and_other_units_managers_are_refused(client, db, unit):
    add_user(db, "penilai", "evaluator", unit.unit.id)
    add_user(db, "manajer.lain", "unit_manager", unit.other_unit_officer.unit_id)
    sign_in(client, "penilai")
    assert client.get("/admin/").status_code == 403
    sign_in(client, "manajer.lain")
    listing = client.get("/admin/")
    assert listing.status_code == 200
    assert "Unit Lain" in listing.text and "Dinas Dukcapil Uji" not in listing.text
    tp = touchpoint(db, unit.counter_code)
    for path in ("/admin/unit/dukcapil", "/admin/unit/dukcapil/poster.pdf",
                 f"/admin/unit/dukcapil/kode/{tp.id}/qr.png"):
        refused = client.get(path)
        assert refused.status_code == 403
        assert "Anda hanya dapat mengelola unit Anda sendiri." in refused.text
    fields = hidden_fields(client.get("/auth/akun").text)  # a valid CSRF token of this session
    attempt = client.post(f"/admin/unit/dukcapil/kode/{tp.id}/cabut",
                          data={**fields, "konfirmasi": "ya"})
    assert attempt.status_code == 403
    assert touchpoint(db, unit.counter_code).revoked_at is None
    # A touchpoint of another unit is not reachable through one's own unit either.
    assert client.get(f"/admin/unit/dukcapil-lain/kode/{tp.id}/qr.png").status_code == 404


def test_admin_sees_every_unit_and_unknown_unit_is_404(client, db, unit):
    add_user(db, "admin", "admin")
    sign_in(client, "admin")
    listing = client.get("/admin/")
    assert "Dinas Dukcapil Uji" in listing.text and "Unit Lain" in listing.text
    assert client.get("/admin/unit/tidak-ada").status_code == 404


def test_unit_page_lists_codes_with_public_urls_and_downloads(client, db, unit):
    add_user(db, "manajer", "unit_manager", unit.unit.id)
    sign_in(client, "manajer")
    page = client.get("/admin/unit/dukcapil/kode")
    assert page.status_code == 200
    for code in (unit.counter_code, unit.personal_code):
        assert f"http://localhost/s/{code}" in page.text
    assert "Yohanes Lake" in page.text and "Loket 1" in page.text
    tp = touchpoint(db, unit.counter_code)
    png = client.get(f"/admin/unit/dukcapil/kode/{tp.id}/qr.png")
    assert png.mimetype == "image/png"
    assert decode_png(png.data) == [f"http://localhost/s/{unit.counter_code}"]
    svg = client.get(f"/admin/unit/dukcapil/kode/{tp.id}/qr.svg")
    assert svg.mimetype == "image/svg+xml"
    assert decode_svg(svg.data) == [f"http://localhost/s/{unit.counter_code}"]
    single = client.get(f"/admin/unit/dukcapil/kode/{tp.id}/poster.pdf?size=A5")
    assert single.mimetype == "application/pdf" and pdf_page_count(single.data) == 1


def test_unit_posters_are_one_pdf_and_use_the_configured_public_url(app, client, db, unit):
    from surveys.models import Counter

    second = Counter(unit=unit.unit, code="L2", name="Loket Dua")
    db.session.add_all([second, Touchpoint(kind="counter", unit=unit.unit, counter=second)])
    db.session.commit()
    app.config["PUBLIC_BASE_URL"] = "https://survei.kupangkota.go.id/"
    add_user(db, "manajer", "unit_manager", unit.unit.id)
    sign_in(client, "manajer")
    for size, width in (("A4", 595.28), ("A5", 419.53)):
        pdf = client.get(f"/admin/unit/dukcapil/poster.pdf?size={size}")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        assert pdf_page_count(pdf.data) == 2
        assert pdf_page_sizes(pdf.data)[0][0] == pytest.approx(width, abs=1)
        text = pdf_text(pdf.data)
        assert f"https://survei.kupangkota.go.id/s/{unit.counter_code}" in text
        assert "Loket Dua" in text
    bad = client.get("/admin/unit/dukcapil/poster.pdf?size=A3")
    assert bad.status_code == 400 and "Pilih A4 atau A5" in bad.text


def test_revoking_asks_first_then_old_posters_show_the_polite_page(client, db, unit):
    add_user(db, "manajer", "unit_manager", unit.unit.id)
    sign_in(client, "manajer")
    tp = touchpoint(db, unit.counter_code)
    open_form = client.get(f"/s/{unit.counter_code}")  # a citizen who opened the form before
    page = client.get("/admin/unit/dukcapil/kode")
    fields = {"csrf_token": hidden_fields(page.text)["csrf_token"]}
    asked = client.post(f"/admin/unit/dukcapil/kode/{tp.id}/cabut", data=fields)
    assert asked.status_code == 200 and "Cabut kode ini?" in asked.text
    assert touchpoint(db, unit.counter_code).revoked_at is None

    confirmation = hidden_fields(asked.text)
    assert confirmation["konfirmasi"] == "ya"
    done = client.post(f"/admin/unit/dukcapil/kode/{tp.id}/cabut", data=confirmation)
    assert done.status_code == 303
    assert touchpoint(db, unit.counter_code).revoked_at is not None
    listing = client.get(done.headers["Location"])
    assert "sudah dicabut" in listing.text

    old_poster = client.get(f"/s/{unit.counter_code}")
    assert old_poster.status_code == 410
    assert "Kode QR ini sudah tidak digunakan lagi." in old_poster.text
    assert client.get(f"/admin/unit/dukcapil/kode/{tp.id}/qr.png").status_code == 410
    late = client.post(f"/s/{unit.counter_code}", data={**hidden_fields(open_form.text), **full_answers()})
    assert late.status_code == 410
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_revoke_without_csrf_token_changes_nothing(client, db, unit):
    add_user(db, "manajer", "unit_manager", unit.unit.id)
    sign_in(client, "manajer")
    tp = touchpoint(db, unit.counter_code)
    response = client.post(f"/admin/unit/dukcapil/kode/{tp.id}/cabut", data={"konfirmasi": "ya"})
    assert response.status_code == 400
    assert touchpoint(db, unit.counter_code).revoked_at is None


def test_reissue_replaces_the_code_and_the_new_one_collects_answers(client, db, unit):
    add_user(db, "manajer", "unit_manager", unit.unit.id)
    sign_in(client, "manajer")
    old = touchpoint(db, unit.counter_code)
    page = client.get("/admin/unit/dukcapil/kode")
    asked = client.post(f"/admin/unit/dukcapil/kode/{old.id}/baru",
                        data={"csrf_token": hidden_fields(page.text)["csrf_token"]})
    assert "Buat kode baru?" in asked.text
    done = client.post(f"/admin/unit/dukcapil/kode/{old.id}/baru", data=hidden_fields(asked.text))
    assert done.status_code == 303
    db.session.expire_all()
    counters = db.session.scalars(select(Touchpoint).where(
        Touchpoint.counter_id == unit.counter.id, Touchpoint.kind == "counter")).all()
    [active] = [tp for tp in counters if tp.active]
    assert active.public_code != unit.counter_code
    assert touchpoint(db, unit.counter_code).revoked_at is not None
    listing = client.get("/admin/unit/dukcapil/kode")
    assert f"http://localhost/s/{active.public_code}" in listing.text
    assert re.search(rf"Kode baru {re.escape(active.public_code)} dibuat", listing.text)

    form = client.get(f"/s/{active.public_code}")
    assert form.status_code == 200
    sent = client.post(f"/s/{active.public_code}", data={**hidden_fields(form.text), **full_answers()})
    assert sent.status_code == 303

    # The old, revoked code cannot be reissued a second time: the counter has a live code.
    again = client.post(f"/admin/unit/dukcapil/kode/{old.id}/baru",
                        data={**hidden_fields(listing.text), "konfirmasi": "ya"})
    assert again.status_code == 409
    db.session.expire_all()
    assert sum(tp.active for tp in db.session.scalars(select(Touchpoint).where(
        Touchpoint.counter_id == unit.counter.id, Touchpoint.kind == "counter"))) == 1
