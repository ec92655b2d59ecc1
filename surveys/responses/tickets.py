"""One-time ticket tokens for queue machines and receipts.

A token is signed (itsdangerous, HMAC-SHA256 with the app's secret and its own salt) over the
touchpoint's public code, the officer's random `public_ref` and the service code (both optional),
the issue time and a random nonce. Signed, not encrypted: anyone holding a token (printed in a QR,
in URLs, in server logs) can read its payload, so it never names an officer by NIP or name.
Issuing only reads the directory and writes nothing; the nonce is stored when the token is used
(`TicketRedemption`, unique), in the same transaction as the response, so a token counts once even
when two submits race.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys.db import utcnow
from surveys.errors import TicketExpired, TicketForbidden, TicketInvalid, TicketRequestInvalid
from surveys.models import Service, Staff, TicketRedemption, Touchpoint
from surveys.organization.directory import open_touchpoint

SALT = "suarawarga.ticket.v2"  # v1 named the officer by NIP: no longer accepted
DEFAULT_MAX_AGE_SECONDS = 3 * 24 * 3600
MAX_TOKEN_CHARS = 400
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,43}$")
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_REF = re.compile(r"^[A-Za-z0-9_-]{22}$")


@dataclass(frozen=True)
class TicketClaims:
    touchpoint_code: str
    officer_ref: str | None  # Staff.public_ref
    service_code: str | None
    nonce: str
    issued_at: datetime


@dataclass(frozen=True)
class IssuedTicket:
    token: str
    claims: TicketClaims
    expires_at: datetime
    officer_nip: str | None  # for the issuer's answer; the token itself never holds it


@dataclass(frozen=True)
class TicketContext:
    """What a valid token points at, looked up now."""

    claims: TicketClaims
    touchpoint: Touchpoint
    staff: Staff | None
    service: Service | None


def _serializer(secret_key: str, now: datetime | None) -> URLSafeTimedSerializer:
    signer = TimestampSigner
    if now is not None:  # a fixed clock, for issuing or checking at a given time
        stamp = int(now.timestamp())

        class _Clocked(TimestampSigner):
            def get_timestamp(self) -> int:
                return stamp

        signer = _Clocked
    return URLSafeTimedSerializer(secret_key, salt=SALT, signer=signer,
                                  signer_kwargs={"digest_method": hashlib.sha256})


def issue_ticket(
    session: Session,
    secret_key: str,
    *,
    unit_id: int,
    touchpoint_code: str,
    officer_nip: str | None = None,
    service_code: str | None = None,
    max_age_seconds: int = DEFAULT_MAX_AGE_SECONDS,
    now: datetime | None = None,
) -> IssuedTicket:
    """A signed one-time token for a touchpoint of `unit_id`; reads, writes nothing."""
    now = now or utcnow()
    touchpoint = session.scalars(
        select(Touchpoint).where(Touchpoint.public_code == touchpoint_code)).one_or_none()
    if touchpoint is None:
        raise TicketRequestInvalid({"touchpoint": "unknown"})
    if touchpoint.unit_id != unit_id:
        raise TicketForbidden(touchpoint_code)
    errors: dict[str, str] = {}
    if not touchpoint.active:
        errors["touchpoint"] = "revoked"
    elif touchpoint.kind == "kiosk":
        errors["touchpoint"] = "kiosk"
    officer = touchpoint.staff
    if officer is not None:
        if officer_nip not in (None, officer.nip):
            errors["officer"] = "not_this_touchpoint"
    elif officer_nip is not None:
        officer = _officer(session, touchpoint.unit_id, Staff.nip == officer_nip)
        if officer is None:
            errors["officer"] = "unknown"
    if service_code is not None and _service(session, touchpoint.unit_id, service_code) is None:
        errors["service"] = "unknown"
    if errors:
        raise TicketRequestInvalid(errors)
    nonce = secrets.token_urlsafe(16)
    ref = officer.public_ref if officer is not None else None
    token = _serializer(secret_key, now).dumps([touchpoint.public_code, ref, service_code, nonce])
    claims = TicketClaims(touchpoint.public_code, ref, service_code, nonce,
                          datetime.fromtimestamp(int(now.timestamp()), UTC))
    return IssuedTicket(token, claims, claims.issued_at + timedelta(seconds=max_age_seconds),
                        officer.nip if officer is not None else None)


def read_ticket(
    secret_key: str, token: str, max_age_seconds: int = DEFAULT_MAX_AGE_SECONDS,
    now: datetime | None = None,
) -> TicketClaims:
    """The claims of a genuine, unexpired token; TicketInvalid or TicketExpired otherwise."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        raise TicketInvalid("length")
    try:
        payload, issued = _serializer(secret_key, now).loads(
            token, max_age=max_age_seconds, return_timestamp=True)
    except SignatureExpired as expired:
        raise TicketExpired(str(expired)) from None
    except (BadData, ValueError, UnicodeError):
        raise TicketInvalid("signature") from None
    if not (isinstance(payload, list) and len(payload) == 4
            and isinstance(payload[0], str) and _CODE.match(payload[0])
            and (payload[1] is None or isinstance(payload[1], str) and _REF.match(payload[1]))
            and (payload[2] is None or isinstance(payload[2], str))
            and isinstance(payload[3], str) and _NONCE.match(payload[3])):
        raise TicketInvalid("payload")
    code, ref, service, nonce = payload
    return TicketClaims(code, ref, service, nonce, issued)


def ticket_context(session: Session, claims: TicketClaims) -> TicketContext:
    """The touchpoint, officer and service a token names (TouchpointClosed when revoked)."""
    touchpoint = open_touchpoint(session, claims.touchpoint_code)
    staff = touchpoint.staff
    if claims.officer_ref is not None and staff is None:
        staff = _officer(session, touchpoint.unit_id, Staff.public_ref == claims.officer_ref)
    service = (_service(session, touchpoint.unit_id, claims.service_code)
               if claims.service_code is not None else None)
    return TicketContext(claims, touchpoint, staff, service)


def ticket_used(session: Session, nonce: str) -> bool:
    return session.scalar(
        select(TicketRedemption.id).where(TicketRedemption.nonce == nonce)) is not None


def _officer(session: Session, unit_id: int, match) -> Staff | None:
    """The unit's active officer that `match` (by NIP or by public_ref) names."""
    return session.scalars(select(Staff).where(
        match, Staff.unit_id == unit_id, Staff.active.is_(True))).one_or_none()


def _service(session: Session, unit_id: int, code: str) -> Service | None:
    return session.scalars(select(Service).where(
        Service.unit_id == unit_id, Service.code == code)).one_or_none()
