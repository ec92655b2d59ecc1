"""One-time ticket pages: `/t/<token>` opens the form of the ticket's touchpoint with its officer
and service fixed, `/t/<token>/cetak` prints the ticket's QR. A forged, expired or used ticket gets
a polite page and is not counted.

The ticket form is the touchpoint's own form (public/survey.html, rendered by the survey view) with
the page swapped for one whose officer and service are the ticket's; it posts to `/s/<code>` with
the token in a hidden field (public/_honeypot.html), and the survey view hands it to `submit`.
"""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass, replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import qrcode
from flask import (
    abort,
    before_render_template,
    current_app,
    g,
    has_request_context,
    make_response,
    render_template,
)

from app.public import abuse_signals as signals
from app.extensions import SNAPSHOTS, db
from app.public import bp, guard
from app.urls import public_url
from surveys.driver_sql import Driver
from surveys.errors import TouchpointClosed, TouchpointNotFound
from surveys.responses.tickets import (
    DEFAULT_MAX_AGE_SECONDS,
    TicketClaims,
    TicketContext,
    TicketExpired,
    TicketInvalid,
    TicketUsed,
    read_ticket,
    submit_ticket_response,
    ticket_context,
    ticket_used,
)

TICKET_FIELD = "ticket"


def max_age() -> int:
    return int(current_app.config.get("TICKET_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS))


def refuse(reason: str):
    """Abort with the polite page for a ticket that cannot be used (nothing is counted)."""
    db.session.rollback()
    status = {"invalid": 400, "expired": 410, "used": 410, "closed": 410}[reason]
    page = render_template("public/ticket_refused.html", reason=reason)
    abort(make_response(page, status))


def claims_of(token: str) -> TicketClaims:
    try:
        return read_ticket(current_app.config["SECRET_KEY"], token, max_age())
    except TicketExpired:
        refuse("expired")
    except TicketInvalid:
        refuse("invalid")


def context_of(claims: TicketClaims) -> TicketContext:
    try:
        return ticket_context(db.session, claims)
    except TouchpointNotFound:
        refuse("invalid")
    except TouchpointClosed:
        refuse("closed")


@dataclass(frozen=True)
class _Fixed:
    """A read-only view of an object with some attributes replaced."""

    target: object
    overrides: dict

    def __getattr__(self, name: str):
        if name in self.overrides:
            return self.overrides[name]
        return getattr(self.target, name)


@before_render_template.connect
def _show_ticket(sender, template, context, **extra) -> None:
    """On a ticket's form, show its officer and service as fixed and carry the token along."""
    ticket = g.get("ticket") if has_request_context() else None
    if ticket is None or template.name != "public/survey.html":
        return
    token, ctx = ticket
    page = context["page"]
    touchpoint = page.touchpoint
    overrides = {}
    if ctx.staff is not None:
        overrides.update(staff=ctx.staff, staff_id=ctx.staff.id)
    values = dict(context.get("values") or {})
    if ctx.service is not None:
        overrides["unit"] = _Fixed(touchpoint.unit, {"services": [ctx.service]})
        values["service"] = str(ctx.service.id)
    context["page"] = replace(page, touchpoint=_Fixed(touchpoint, overrides))
    context["values"] = values
    context["ticket_token"] = token


@bp.get("/t/<token>")
@guard.ticket_page_limit
def ticket(token: str):
    claims = claims_of(token)
    ctx = context_of(claims)
    if ticket_used(db.session, claims.nonce):
        refuse("used")
    g.ticket = (token, ctx)
    return current_app.view_functions["public.survey"](code=claims.touchpoint_code)


@bp.get("/t/<token>/cetak")
@guard.ticket_page_limit
def ticket_print(token: str):
    """A printable ticket: the QR of its survey link, the unit, counter and validity."""
    claims = claims_of(token)
    ctx = context_of(claims)
    url = public_url("public.ticket", token=token)
    image = qrcode.make(url, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return render_template(
        "public/ticket_print.html", ctx=ctx, url=url,
        qr_data=base64.b64encode(buffer.getvalue()).decode(),
        expires_at=(claims.issued_at + timedelta(seconds=max_age()))
        .astimezone(ZoneInfo(ctx.touchpoint.unit.timezone)).strftime("%d-%m-%Y %H:%M"),
    )


def submit(code: str, form, submission_key: str | None, driver: Driver):
    """The survey view's submit: a ticket's form goes through the ticket, any other as usual.

    The response is written through `driver`; the session only reads."""
    from surveys.responses.submission import submit_response

    token = form.get(TICKET_FIELD)
    if not token:
        return submit_response(db.session, code, form, submission_key=submission_key,
                               signals=signals.collect_signals(form), rules=signals.abuse_rules(),
                               snapshots=current_app.extensions[SNAPSHOTS], driver=driver)
    claims = claims_of(token)
    if claims.touchpoint_code != code:
        refuse("invalid")
    ctx = context_of(claims)
    g.ticket = (token, ctx)  # a refused answer re-renders the ticket's own form
    try:
        return submit_ticket_response(
            db.session, claims, form, submission_key=submission_key,
            signals=signals.collect_signals(form), rules=signals.abuse_rules(), driver=driver)
    except TicketUsed:
        refuse("used")

