"""Helpers of the sign-in tests: accounts with a known password, signing in from an address."""
from __future__ import annotations

from tests.factories import PASSWORD, add_user, hidden_fields

__all__ = ["PASSWORD", "add_user", "attempt", "login_fields"]


def login_fields(client) -> dict[str, str]:
    """The sign-in form's hidden fields (its CSRF token) for this client's session."""
    return hidden_fields(client.get("/auth/masuk").text)


def attempt(client, username: str, password: str = PASSWORD, *, address: str = "127.0.0.1",
            fields: dict | None = None, next_path: str | None = None):
    fields = fields if fields is not None else login_fields(client)
    query = {"next": next_path} if next_path is not None else None
    return client.post("/auth/masuk", query_string=query,
                       data={**fields, "username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})
