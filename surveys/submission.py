"""Saving a citizen's response: validate every field, then store it whole, exactly once."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from surveys import abuse, rollup
from surveys.db import utcnow
from surveys.directory import officers_on_duty, open_touchpoint
from surveys.errors import InvalidSubmission, SurveyError
from surveys.instruments import default_instrument
from surveys.models import (
    Answer,
    Instrument,
    ReplyRequest,
    Response,
    Staff,
    TicketRedemption,
    Touchpoint,
)
from surveys.models.response import AGE_BANDS, EDUCATIONS, GENDERS, OCCUPATIONS, WAITING_BANDS

COMMENT_MAX_CHARS = 2000
CONTACT_MAX_CHARS = 200
REPLY_TICKED = "1"  # the value of the "I want a reply" checkbox
# Optional items stored as columns; blank ("prefer not to say") is NULL.
OPTIONAL_CODES: dict[str, tuple[str, ...]] = {
    "waiting_band": tuple(str(band) for band in WAITING_BANDS),
    "age_band": AGE_BANDS,
    "gender": GENDERS,
    "education": EDUCATIONS,
    "occupation": OCCUPATIONS,
}
NO_OFFICER = "unknown"  # the form's "I don't know / not served by one person" choice
_ANSWER = re.compile(r"^[1-4]$")
_INTEGER = re.compile(r"^[0-9]{1,9}$")
_SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Signals:
    """How a response arrived, for abuse checks; never an identity (hashes are salted, rotating)."""

    device_hash: str | None = None
    ip_hash: str | None = None
    duration_seconds: int | None = None


@dataclass(frozen=True)
class TicketUse:
    """A one-time ticket being used: its nonce, and the officer and service it fixes (or None)."""

    nonce: str
    staff_id: int | None = None
    service_id: int | None = None


class TicketUsed(SurveyError):
    """The ticket's nonce was already used: the response is not counted again."""


CHANNEL_OF_KIND = {"counter": "counter_qr", "staff": "staff_qr", "kiosk": "kiosk"}


@dataclass(frozen=True)
class SurveyPage:
    """What the form of one touchpoint shows: where, which questions, which officers."""

    touchpoint: Touchpoint
    instrument: Instrument
    officers: list[Staff]


def survey_page(session: Session, public_code: str, today: date) -> SurveyPage:
    """The form behind a QR code; refuses unknown and revoked codes. Flushes, never commits."""
    touchpoint = open_touchpoint(session, public_code)
    return SurveyPage(
        touchpoint, default_instrument(session), officers_on_duty(session, touchpoint, today)
    )


def _answer_value(raw: str | None) -> tuple[int | None, str | None]:
    """(value, problem) of a 1-4 answer given as text; blank is (None, None)."""
    text = (raw or "").strip()
    if not text:
        return None, None
    if _ANSWER.match(text):
        return int(text), None
    if re.match(r"^-?[0-9]+$", text):
        return None, "out_of_range"
    return None, "not_an_integer"


def _choice_id(raw: str | None, allowed: dict[int, object]) -> tuple[int | None, str | None]:
    """(id, problem) of an optional choice among `allowed` ids; blank and 'unknown' are None."""
    text = (raw or "").strip()
    if not text or text == NO_OFFICER:
        return None, None
    if _INTEGER.match(text) and int(text) in allowed:
        return int(text), None
    return None, "unknown"


def _optional_code(raw: str | None, allowed: tuple[str, ...]) -> tuple[str | None, str | None]:
    """(code, problem) of an optional coded answer; blank means "prefer not to say"."""
    text = (raw or "").strip()
    if not text:
        return None, None
    return (text, None) if text in allowed else (None, "unknown")


def _reply_contact(form: Mapping[str, str]) -> tuple[str | None, dict[str, str]]:
    """The contact to store for a reply, only when the box is ticked; a contact alone is ignored."""
    ticked = (form.get("reply_wanted") or "").strip()
    if not ticked:
        return None, {}
    if ticked != REPLY_TICKED:
        return None, {"reply_wanted": "unknown"}
    contact = " ".join(_CONTROL.sub("", form.get("reply_contact") or "").split())
    if not contact:
        return None, {"reply_contact": "contact_required"}
    if len(contact) > CONTACT_MAX_CHARS:
        return None, {"reply_contact": "contact_too_long"}
    digits = sum(char.isdigit() for char in contact)
    if _EMAIL.match(contact) or (_PHONE.match(contact) and 8 <= digits <= 15):
        return contact, {}
    return None, {"reply_contact": "contact_invalid"}


