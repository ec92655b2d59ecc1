"""People who sign in: admins, unit managers, evaluators and staff. Citizens never do."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from surveys.db import db
from surveys.models.organization import Unit
from surveys.models.staff import Staff

ROLES = ("admin", "unit_manager", "evaluator", "staff")


class User(db.Model):
    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'unit_manager', 'evaluator', 'staff')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    # Incremented by sign-out and password change: a session signed in with an older version
    # is no longer valid (app/auth/access.py), so copied session cookies stop working.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    unit: Mapped[Unit | None] = relationship()
    staff: Mapped[Staff | None] = relationship()

    # What Flask-Login asks of a signed-in user (app/auth/access.py); nothing here imports it.
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        """The identity a session stores: the id and the session version it was signed in with."""
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)
