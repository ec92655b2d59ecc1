"""People who sign in: admins, unit managers, evaluators and staff. Citizens never do."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from surveys.db import db
from surveys.models.grant import RoleGrant
from surveys.models.staff import Staff


class User(db.Model):
    """A person, optionally linked to their staff record (pegawai), with scoped role grants."""

    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    display_name: Mapped[str] = mapped_column(String(200))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    # Incremented by sign-out and password change: a session signed in with an older version
    # is no longer valid (app/auth/access.py), so copied session cookies stop working.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # A deactivated user cannot sign in; the row stays for the audit log's sake.
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Set when an admin resets the password: the next sign-in must choose a new one.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())

    staff: Mapped[Staff | None] = relationship()
    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by=RoleGrant.id)

    # What Flask-Login asks of a signed-in user (app/auth/access.py); nothing here imports it.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """The identity a session stores: the id and the session version it was signed in with."""
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: str) -> bool:
        """Whether any grant of the user is one of `roles`."""
        return any(grant.role in roles for grant in self.grants)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)
