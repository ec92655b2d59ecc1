"""Helpers of the sign-in tests: accounts with a known password, signing in from an address."""
from __future__ import annotations

from surveys.models import User
from tests.factories import hidden_fields

PASSWORD = "rahasia-uji-123"


def add_user(db, username: str, role: str, unit_id: int | None = None) -> User:
    user = User(username=username, display_name=username.title(), role=role, unit_id=unit_id)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


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
