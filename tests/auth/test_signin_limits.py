"""Sign-in is limited per account (from any address) and per address (across accounts); only
failed attempts count, so colleagues signing in behind one address are not refused."""
from __future__ import annotations

import pytest

from tests.auth.accounts import PASSWORD, add_user, attempt, login_fields

TOO_MANY = "Terlalu banyak percobaan masuk yang gagal."


@pytest.fixture
def accounts(db):
    return [add_user(db, name, "staff") for name in ("penilai", "pegawai", "kepala")]


def test_the_eleventh_wrong_password_in_a_minute_is_refused_even_when_right(client, accounts):
    fields = login_fields(client)
    for n in range(10):
        assert attempt(client, "penilai", "salah", fields=fields,
                       address=f"10.1.0.{n}").status_code == 401
    refused = attempt(client, "penilai", PASSWORD, fields=fields, address="10.1.0.99")
    assert refused.status_code == 429
    assert TOO_MANY in refused.text
    assert client.get("/auth/akun").status_code == 302  # not signed in
    # Another account is not locked by it, from the same address.
    assert attempt(client, "pegawai", fields=fields, address="10.1.0.99").status_code == 303


def test_the_account_limit_ignores_case_and_spaces_of_the_name(client, accounts):
    fields = login_fields(client)
    for n, name in enumerate(["penilai", "PENILAI", " Penilai "] * 4):
        expected = 401 if n < 10 else 429
        assert attempt(client, name, "salah", fields=fields,
                       address=f"10.2.0.{n}").status_code == expected


def test_right_passwords_do_not_use_up_the_limits(app, accounts):
    for _ in range(40):  # a whole office behind one address, signing in and out
        client = app.test_client()
        assert attempt(client, "kepala", address="10.3.0.1").status_code == 303


def test_a_burst_across_accounts_from_one_address_is_refused(app, client, accounts):
    fields = login_fields(client)
    for n in range(30):
        assert attempt(client, f"tebakan{n}", "salah", fields=fields,
                       address="10.4.0.1").status_code == 401
    refused = attempt(client, "kepala", PASSWORD, fields=fields, address="10.4.0.1")
    assert refused.status_code == 429
    assert TOO_MANY in refused.text
    # Someone else, at another address, still signs in to another account.
    other = app.test_client()
    assert attempt(other, "pegawai", address="10.4.0.2").status_code == 303
    assert other.get("/auth/akun").status_code == 200
