"""Saving a citizen's response: check every field, then store it whole, exactly once.

A valid form costs one statement on PostgreSQL (`surveys.responses.store`): a guarded INSERT that
re-checks the touchpoint, officer and service in the database, with the response's roll-up queue
entry, comment, reply contact, ticket nonce and abuse flag inserted from its result. Only a
refused or replayed form reads more, to say why.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from surveys.responses import abuse, store
from surveys.db import utcnow
from surveys.organization.directory import officers_on_duty, open_touchpoint
from surveys.driver_sql import Driver
from surveys.errors import InvalidSubmission
from surveys.responses.form_values import FormValues, clean_form
from surveys.responses.instruments import default_instrument
from surveys.models import Instrument, Staff, Touchpoint
from surveys.models.response import new_receipt
from surveys.responses.snapshots import NoCache, SnapshotCache, TouchpointSnapshot
from surveys.responses.store import Extras, TicketUsed

__all__ = ["Signals", "Stored", "SurveyPage", "TicketUse", "TicketUsed",
           "submit_response", "survey_page"]
_SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


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


@dataclass(frozen=True)
class Stored:
    """A stored response: its id and receipt, and whether this call created it (False: a replay)."""

    id: int
    receipt: str
    created: bool


_BLANK_ANSWERS = dict.fromkeys((*(f"u{j}" for j in range(1, 10)), "officer_rating"))


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
    snapshots: SnapshotCache | NoCache = NoCache(),
    driver: Driver | None = None,
) -> Stored:
    """Store a valid response given through the touchpoint `public_code`, once.

    The same `submission_key` always yields the first response (created False): a double tap,
    a resubmit or the back button never counts twice, even when two requests race. With a
    `ticket`, its nonce is stored too, and a reused ticket raises TicketUsed and stores nothing.
    Cheap abuse checks flag the new response (`surveys.responses.abuse`); it is queued for the daily
    roll-up. `snapshots` may reuse the touchpoint and instrument a recent request loaded. The
    response is written through `driver` (default: the session's connection, in its transaction);
    the session only reads, for what the snapshots lack and to explain a refusal.
    Flushes, never commits: on any SurveyError the caller rolls back.
    """
    if submission_key is not None and not _SUBMISSION_KEY.match(submission_key):
        raise InvalidSubmission({"submission_key": "unknown"})
    touchpoint = snapshots.touchpoint(session, public_code)
    instrument = snapshots.instrument(session)  # once: a second call could cache an uncommitted one
    values, errors = clean_form(instrument.items, form)
    fixed = _fix_choices(values, errors, touchpoint, ticket)
    now = now or utcnow()
    answers = {**_BLANK_ANSWERS, **values.answers}
    row = {
        "receipt": new_receipt(), "submission_key": submission_key,
        "instrument_id": instrument.id,
        "channel": channel or CHANNEL_OF_KIND[touchpoint.kind], "touchpoint_id": touchpoint.id,
        "unit_id": touchpoint.unit_id, "counter_id": touchpoint.counter_id,
        "staff_id": values.staff_id, "service_id": values.service_id, "submitted_at": now,
        **answers, **values.optional, "device_hash": signals.device_hash,
        "ip_hash": signals.ip_hash, "duration_seconds": signals.duration_seconds,
    }
    checks = {"check_staff": values.staff_id is not None and "staff" not in fixed,
              "check_service": values.service_id is not None and "service" not in fixed}
    if errors:  # name every bad field at once, the officer and service too
        raise InvalidSubmission({**errors, **_choice_errors(session, public_code, values,
                                                            now.date(), checks)})
    extras = Extras(values.texts, values.reply_contact, ticket and ticket.nonce, abuse.submit_checks(
        device_hash=signals.device_hash, channel=row["channel"],
        duration_seconds=signals.duration_seconds, rules=rules))
    inserted = store.store_response(
        driver or Driver.of_session(session), row, extras, today=now.date(),
        device_since=now - timedelta(minutes=rules.device_window_minutes), **checks)
    if inserted is None:
        return _replayed_or_refused(session, public_code, values, submission_key, now.date(), checks)
    return Stored(inserted.id, row["receipt"], True)


def _fix_choices(values: FormValues, errors: dict[str, str], touchpoint: TouchpointSnapshot,
                 ticket: TicketUse | None) -> set[str]:
    """Puts in the officer a personal code fixes, and the officer and service a ticket fixes
    (the form's own choices for them are ignored); returns which of the two are fixed."""
    fixed = {}
    if touchpoint.staff_id is not None:
        fixed["staff"] = touchpoint.staff_id
    if ticket is not None:
        fixed.update({name: value for name, value in
                      (("staff", ticket.staff_id), ("service", ticket.service_id))
                      if value is not None})
    for name, value in fixed.items():
        errors.pop(name, None)
        setattr(values, f"{name}_id", value)
    return set(fixed)


def _replayed_or_refused(session: Session, public_code: str, values: FormValues,
                         submission_key: str | None, today: date, checks: dict) -> Stored:
    """After the guarded insert stored nothing: the earlier response of a replayed form, or the
    refusal that says why (a closed touchpoint, an officer not on duty, a service not the unit's)."""
    earlier = submission_key and store.earlier_response(session, submission_key)
    if earlier:
        return Stored(*earlier, created=False)
    errors = _choice_errors(session, public_code, values, today, checks)
    # With no cause left to find, a concurrent change decided the check: ask for a fresh form.
    raise InvalidSubmission(errors or {"submission_key": "unknown"})


def _choice_errors(session: Session, public_code: str, values: FormValues, today: date,
                   checks: dict) -> dict[str, str]:
    """The officer and service choices that do not belong to the touchpoint, read afresh
    (TouchpointClosed once it is revoked)."""
    touchpoint = open_touchpoint(session, public_code)
    errors = {}
    if checks["check_staff"] and values.staff_id not in {
            staff.id for staff in officers_on_duty(session, touchpoint, today)}:
        errors["staff"] = "unknown"
    if checks["check_service"] and values.service_id not in {
            service.id for service in touchpoint.unit.services}:
        errors["service"] = "unknown"
    return errors
