"""Saving a citizen's response: check every field, then store it whole, exactly once; and the
form a touchpoint or a one-time ticket shows.

A valid form costs one guarded INSERT that re-checks the touchpoint, officer and service in the
database (`surveys.responses.store`), then plain inserts of what goes with it, all in the
caller's transaction. Only a refused or replayed form reads more, to say why.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from surveys.db import utcnow
from surveys.errors import (
    InvalidSubmission,
    TicketClosed,
    TicketInvalid,
    TicketUsed,
    TouchpointClosed,
    TouchpointNotFound,
)
from surveys.models import Instrument, Service, Staff, Touchpoint
from surveys.models.response import new_receipt
from surveys.organization.directory import officers_on_duty, open_touchpoint
from surveys.periods import local_day
from surveys.responses import abuse, store
from surveys.responses.form_values import FormValues, clean_form
from surveys.responses.instruments import default_instrument
from surveys.responses.snapshots import NoCache, SnapshotCache, TouchpointSnapshot
from surveys.responses.tickets import TicketClaims, TicketContext, ticket_context, ticket_used

__all__ = ["Signals", "Stored", "SurveyPage", "open_ticket", "submit_response", "survey_form"]
_SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class Signals:
    """How a response arrived, for abuse checks; never an identity (hashes are salted, rotating)."""

    device_hash: str | None = None
    ip_hash: str | None = None
    duration_seconds: int | None = None


CHANNEL_OF_KIND = {"counter": "counter_qr", "staff": "staff_qr", "kiosk": "kiosk"}


@dataclass(frozen=True)
class SurveyPage:
    """What the form of one touchpoint (or one ticket) shows: where, which questions, the
    officer it names (or the officers to choose from) and the services to choose from."""

    touchpoint: Touchpoint
    instrument: Instrument
    officers: list[Staff]
    staff: Staff | None  # fixed by a personal code or a ticket: shown, not chosen
    services: list[Service]
    fixed_service: Service | None = None  # a ticket's service: the only one offered


def survey_form(session: Session, public_code: str, now: datetime,
                ticket: TicketClaims | None = None) -> SurveyPage:
    """The form behind a QR code at the UTC moment `now` (officers on duty on the unit's own
    calendar day), or behind a ticket for it with the ticket's officer and service fixed;
    refuses unknown and revoked codes, and used tickets. Reads only."""
    if ticket is None:
        touchpoint = open_touchpoint(session, public_code)
        staff, service = touchpoint.staff, None
    else:
        context = open_ticket(session, ticket, public_code)
        if ticket_used(session, ticket.nonce):
            raise TicketUsed(ticket.nonce)
        touchpoint, staff, service = context.touchpoint, context.staff, context.service
    officers = [staff] if staff is not None else officers_on_duty(
        session, touchpoint, local_day(now, touchpoint.unit.timezone))
    services = [service] if service is not None else list(touchpoint.unit.services)
    return SurveyPage(touchpoint, default_instrument(session), officers, staff, services, service)


def open_ticket(session: Session, claims: TicketClaims,
                public_code: str | None = None) -> TicketContext:
    """What a ticket names, as a ticket's refusal when its touchpoint is gone or revoked; given
    `public_code`, a ticket of another touchpoint is no ticket there."""
    if public_code is not None and claims.touchpoint_code != public_code:
        raise TicketInvalid("touchpoint")
    try:
        return ticket_context(session, claims)
    except TouchpointNotFound:
        raise TicketInvalid("touchpoint") from None
    except TouchpointClosed:
        raise TicketClosed(claims.touchpoint_code) from None


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
    ticket: TicketClaims | None = None,
    rules: abuse.AbuseRules = abuse.DEFAULT_RULES,
    snapshots: SnapshotCache | NoCache = NoCache(),
) -> Stored:
    """Store a valid response given through the touchpoint `public_code`, once.

    The same `submission_key` always yields the first response (created False): a double tap,
    a resubmit or the back button never counts twice, even when two requests race. With a
    `ticket` (its claims, already verified), its officer and service are fixed, its nonce is
    stored too, and a reused ticket raises TicketUsed. Cheap abuse checks flag the new response
    (`abuse.submit_reason`); it is queued for the roll-up. `snapshots` may reuse the touchpoint
    and instrument a recent request loaded. Flushes, never commits: on any SurveyError the
    caller rolls back, and nothing is stored.
    """
    if submission_key is not None and not _SUBMISSION_KEY.match(submission_key):
        raise InvalidSubmission({"submission_key": "unknown"})
    context = None if ticket is None else open_ticket(session, ticket, public_code)
    touchpoint = snapshots.touchpoint(session, public_code)
    instrument = snapshots.instrument(session)
    values, errors = clean_form(instrument.items, form)
    fixed = _fix_choices(values, errors, touchpoint, context)
    now = now or utcnow()
    today = local_day(now, touchpoint.timezone)  # the roster is kept in the unit's calendar
    channel = "ticket" if ticket is not None else channel or CHANNEL_OF_KIND[touchpoint.kind]
    row = {
        "receipt": new_receipt(), "submission_key": submission_key,
        "instrument_id": instrument.id, "channel": channel, "touchpoint_id": touchpoint.id,
        "unit_id": touchpoint.unit_id, "counter_id": touchpoint.counter_id,
        "staff_id": values.staff_id, "service_id": values.service_id, "submitted_at": now,
        **_BLANK_ANSWERS, **values.answers, **values.optional, "device_hash": signals.device_hash,
        "ip_hash": signals.ip_hash, "duration_seconds": signals.duration_seconds,
    }
    checks = {"check_staff": values.staff_id is not None and "staff" not in fixed,
              "check_service": values.service_id is not None and "service" not in fixed}
    if errors:  # name every bad field at once, the officer and service too
        raise InvalidSubmission({**errors, **_choice_errors(session, public_code, values,
                                                            today, checks)})
    inserted = store.store_response(
        session, row, today=today,
        device_since=now - timedelta(minutes=rules.device_window_minutes),
        touchpoint_since=now - timedelta(minutes=rules.touchpoint_window_minutes), **checks)
    if inserted is None:
        return _replayed_or_refused(session, public_code, values, submission_key, today, checks)
    reason = abuse.submit_reason(
        rules, channel=channel, device_hash=signals.device_hash,
        duration_seconds=signals.duration_seconds, device_count=inserted.device_count,
        touchpoint_count=inserted.touchpoint_count)
    store.store_parts(session, inserted.id, now, texts=values.texts,
                      reply_contact=values.reply_contact,
                      nonce=None if ticket is None else ticket.nonce, reason=reason,
                      unit_id=touchpoint.unit_id, today=today)
    return Stored(inserted.id, row["receipt"], True)


def _fix_choices(values: FormValues, errors: dict[str, str], touchpoint: TouchpointSnapshot,
                 ticket: TicketContext | None) -> set[str]:
    """Puts in the officer a personal code fixes, and the officer and service a ticket fixes
    (the form's own choices for them are ignored); returns which of the two are fixed."""
    fixed = {}
    if touchpoint.staff_id is not None:
        fixed["staff"] = touchpoint.staff_id
    if ticket is not None:
        fixed.update({name: value.id for name, value in
                      (("staff", ticket.staff), ("service", ticket.service))
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
