"""Signing in: right credentials open the account page, wrong ones say so without revealing which."""
from __future__ import annotations

import pytest

from tests.factories import add_user, hidden_fields, make_unit


@pytest.fixture
def evaluator(db):
    user = add_user(db, "penilai", "evaluator", make_unit(db.session).unit.id,
                    password="rahasia-123")
    user.display_name = "Ibu Penilai"
    db.session.commit()
    return user


def sign_in(client, username: str, password: str):
    fields = hidden_fields(client.get("/auth/masuk").text)
    return client.post("/auth/masuk", data={**fields, "username": username, "password": password})


def test_right_password_signs_in_and_shows_the_role(client, evaluator):
    signed_in = sign_in(client, "penilai", "rahasia-123")
    assert signed_in.status_code == 303
    account = client.get("/auth/akun")
    assert "Ibu Penilai" in account.text
    assert "Pejabat penilai" in account.text


@pytest.mark.parametrize(("username", "password"), [("penilai", "salah"), ("tidak-ada", "rahasia-123")])
def test_wrong_credentials_are_refused_with_one_message(client, evaluator, username, password):
    refused = sign_in(client, username, password)
    assert refused.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in refused.text
    assert client.get("/auth/akun").status_code == 302


def test_sign_out_ends_the_session(client, evaluator):
    sign_in(client, "penilai", "rahasia-123")
    account = client.get("/auth/akun")
    signed_out = client.post("/auth/keluar", data=hidden_fields(account.text))
    assert signed_out.status_code == 303
    assert client.get("/auth/akun").status_code == 302


def test_empty_or_huge_login_form_is_refused_not_crashed(client, evaluator):
    fields = hidden_fields(client.get("/auth/masuk").text)
    assert client.post("/auth/masuk", data={**fields, "username": "", "password": ""}).status_code == 400
    huge = client.post("/auth/masuk", data={**fields, "username": "x" * 5000, "password": "y"})
    assert huge.status_code == 400
