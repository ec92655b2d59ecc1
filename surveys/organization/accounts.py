"""Accounts of the people who sign in (admins, unit managers, evaluators, staff)."""
from __future__ import annotations

from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from surveys import audit
from surveys.errors import WeakPassword, WrongPassword
from surveys.models import User

MIN_PASSWORD_LENGTH = 10


@cache
def _dummy_hash() -> str:
    """Checked against when the user does not exist, so timing does not reveal valid names."""
    return generate_password_hash("not-a-password", method="scrypt")


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user with these credentials, or None."""
    user = session.scalars(select(User).where(User.username == username.strip())).one_or_none()
    if user is None:
        User(password_hash=_dummy_hash()).check_password(password)
        return None
    return user if user.check_password(password) else None


def sign_in(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None; either way one audit row says who tried
    (the name as typed when it is nobody's) and, on failure, why. Never the password."""
    user = authenticate(session, username, password)
    if user is not None and user.active:
        audit.record(session, actor=user, action="sign_in", entity="user", entity_id=user.id)
        return user
    known = user or session.scalars(
        select(User).where(User.username == username.strip())).one_or_none()
    reason = ("akun nonaktif" if user is not None else "kata sandi salah" if known is not None
              else "nama pengguna tidak dikenal")
    audit.record(session, actor=known, action="sign_in_failed", entity="user",
                 entity_id=known.id if known else None, reason=reason,
                 actor_label=None if known else username.strip()[:80] or "-")
    return None


def user_by_session_id(session: Session, session_id: str) -> User | None:
    """The user a session's stored identity (`User.get_id`, "id:version") names, if that session
    is still valid: a sign-out or password change since then increments the version."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit() and version.isascii() and version.isdigit()):
        return None
    if len(user_id) > 10 or int(user_id) > 2**31 - 1:  # ids are `integer` columns
        return None
    user = session.get(User, int(user_id))
    valid = user is not None and user.active and user.session_version == int(version)
    return user if valid else None


def end_sessions(session: Session, user: User) -> None:
    """Ends every session of `user`, on every device (sign-out)."""
    user.session_version += 1
    session.flush()


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """Sets a new password after checking the current one (the new one must differ: a reset's
    temporary password does not stay); every other session of the user ends."""
    if not user.check_password(current):
        raise WrongPassword()
    if len(new) < MIN_PASSWORD_LENGTH or new == current:
        raise WeakPassword()
    user.set_password(new)
    forced, user.must_change_password = user.must_change_password, False
    end_sessions(session, user)
    audit.record(session, actor=user, action="change_password", entity="user", entity_id=user.id,
                 before={"must_change_password": forced}, after={"must_change_password": False})
