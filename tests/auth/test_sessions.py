"""Sessions: each role's landing page, same-site `?next=` only, sign-out and password change end
every session of the user (a copied cookie opens nothing), and sessions expire."""
from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from itsdangerous import TimestampSigner

from sqlalchemy import select

from surveys.models import Touchpoint, User
from tests.auth.accounts import PASSWORD, add_user, attempt
from tests.factories import hidden_fields, make_unit


@pytest.fixture
def unit(db):
    return make_unit(db.session)


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def with_cookie(app, value: str):
    """Another browser holding a copy of a session cookie."""
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def signed_out(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/auth/masuk")


@pytest.mark.parametrize(("role", "home"), [
    ("admin", "/admin/"), ("unit_manager", "/admin/unit/dukcapil"),
    ("evaluator", "/penilaian"), ("staff", "/saya"),
])
def test_each_role_lands_on_its_own_home(client, db, unit, role, home):
    add_user(db, "orang", role, unit.unit.id)
    signed_in = attempt(client, "orang")
    assert signed_in.status_code == 303
    assert signed_in.headers["Location"] == home
    assert client.get(home).status_code == 200


def test_a_page_asked_for_before_sign_in_opens_after_it(client, db, unit):
    add_user(db, "manajer", "unit_manager", unit.unit.id)
    asked = client.get("/admin/unit/dukcapil/poster.pdf?size=A5")
    assert signed_out(asked)
    next_path = parse_qs(urlsplit(asked.headers["Location"]).query)["next"][0]
    assert next_path == "/admin/unit/dukcapil/poster.pdf?size=A5"
    signed_in = attempt(client, "manajer", next_path=next_path)
    assert signed_in.headers["Location"] == "/admin/unit/dukcapil/poster.pdf?size=A5"


OFF_SITE = ["//evil.example", "///evil.example", "https://evil.example/admin/",
            "http:evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
            "/\n/evil.example", "javascript:alert(1)", " //evil.example", "evil.example"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_never_leaves_the_site(client, db, unit, target):
    add_user(db, "admin", "admin")
    signed_in = attempt(client, "admin", next_path=target)
    assert signed_in.status_code == 303
    assert signed_in.headers["Location"] == "/admin/"


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.one_of(st.text(max_size=40), st.text(max_size=40).map(lambda t: "/" + t),
                        st.sampled_from(["/", "\\", "//", "/\\", "\t", ":", "@", "%"]).flatmap(
                            lambda prefix: st.text(max_size=20).map(lambda t: prefix + t))))
def test_next_redirects_only_to_paths_of_this_site(app, db, unit, target):
    if db.session.query(User).count() == 0:
        add_user(db, "admin", "admin")
    location = attempt(app.test_client(), "admin", next_path=target).headers["Location"]
    parts = urlsplit(location)
    assert location.startswith("/") and not location.startswith("//")
    assert not parts.scheme and not parts.netloc
    assert "\\" not in location and not any(ord(char) < 0x20 for char in location)


def test_sign_out_ends_the_session_even_for_a_copied_cookie(app, client, db, unit):
    add_user(db, "admin", "admin")
    attempt(client, "admin")
    copied = session_cookie(client)
    assert with_cookie(app, copied).get("/admin/").status_code == 200  # the copy works at first
    other_device = app.test_client()
    attempt(other_device, "admin")
    client.post("/auth/keluar", data=hidden_fields(client.get("/auth/akun").text))
    for path in ("/admin/", "/admin/unit/dukcapil", "/auth/akun", "/auth/kata-sandi"):
        assert signed_out(with_cookie(app, copied).get(path)), path
        assert signed_out(client.get(path)), path
    assert signed_out(other_device.get("/admin/"))  # signing out ends every session
    thief = with_cookie(app, copied)
    fields = hidden_fields(thief.get("/auth/masuk").text)  # a valid CSRF token of the copy
    touchpoint = db.session.scalars(select(Touchpoint)).first()
    refused = thief.post(f"/admin/unit/dukcapil/kode/{touchpoint.id}/cabut",
                         data={**fields, "konfirmasi": "ya"})
    assert signed_out(refused)
    db.session.refresh(touchpoint)
    assert touchpoint.revoked_at is None


def change_password(client, current: str, new: str, repeat: str | None = None):
    fields = hidden_fields(client.get("/auth/kata-sandi").text)
    return client.post("/auth/kata-sandi", data={**fields, "current": current, "new": new,
                                                 "repeat": new if repeat is None else repeat})


def test_password_change_ends_the_other_sessions_and_keeps_this_one(app, client, db, unit):
    add_user(db, "manajer", "unit_manager", unit.unit.id)
    attempt(client, "manajer")
    other_device = app.test_client()
    attempt(other_device, "manajer")
    copied = session_cookie(client)
    changed = change_password(client, PASSWORD, "kata-sandi-baru-99")
    assert changed.status_code == 303
    assert "Kata sandi sudah diganti" in client.get(changed.headers["Location"]).text
    assert client.get("/admin/unit/dukcapil").status_code == 200
    assert signed_out(other_device.get("/admin/unit/dukcapil"))
    assert signed_out(with_cookie(app, copied).get("/admin/unit/dukcapil"))
    assert attempt(app.test_client(), "manajer").status_code == 401
    assert attempt(app.test_client(), "manajer", "kata-sandi-baru-99").status_code == 303


@pytest.mark.parametrize(("current", "new", "repeat", "message"), [
    ("salah-sekali-1", "kata-sandi-baru-99", None, "Kata sandi sekarang salah."),
    (PASSWORD, "pendek", None, "Kata sandi baru harus 10 sampai 200 karakter."),
    (PASSWORD, "kata-sandi-baru-99", "kata-sandi-lain-99", "Kedua kata sandi baru tidak sama."),
    ("", "kata-sandi-baru-99", None, "Isi kata sandi Anda sekarang."),
])
def test_a_refused_password_change_says_why_and_changes_nothing(app, client, db, unit, current,
                                                               new, repeat, message):
    add_user(db, "staf", "staff")
    attempt(client, "staf")
    refused = change_password(client, current, new, repeat)
    assert refused.status_code == 400
    assert message in refused.text
    assert client.get("/auth/akun").status_code == 200
    assert attempt(app.test_client(), "staf").status_code == 303


def test_a_session_expires_after_eight_hours_without_use(app, client, db, unit, monkeypatch):
    add_user(db, "admin", "admin")
    attempt(client, "admin")
    assert client.get("/admin/").status_code == 200
    later = int(time.time()) + 8 * 3600 + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    assert signed_out(client.get("/admin/"))


def test_a_session_of_the_old_format_or_a_forged_identity_opens_nothing(app, client, db, unit):
    admin = add_user(db, "admin", "admin")
    for identity in (str(admin.id), f"{admin.id}:1", f"{admin.id}:", f":{admin.id}",
                     f"{2**70}:0", f"{2**40}:0", f"{admin.id}:{2**70}", "x:0",
                     f"{admin.id}:0:0", f"{admin.id}:٠"):
        with client.session_transaction() as session:
            session["_user_id"] = identity
        assert signed_out(client.get("/admin/")), identity
    with client.session_transaction() as session:
        session["_user_id"] = f"{admin.id}:0"
    assert client.get("/admin/").status_code == 200


def test_guessing_the_current_password_through_the_change_page_is_limited(app, client, db, unit):
    add_user(db, "staf", "staff")
    attempt(client, "staf")
    for _ in range(10):
        assert change_password(client, "tebakan-salah", "kata-sandi-baru-99").status_code == 400
    refused = change_password(client, PASSWORD, "kata-sandi-baru-99")
    assert refused.status_code == 429
    assert attempt(app.test_client(), "staf").status_code == 303  # the password is unchanged
