"""Anonymous responses. The nine unsur and the officer rating are columns (fast aggregates);
any other item goes in the long `answer` table."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import UTCDateTime, db, utcnow
from surveys.models.instrument import Instrument, InstrumentItem
from surveys.models.organization import Counter, Service, Unit
from surveys.models.staff import Staff
from surveys.models.touchpoint import Touchpoint

UNSUR_CODES = tuple(f"U{j}" for j in range(1, 10))
# Optional respondent profile (each also allows "prefer not to say", stored as NULL).
AGE_BANDS = ("17-24", "25-34", "35-44", "45-54", "55-64", "65+")
GENDERS = ("L", "P")  # laki-laki, perempuan
EDUCATIONS = ("sd", "smp", "sma", "diploma", "s1", "s2+")
OCCUPATIONS = ("pns", "tni_polri", "swasta", "wirausaha", "pelajar", "lainnya")
# Waiting time bands: 1 <15 min, 2 15-30 min, 3 30-60 min, 4 1-2 h, 5 >2 h.
WAITING_BANDS = (1, 2, 3, 4, 5)
CHANNELS = ("counter_qr", "staff_qr", "ticket", "kiosk", "paper")
FLAG_KINDS = ("suspicious", "excluded", "objected")
_RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L: easy to read aloud


_RECEIPT_CHARS = 12
_RECEIPTS = len(_RECEIPT_ALPHABET) ** _RECEIPT_CHARS  # about 2**58.9


def new_receipt() -> str:
    """A receipt number a citizen can read back, e.g. 'SW-7K3M-9QX2-4HTP' (about 59 random bits):
    one uniform draw below 30**12 (rejection sampling), written in the alphabet's 30 digits."""
    number = secrets.randbits(59)
    while number >= _RECEIPTS:
        number = secrets.randbits(59)
    chars = []
    for _ in range(_RECEIPT_CHARS):
        number, digit = divmod(number, len(_RECEIPT_ALPHABET))
        chars.append(_RECEIPT_ALPHABET[digit])
    return f"SW-{''.join(chars[:4])}-{''.join(chars[4:8])}-{''.join(chars[8:])}"


# The value rules of a response's columns, in SQL over "{}": each is a named CHECK constraint.
ANSWER_RULE = "{} BETWEEN 1 AND 4"
WAITING_RULE = "{} BETWEEN 1 AND 5"
SECONDS_RULE = "{} >= 0"


def _one_of(values: tuple[str, ...]) -> str:
    return "{} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def _check(column: str, rule: str, name: str) -> CheckConstraint:
    return CheckConstraint(rule.format(column), name=name)


ANSWER_COLUMNS = (*(code.lower() for code in UNSUR_CODES), "officer_rating")
# The respondent profile's columns and their codes.
PROFILE = {"age_band": AGE_BANDS, "gender": GENDERS, "education": EDUCATIONS,
           "occupation": OCCUPATIONS}
CODE_RULES = {"channel": CHANNELS, **PROFILE}  # column: allowed codes


class Response(db.Model):
    """One citizen's completed questionnaire; never stored half-done."""

    __table_args__ = (
        *(_check(column, ANSWER_RULE, f"{column}_range") for column in ANSWER_COLUMNS),
        *(_check(column, _one_of(codes), column) for column, codes in CODE_RULES.items()),
        _check("waiting_band", WAITING_RULE, "waiting_band_range"),
        _check("duration_seconds", SECONDS_RULE, "duration_nonnegative"),
        # The device check counts one device's answers of the last minutes, on every submission,
        # as a range of (device, time) pairs that only this index serves (surveys/responses/store.py).
        Index("ix_response_device_hash_submitted_at", "device_hash", "submitted_at"),
        # Likewise the touchpoint's answers of the last minutes (burst flag on submit).
        Index("ix_response_touchpoint_id_submitted_at", "touchpoint_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt: Mapped[str] = mapped_column(String(20), unique=True, default=new_receipt)
    # One key per rendered form: a double tap or a resubmit cannot count twice.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instrument.id"), index=True)
    channel: Mapped[str] = mapped_column(String(12))
    touchpoint_id: Mapped[int | None] = mapped_column(ForeignKey("touchpoint.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"), index=True)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    u1: Mapped[int | None] = mapped_column(SmallInteger)
    u2: Mapped[int | None] = mapped_column(SmallInteger)
    u3: Mapped[int | None] = mapped_column(SmallInteger)
    u4: Mapped[int | None] = mapped_column(SmallInteger)
    u5: Mapped[int | None] = mapped_column(SmallInteger)
    u6: Mapped[int | None] = mapped_column(SmallInteger)
    u7: Mapped[int | None] = mapped_column(SmallInteger)
    u8: Mapped[int | None] = mapped_column(SmallInteger)
    u9: Mapped[int | None] = mapped_column(SmallInteger)
    officer_rating: Mapped[int | None] = mapped_column(SmallInteger)

    waiting_band: Mapped[int | None] = mapped_column(SmallInteger)
    age_band: Mapped[str | None] = mapped_column(String(8))
    gender: Mapped[str | None] = mapped_column(String(1))
    education: Mapped[str | None] = mapped_column(String(8))
    occupation: Mapped[str | None] = mapped_column(String(12))

    # Abuse signals, never identities: a salted, rotating hash of the device cookie and of the
    # IP address, and how long the form was open before it was sent.
    device_hash: Mapped[str | None] = mapped_column(String(64))
    ip_hash: Mapped[str | None] = mapped_column(String(64))
    duration_seconds: Mapped[int | None] = mapped_column(Integer)

    instrument: Mapped[Instrument] = relationship()
    touchpoint: Mapped[Touchpoint | None] = relationship()
    unit: Mapped[Unit] = relationship()
    service: Mapped[Service | None] = relationship()
    counter: Mapped[Counter | None] = relationship()
    staff: Mapped[Staff | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(back_populates="response")
    flags: Mapped[list[ResponseFlag]] = relationship(back_populates="response")
    reply_request: Mapped[ReplyRequest | None] = relationship(back_populates="response")

    def unsur(self) -> dict[str, int | None]:
        """The nine unsur answers keyed U1..U9 (None = not answered)."""
        return {code: getattr(self, code.lower()) for code in UNSUR_CODES}


class Answer(db.Model):
    """An answer to an item beyond the nine unsur and the officer rating (e.g. the comment)."""

    __table_args__ = (
        UniqueConstraint("response_id", "item_id"),
        CheckConstraint("value_int IS NOT NULL OR value_text IS NOT NULL", name="has_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("instrument_item.id"), index=True)
    value_int: Mapped[int | None]
    value_text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")
    item: Mapped[InstrumentItem] = relationship()


class ResponseFlag(db.Model):
    """A reason to doubt or set aside a response; flagged responses are kept, never deleted."""

    __table_args__ = (
        UniqueConstraint("response_id", "kind"),
        CheckConstraint("kind IN ('suspicious', 'excluded', 'objected')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    response: Mapped[Response] = relationship(back_populates="flags")


class ReplyRequest(db.Model):
    """Contact details a citizen gave because they want a reply to their comment.

    Kept apart from the anonymous response so it can be shown only to whoever answers
    complaints and deleted when the retention period ends (UU 27/2022).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), unique=True)
    contact: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    response: Mapped[Response] = relationship(back_populates="reply_request")


class TicketRedemption(db.Model):
    """The nonce of a one-time ticket token, stored when used: the unique key makes it count once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), unique=True)
    redeemed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    response: Mapped[Response] = relationship()