def validate(
    session: Session, instrument: Instrument, touchpoint: Touchpoint, form: Mapping[str, str],
    today: date,
) -> dict:
    """The clean values of `form`, or InvalidSubmission naming every bad field."""
    errors: dict[str, str] = {}
    values: dict = {"answers": {}, "extra": {}}
    for item in instrument.items:
        if item.kind == "text":
            text = _CONTROL.sub("", form.get(item.code) or "").strip()
            if len(text) > COMMENT_MAX_CHARS:
                errors[item.code] = "too_long"
            elif text:
                values["extra"][item] = text
            continue
        value, problem = _answer_value(form.get(item.code))
        if problem is None and value is None and item.required:
            problem = "required"
        if problem:
            errors[item.code] = problem
        values["answers"][item.code] = value

    if touchpoint.staff_id is not None:
        values["staff_id"] = touchpoint.staff_id
    else:
        on_duty = {staff.id: staff for staff in officers_on_duty(session, touchpoint, today)}
        values["staff_id"], problem = _choice_id(form.get("staff"), on_duty)
        if problem:
            errors["staff"] = problem
    services = {service.id: service for service in touchpoint.unit.services}
    values["service_id"], problem = _choice_id(form.get("service"), services)
    if problem:
        errors["service"] = problem
    values["optional"] = {}
    for name, allowed in OPTIONAL_CODES.items():
        code, problem = _optional_code(form.get(name), allowed)
        if problem:
            errors[name] = problem
        values["optional"][name] = int(code) if name == "waiting_band" and code else code
    values["reply_contact"], problems = _reply_contact(form)
    errors.update(problems)
    if errors:
        raise InvalidSubmission(errors)
    return values


def submit_response(
    session: Session,
    public_code: str,
    form: Mapping[str, str],
    *,
    submission_key: str | None,
    now: datetime | None = None,
    signals: Signals = Signals(),
    channel: str | None = None,
    ticket: TicketUse | None = None,
    rules: abuse.AbuseRules = abuse.DEFAULT_RULES,
) -> tuple[Response, bool]:
    """Store a validated response given through the touchpoint `public_code`: (response, created).

    The same `submission_key` always yields the first response (created False): a double tap,
    a resubmit or the back button never counts twice, even when two requests race.
    With a `ticket`, its nonce is stored in the same savepoint, so a reused ticket raises
    TicketUsed and stores nothing. Cheap abuse checks flag the new response (`surveys.abuse`).
    Flushes, never commits.
    """
    if submission_key is not None and not _SUBMISSION_KEY.match(submission_key):
        raise InvalidSubmission({"submission_key": "unknown"})
    if submission_key is not None:
        earlier = _by_submission_key(session, submission_key)
        if earlier is not None:
            return earlier, False
    touchpoint = open_touchpoint(session, public_code)
    now = now or utcnow()
    instrument = default_instrument(session)
    values = validate(session, instrument, touchpoint, form, now.date())
    if ticket is not None:
        if _nonce_used(session, ticket.nonce):
            raise TicketUsed(ticket.nonce)
        values["staff_id"] = ticket.staff_id if ticket.staff_id is not None else values["staff_id"]
        values["service_id"] = (ticket.service_id if ticket.service_id is not None
                                else values["service_id"])
    response = Response(
        submission_key=submission_key,
        instrument=instrument,
        channel=channel or CHANNEL_OF_KIND[touchpoint.kind],
        touchpoint_id=touchpoint.id,
        unit_id=touchpoint.unit_id,
        counter_id=touchpoint.counter_id,
        staff_id=values["staff_id"],
        service_id=values["service_id"],
        submitted_at=now,
        device_hash=signals.device_hash,
        ip_hash=signals.ip_hash,
        duration_seconds=signals.duration_seconds,
        officer_rating=values["answers"].pop("OFFICER", None),
        **{code.lower(): value for code, value in values["answers"].items()},
        **values["optional"],
    )
    response.answers = [Answer(item=item, value_text=text) for item, text in values["extra"].items()]
    if values["reply_contact"]:
        response.reply_request = ReplyRequest(contact=values["reply_contact"])
    try:
        with session.begin_nested():
            session.add(response)
            if ticket is not None:
                session.add(TicketRedemption(nonce=ticket.nonce, response=response))
    except IntegrityError:
        earlier = submission_key and _by_submission_key(session, submission_key)
        if earlier:
            return earlier, False
        if ticket is not None and _nonce_used(session, ticket.nonce):
            raise TicketUsed(ticket.nonce) from None
        raise
    abuse.flag_on_submit(session, response, rules)  # before the roll-up: it counts flag states
    rollup.add_response(session, response)  # keeps the daily roll-up current (surveys/rollup.py)
    return response, True


def _nonce_used(session: Session, nonce: str) -> bool:
    used = select(TicketRedemption.id).where(TicketRedemption.nonce == nonce)
    return session.scalar(used) is not None


def _by_submission_key(session: Session, key: str) -> Response | None:
    return session.scalars(select(Response).where(Response.submission_key == key)).one_or_none()
