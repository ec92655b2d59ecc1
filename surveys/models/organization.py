"""Organizations, their service units (a tree), services (jenis layanan) and counters (loket)."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import db

# Indonesia's three civil time zones: WIB, WITA, WIT.
UNIT_TIMEZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


class Organization(db.Model):
    """An instansi, e.g. Pemerintah Kota Kupang."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    units: Mapped[list[Unit]] = relationship(back_populates="organization")


class Unit(db.Model):
    """A unit penyelenggara pelayanan; sub-units hang off `parent_id`."""

    __table_args__ = (
        CheckConstraint(
            "timezone IN ('Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura')", name="timezone"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Makassar")
    # A unit with responses is never deleted: it is deactivated and keeps its history.
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    organization: Mapped[Organization] = relationship(back_populates="units")
    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")
    services: Mapped[list[Service]] = relationship(back_populates="unit", order_by="Service.code")
    counters: Mapped[list[Counter]] = relationship(back_populates="unit", order_by="Counter.code")


class Service(db.Model):
    """A jenis layanan offered by a unit (e.g. KTP-el, Akta Kelahiran)."""

    __table_args__ = (UniqueConstraint("unit_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    unit: Mapped[Unit] = relationship(back_populates="services")


class Counter(db.Model):
    """A loket where citizens are served."""

    __table_args__ = (UniqueConstraint("unit_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    unit: Mapped[Unit] = relationship(back_populates="counters")
