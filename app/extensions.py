"""Extension instances, bound to the app in `create_app`."""
import os

from flask import Flask, current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from surveys.db import db

LANGUAGE_COOKIE = "lang"
SNAPSHOTS = "suarawarga.snapshots"  # app.extensions key of the SnapshotCache


def select_locale() -> str:
    """Bahasa Indonesia unless the visitor chose English (`?lang=en`, remembered in a cookie)."""
    chosen = request.args.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    return "en" if chosen == "en" else "id"


class SurveyLimiter(Limiter):
    """Flask-Limiter whose on/off switch is read per request from the app's `RATELIMIT_ENABLED`.

    Flask-Limiter keeps that switch on the one shared extension object, so with several apps in
    a process (the tests) the last app initialised would decide for all of them.
    """

    def init_app(self, app: Flask) -> None:
        app.config.setdefault("RATELIMIT_ENABLED",
                              os.environ.get("RATELIMIT_ENABLED", "1").lower()
                              not in ("0", "false", "no", "off"))
        app.config.setdefault("RATELIMIT_STORAGE_URI",
                              os.environ.get("RATELIMIT_STORAGE_URI", "memory://"))
        app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
        wanted = app.config["RATELIMIT_ENABLED"]
        app.config["RATELIMIT_ENABLED"] = True  # the extension stays on; the filter below decides
        self.enabled = True
        try:
            super().init_app(app)
        finally:
            app.config["RATELIMIT_ENABLED"] = wanted


babel = Babel()
csrf = CSRFProtect()
migrate = Migrate(compare_type=True, render_as_batch=True)
limiter = SurveyLimiter(key_func=get_remote_address)
login_manager = LoginManager()  # sessions of signed-in staff: app/auth/access.py


@limiter.request_filter
def _limits_switched_off() -> bool:
    return not current_app.config.get("RATELIMIT_ENABLED", True)


__all__ = ["babel", "csrf", "db", "limiter", "login_manager", "migrate", "select_locale"]
