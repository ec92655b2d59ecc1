"""Accounts of the people who sign in (admins, unit managers, evaluators, staff)."""
from __future__ import annotations

from functools import cache

from sqlalchemy import select
from werkzeug.security import generate_password_hash
from sqlalchemy.orm import Session

from surveys.models import User



@cache
def _dummy_hash() -> str:
    """Checked against when the user does not exist, so timing does not reveal valid names."""
    return generate_password_hash("not-a-password")


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user with these credentials, or None."""
    user = session.scalars(select(User).where(User.username == username.strip())).one_or_none()
    if user is None:
        User(password_hash=_dummy_hash()).check_password(password)
        return None
    return user if user.check_password(password) else None


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)
