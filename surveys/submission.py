"""Saving a citizen's response: validate every field, then store it whole, exactly once."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from surveys.db import utcnow
from surveys.directory import officers_on_duty, open_touchpoint
from surveys.errors import InvalidSubmission
from surveys.instruments import default_instrument
from surveys.models import Answer, Instrument, Response, Staff, Touchpoint

COMMENT_MAX_CHARS = 2000
NO_OFFICER = "unknown"  # the form's "I don't know / not served by one person" choice
_ANSWER = re.compile(r"^[1-4]$")
_INTEGER = re.compile(r"^[0-9]{1,9}$")
_SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Signals:
    """How a response arrived, for abuse checks; never an identity (hashes are salted, rotating)."""

    device_hash: str | None = None
    ip_hash: str | None = None
    duration_seconds: int | None = None


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
) -> tuple[Response, bool]:
    """Store a validated response given through the touchpoint `public_code`: (response, created).

    The same `submission_key` always yields the first response (created False): a double tap,
    a resubmit or the back button never counts twice, even when two requests race.
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
    )
    response.answers = [Answer(item=item, value_text=text) for item, text in values["extra"].items()]
    try:
        with session.begin_nested():
            session.add(response)
    except IntegrityError:
        earlier = submission_key and _by_submission_key(session, submission_key)
        if not earlier:
            raise
        return earlier, False
    return response, True


def _by_submission_key(session: Session, key: str) -> Response | None:
    return session.scalars(select(Response).where(Response.submission_key == key)).one_or_none()
