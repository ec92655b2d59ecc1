"""Abuse signals from a request, never identities.

A random first-party device cookie (so a whole office behind one IP is not one "visitor"), hashed
with HMAC under a random key of the current UTC day that is deleted once the day is over
(surveys/responses/hash_keys.py), so hashes rotate daily and cannot be linked across days or
turned back into a device; the IP address hashed the same way; and how long the form was open,
from a signed time stamp rendered into it.
"""
from __future__ import annotations

import functools
import hashlib
import re
import secrets
from datetime import date

from flask import Response, current_app, g, request
from flask_wtf.csrf import CSRFError
from itsdangerous import BadData, TimestampSigner

from app.extensions import db
from surveys.db import utcnow
from surveys.responses.abuse import AbuseRules
from surveys.responses.hash_keys import DayHasher, day_key
from surveys.responses.submission import Signals

DEVICE_COOKIE = "sw_perangkat"
DEVICE_COOKIE_MAX_AGE = 365 * 24 * 3600
HONEYPOT_FIELD = "website"
OPENED_AT_FIELD = "opened_at"
OPENED_AT_SALT = "suarawarga.survey-opened-at"
DAY_HASHER = "suarawarga.day_hasher"  # app.extensions key of this process's DayHasher
_DEVICE_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")


def device_id() -> str | None:
    """The visitor's device cookie when it is one we could have set."""
    value = request.cookies.get(DEVICE_COOKIE, "")
    return value if _DEVICE_ID.match(value) else None


def current_device_id() -> str:
    """The visitor's device cookie, or the new one this response gives a visitor without one
    (a form rendered now binds its token to it: app/public/form_token.py)."""
    device = device_id()
    if device is None:
        device = g.get("new_device_id") or g.setdefault("new_device_id", secrets.token_urlsafe(16))
    return device


def ensure_device_cookie(response: Response) -> Response:
    """Give a visitor without one a random device cookie (first-party, HttpOnly, one year)."""
    if device_id() is None:
        response.set_cookie(DEVICE_COOKIE, current_device_id(), max_age=DEVICE_COOKIE_MAX_AGE,
                            httponly=True, samesite="Lax", secure=request.is_secure)
    return response


def rotating_hash(kind: str, value: str | None) -> str | None:
    """HMAC-SHA256 of `value` under today's random key (made by the day's first submission: only
    a POST calls this, since a GET never writes)."""
    if not value:
        return None
    hasher = current_app.extensions.get(DAY_HASHER) or current_app.extensions.setdefault(
        DAY_HASHER, DayHasher(_load_day_key))
    return hasher.hash(kind, value, utcnow().date())


def _load_day_key(day: date) -> bytes:
    """The day's key, in a transaction of its own: it must outlive a refused submission."""
    with db.engine.begin() as connection:
        return day_key(connection, day)


def _opened_at_signer() -> TimestampSigner:
    return signer(OPENED_AT_SALT)


def signer(salt: str) -> TimestampSigner:
    """The app's time-stamping signer for one purpose (`salt`)."""
    return _signer(current_app.config["SECRET_KEY"], salt)


@functools.lru_cache(maxsize=8)
def _signer(secret_key: str, salt: str) -> TimestampSigner:
    """One signer per secret and purpose (it is immutable): every form render and submit uses it."""
    return TimestampSigner(secret_key, salt=salt, digest_method=hashlib.sha256)


def signed_opened_at() -> str:
    """The value of the form's hidden `opened_at` field: the render time, signed."""
    return _opened_at_signer().sign("form").decode()


def form_duration(raw: str | None) -> int:
    """Seconds since the form was rendered. Every form we render carries the stamp, so a missing,
    forged or stale one is a form we did not render: CSRFError, the 400 "reload the page" answer
    of the form token (stored unflagged, it would skip the "too fast" check)."""
    if not raw or len(raw) > 100:
        raise CSRFError("The survey form's opened_at stamp is missing.")
    try:
        _, opened = _opened_at_signer().unsign(
            raw, max_age=current_app.config.get("WTF_CSRF_TIME_LIMIT") or 4 * 3600,
            return_timestamp=True)
    except (BadData, UnicodeError) as refused:
        raise CSRFError("The survey form's opened_at stamp is invalid or expired.") from refused
    return max(0, int((utcnow() - opened).total_seconds()))


def honeypot_filled(form) -> bool:
    """Whether the field that people never see (and bots fill) has anything in it."""
    return bool((form.get(HONEYPOT_FIELD) or "").strip())


def collect_signals(form=None) -> Signals:
    """The abuse signals of the current request (a POST of a form we rendered: CSRFError else)."""
    form = request.form if form is None else form
    duration = form_duration(form.get(OPENED_AT_FIELD))  # first: a refused form costs nothing more
    return Signals(
        device_hash=rotating_hash("device", device_id()),
        ip_hash=rotating_hash("ip", request.remote_addr),
        duration_seconds=duration,
    )


def abuse_rules() -> AbuseRules:
    """The cheap checks' thresholds; `ABUSE_MIN_SECONDS` and `ABUSE_DEVICE_MAX` override them."""
    config = current_app.config
    defaults = AbuseRules()
    return AbuseRules(
        min_seconds=int(config.get("ABUSE_MIN_SECONDS", defaults.min_seconds)),
        device_max=int(config.get("ABUSE_DEVICE_MAX", defaults.device_max)),
    )
