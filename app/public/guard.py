"""Abuse resistance of the public form: rate limits, the device cookie, the honeypot.

Limits key on the device cookie, not on the IP address, so an office whose citizens all share one
IP is not blocked; a generous per-IP ceiling is only a backstop. Nothing is counted per touchpoint:
a limit shared by everyone at a counter would let anyone's junk refuse the citizens there (unusual
volume at a touchpoint is flagged instead, surveys/responses/abuse.py). Each limit is configurable
(README "Abuse resistance"); `RATELIMIT_ENABLED=false` switches them all off.
"""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _

from app.public import abuse_signals as signals
from app.extensions import SNAPSHOTS, db, limiter
from app.public import bp
from surveys.errors import SurveyError

LIMIT_DEFAULTS = {
    # One citizen answers once per visit; a few more allow a shared family phone.
    "RATELIMIT_SUBMIT_PER_DEVICE": "5 per 10 minutes;30 per day",
    # Backstop for scripts that drop cookies; a whole office behind one IP stays far below it.
    "RATELIMIT_SUBMIT_PER_IP": "300 per hour",
    # Opening ticket pages (a forged-token scan is refused cheaply anyway).
    "RATELIMIT_TICKET_PAGE_PER_IP": "120 per minute",
}


def setting(name: str) -> str:
    return current_app.config.get(name, LIMIT_DEFAULTS[name])


def _device_key() -> str:
    """The device cookie; a submit without one (a script dropping cookies) counts per IP."""
    device = signals.device_id()
    return f"device:{device}" if device else f"nocookie:{request.remote_addr}"


def _ip_key() -> str:
    return f"ip:{request.remote_addr}"


def _is_kiosk() -> bool:
    """A kiosk tablet is one device serving every citizen at its counter: no per-device limit.

    Read from the snapshot the submission itself uses (a touchpoint's kind never changes); an
    unknown or revoked code is no kiosk, and the view answers it with 404 or 410.
    """
    code = (request.view_args or {}).get("code") or ""
    try:
        return current_app.extensions[SNAPSHOTS].touchpoint(db.session, code).kind == "kiosk"
    except SurveyError:
        return False


def _too_many() -> str:
    return _("Terlalu banyak jawaban dikirim dalam waktu singkat dari perangkat atau jaringan ini. "
             "Tunggu beberapa menit, lalu coba lagi. Terima kasih atas kesabaran Anda.")


def survey_limits(view):
    """The submit limits of the survey form (POST only): per device and per IP, where only the
    sender pays."""
    view = limiter.limit(lambda: setting("RATELIMIT_SUBMIT_PER_IP"), key_func=_ip_key,
                         methods=["POST"], error_message=_too_many, scope="submit-ip")(view)
    return limiter.limit(lambda: setting("RATELIMIT_SUBMIT_PER_DEVICE"), key_func=_device_key,
                         methods=["POST"], error_message=_too_many, exempt_when=_is_kiosk,
                         scope="submit-device")(view)


def ticket_page_limit(view):
    return limiter.limit(lambda: setting("RATELIMIT_TICKET_PAGE_PER_IP"), key_func=_ip_key,
                         error_message=_too_many, scope="ticket-page")(view)


@bp.after_request
def _device_cookie(response):
    """Every public page gives a new visitor its random device cookie."""
    return signals.ensure_device_cookie(response)


@bp.app_template_global()
def survey_opened_at() -> str:
    """The signed render time put into the form (see public/_honeypot.html)."""
    return signals.signed_opened_at()


def trap_page():
    """What a filled honeypot gets: the usual thank-you look, no receipt, nothing stored."""
    return render_template("public/ticket_thanks.html"), 200
