"""The survey form's CSRF token: kept in no session, bound to the visitor's device cookie and the
form's submission key.

Flask-WTF keeps its token in the Flask session, so every citizen's form set a session cookie and
every submission decoded that cookie and checked two signatures. This token is a signed double
submit (OWASP's "signed double-submit cookie"): the time it was issued and an HMAC, under the
app's secret, over that time, the device cookie (random, HttpOnly, SameSite=Lax) and the form's
one-time submission key. Another site can neither read that cookie nor make a browser send it
with a cross-site POST, so it cannot post a matching pair; a token also expires after
`WTF_CSRF_TIME_LIMIT` seconds, like the other forms' tokens. The survey view is exempt from
CSRFProtect and calls `check` first thing on every POST.
"""
from __future__ import annotations

from collections.abc import Mapping

from flask import current_app
from flask_wtf.csrf import CSRFError
from itsdangerous import BadData

from app.public import abuse_signals as signals

FIELD = "csrf_token"
SALT = "suarawarga.survey-csrf"
_MAX_LENGTH = 200  # a real token is ~40 characters; anything far longer is not one


def issue(submission_key: str) -> str:
    """The token for a form about to be rendered with `submission_key` (the hidden field's value)."""
    bound = _bound(signals.current_device_id(), submission_key)
    return signals.signer(SALT).sign(bound).decode()[len(bound) + 1:]  # "<time>.<signature>"


def check(form: Mapping[str, str]) -> None:
    """Raises CSRFError (the 400 "reload the page" answer) unless the posted token was issued
    to this device cookie for this form's submission key, within the time limit."""
    token = form.get(FIELD) or ""
    device = signals.device_id()
    if device is None or not token or len(token) > _MAX_LENGTH:
        raise CSRFError("The survey form's CSRF token or device cookie is missing.")
    bound = _bound(device, form.get("submission_key") or "")
    try:
        signals.signer(SALT).unsign(f"{bound}.{token}",
                                    max_age=current_app.config["WTF_CSRF_TIME_LIMIT"])
    except (BadData, UnicodeError) as refused:
        raise CSRFError("The survey form's CSRF token is invalid or expired.") from refused


def _bound(device: str, submission_key: str) -> str:
    # A device id never contains ".", so the pair cannot be read another way.
    return f"{device}.{submission_key}"
