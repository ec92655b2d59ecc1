"""Who is signed in, and the roles a page requires."""
from __future__ import annotations

from functools import wraps

from flask import abort, g, redirect, request, session, url_for

from app.extensions import db
from surveys.organization.accounts import user_by_id
from surveys.models import User


def current_user() -> User | None:
    """The signed-in user of this request, or None (cached on `g`)."""
    if "user" not in g:
        user_id = session.get("user_id")
        g.user = user_by_id(db.session, user_id) if isinstance(user_id, int) else None
    return g.user


def role_required(*roles: str):
    """Sign-in page for visitors, 403 for users without one of `roles`."""

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            user = current_user()
            if user is None:
                return redirect(url_for("auth.login", next=request.path))
            if user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate
