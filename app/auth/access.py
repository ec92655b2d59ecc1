"""Who is signed in (Flask-Login), the roles a page requires, and the limits of signing in."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

import flask_login
from flask import abort, current_app, redirect, request, url_for
from flask_babel import gettext as _

from app.extensions import db, limiter, login_manager
from surveys.models import User
from surveys.organization import grants
from surveys.organization.accounts import user_by_session_id

LIMIT_DEFAULTS = {
    # Failed sign-ins per account (the submitted username), from any address: the 11th wrong
    # password within a minute is refused, even a right one then.
    "RATELIMIT_SIGNIN_PER_ACCOUNT": "10 per minute;60 per hour",
    # Failed sign-ins per address, across accounts: a password spray from one address stops.
    "RATELIMIT_SIGNIN_PER_ADDRESS": "30 per minute;300 per day",
}


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """The session's user while its session version is current (sign-out ends every session)."""
    return user_by_session_id(db.session, session_id)


def current_user() -> User | None:
    """The signed-in user of this request, or None."""
    if not flask_login.current_user.is_authenticated:
        return None
    return db.session.get(User, flask_login.current_user.id)  # the loaded object, no query


def sign_in_url() -> str:
    return url_for("auth.login", next=request.full_path.rstrip("?"))


def signed_in(view):
    """The sign-in page for visitors, the view for anyone signed in."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if current_user() is None:
            return redirect(sign_in_url())
        return view(*args, **kwargs)

    return guarded


def role_required(*roles: str):
    """Sign-in page for visitors, 403 for users without one of `roles`."""

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            user = current_user()
            if user is None:
                return redirect(sign_in_url())
            if not user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: no scheme or host, no `//host` or
    backslash (browsers read `/\\host` as `//host`), no control characters (browsers drop tabs
    and newlines, so `/\\t/host` would become `//host`)."""
    if not target or len(target) > 2000 or not target.startswith("/"):
        return None
    if target.startswith("//") or "\\" in target:
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def home_of(user: User) -> str:
    """Where a person lands after signing in: admin → the organization, a unit manager → their
    unit's dashboard, then an evaluator → their officers, staff → their own page, an atasan →
    the keberatan addressed to them; with several grants the first of these wins. Anyone else →
    their account page."""
    if grants.is_admin(user):
        return url_for("admin.index")
    unit = grants.home_unit(db.session, user)
    if unit is not None:
        return url_for("admin.unit", code=unit.code)
    if grants.evaluated_staff_ids(user):
        return url_for("evaluations.index")
    if grants.own_staff_id(user) is not None:
        return url_for("evaluations.own")
    if any(grant.role == "atasan" for grant in user.grants):
        return url_for("evaluations.keberatan_list")
    return url_for("auth.account")


def _setting(name: str) -> str:
    return current_app.config.get(name, LIMIT_DEFAULTS[name])


def _account_key() -> str:
    username = request.form.get("username", "")
    return "account:" + username.strip().casefold()[:80]


def _address_key() -> str:
    return f"address:{request.remote_addr}"


def _failed(response) -> bool:
    """Only refused credentials count (401): a right password does not use up the limit."""
    return response.status_code == 401


def _too_many_attempts() -> str:
    return _("Terlalu banyak percobaan masuk yang gagal. Demi keamanan, tunggu beberapa menit, "
             "lalu coba lagi.")


def signin_limits(view):
    """The sign-in form's limits (POST only), per account and per address, counting failures."""
    view = limiter.limit(lambda: _setting("RATELIMIT_SIGNIN_PER_ADDRESS"), key_func=_address_key,
                         methods=["POST"], deduct_when=_failed,
                         error_message=_too_many_attempts, scope="signin-address")(view)
    return limiter.limit(lambda: _setting("RATELIMIT_SIGNIN_PER_ACCOUNT"), key_func=_account_key,
                         methods=["POST"], deduct_when=_failed,
                         error_message=_too_many_attempts, scope="signin-account")(view)
