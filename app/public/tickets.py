"""One-time ticket pages: `/t/<token>` opens the form of the ticket's touchpoint with its officer
and service fixed, `/t/<token>/cetak` prints the ticket's QR. A forged, expired or used ticket gets
a polite page (app/errors.py) and is not counted.

The ticket form is the touchpoint's own form page (`survey_form` with the ticket); it posts to
`/s/<code>` with the token in a hidden field (public/_honeypot.html), read back by `form_ticket`.
"""
from __future__ import annotations

import base64
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import qrcode
from flask import current_app, render_template, request

from app.extensions import db
from app.public import bp, guard
from app.public.forms import survey_page
from app.urls import public_url
from surveys.db import utcnow
from surveys.responses.submission import open_ticket, survey_form
from surveys.responses.tickets import DEFAULT_MAX_AGE_SECONDS, TicketClaims, read_ticket

TICKET_FIELD = "ticket"


def max_age() -> int:
    return int(current_app.config.get("TICKET_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS))


def claims_of(token: str) -> TicketClaims:
    """The claims of a genuine, unexpired token (TicketInvalid / TicketExpired otherwise)."""
    return read_ticket(current_app.config["SECRET_KEY"], token, max_age())


def form_ticket() -> TicketClaims | None:
    """The claims of the ticket a posted form carries, or None for a form without one."""
    token = request.form.get(TICKET_FIELD)
    return claims_of(token) if token else None


@bp.get("/t/<token>")
@guard.ticket_page_limit
def ticket(token: str):
    claims = claims_of(token)
    page = survey_form(db.session, claims.touchpoint_code, utcnow(), claims)
    return survey_page(page, {}, token)


@bp.get("/t/<token>/cetak")
@guard.ticket_page_limit
def ticket_print(token: str):
    """A printable ticket: the QR of its survey link, the unit, counter and validity."""
    claims = claims_of(token)
    ctx = open_ticket(db.session, claims)
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
