"""Staff (pegawai ASN) identified by an 18-digit NIP, and their counter assignments."""
from __future__ import annotations

import re
import secrets
from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from surveys.db import db
from surveys.models.organization import Counter, Unit

_NIP = re.compile(r"[0-9]{18}")  # ASCII digits only, the whole string


# Why a NIP is refused: a code (for each caller's own message) and the model's English text.
NIP_PROBLEMS = {
    "length": "must be exactly 18 digits",
    "birth_date": "digits 1-8 are not a valid birth date",
    "appointment_month": "digits 13-14 are not a valid appointment month",
    "appointment_age": "digits 9-14 (appointment, TMT) are not 17 to 60 years after birth",
    "sex": "digit 15 (sex) must be 1 or 2",
}


def nip_problem_code(nip: str) -> str | None:
    """The key in NIP_PROBLEMS of why `nip` is not a plausible NIP, or None when it is.

    A NIP is 18 digits: birth date (YYYYMMDD, born 1930 or later), appointment month (TMT CPNS,
    YYYYMM, at an age of 17 to 60), sex (1 male, 2 female) and a 3-digit sequence number.
    """
    if not isinstance(nip, str) or not _NIP.fullmatch(nip):
        return "length"
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return "birth_date"
    if born.year < 1930:
        return "birth_date"
    if not 1 <= int(nip[12:14]) <= 12:
        return "appointment_month"
    if not 17 <= int(nip[8:12]) - born.year <= 60:
        return "appointment_age"
    if nip[14] not in "12":
        return "sex"
    return None


def nip_problem(nip: str) -> str | None:
    """Why `nip` is not a valid NIP (in English, for the model's refusal), or None when it is."""
    code = nip_problem_code(nip)
    return None if code is None else NIP_PROBLEMS[code]


def new_public_ref() -> str:
    """A random reference to an officer (128 bits, URL-safe): what a ticket token names instead
    of the NIP or name, since anyone holding the token can read its payload."""
    return secrets.token_urlsafe(16)


class Staff(db.Model):
    """A civil servant who serves citizens."""

    __table_args__ = (CheckConstraint("length(nip) = 18", name="nip_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    public_ref: Mapped[str] = mapped_column(String(22), unique=True, default=new_public_ref)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    unit: Mapped[Unit] = relationship()
    assignments: Mapped[list[CounterAssignment]] = relationship(back_populates="staff")

    @validates("nip")
    def _check_nip(self, key: str, nip: str) -> str:
        problem = nip_problem(nip)
        if problem:
            raise ValueError(f"invalid NIP {nip!r}: {problem}")
        return nip


class CounterAssignment(db.Model):
    """Staff member on duty at a counter from `starts_on` until `ends_on` (open when None)."""

    __table_args__ = (
        UniqueConstraint("staff_id", "counter_id", "starts_on"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="date_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]

    staff: Mapped[Staff] = relationship(back_populates="assignments")
    counter: Mapped[Counter] = relationship()

    def covers(self, day: date) -> bool:
        """Whether the assignment is in force on `day`."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)
