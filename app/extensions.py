"""Extension instances, bound to the app in `create_app`."""
from flask import request
from flask_babel import Babel
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from surveys.db import db

LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    """Bahasa Indonesia unless the visitor chose English (`?lang=en`, remembered in a cookie)."""
    chosen = request.args.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    return "en" if chosen == "en" else "id"


babel = Babel()
csrf = CSRFProtect()
migrate = Migrate(compare_type=True, render_as_batch=True)

__all__ = ["babel", "csrf", "db", "migrate", "select_locale"]
