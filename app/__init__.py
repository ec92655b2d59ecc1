"""The web layer: `create_app` assembles extensions, blueprints, error handlers and commands."""
from __future__ import annotations

from flask import Flask, request
from flask_babel import get_locale
from flask_talisman import DENY, Talisman
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from app import config
from app.extensions import (
    LANGUAGE_COOKIE,
    SNAPSHOTS,
    babel,
    csrf,
    db,
    limiter,
    login_manager,
    migrate,
    select_locale,
)
from app.request_body import StrictJSONProvider, refuse_oversize_stream
from surveys.responses.snapshots import SnapshotCache


INT_PARAMETER_MAX = 2**31 - 1  # PostgreSQL's `integer`, the type of every id column


class BoundedInt(IntegerConverter):
    """`<int:...>` in every route matches at most INT_PARAMETER_MAX unless a route says
    otherwise: a larger number is no such page (404) instead of a database error (500)."""

    def __init__(self, map, *args, max: int | None = None, **kwargs) -> None:
        super().__init__(map, *args, max=INT_PARAMETER_MAX if max is None else max, **kwargs)


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(config.defaults(app.instance_path))
    app.config.update(overrides or {})
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret_key(app.instance_path)
    app.json = StrictJSONProvider(app)  # reads request bodies: app/request_body.py
    app.url_map.converters["int"] = BoundedInt  # before any route is added
    app.before_request(refuse_oversize_stream)  # first: before anything reads the body
    register_proxies(app)
    register_security(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_language(app)
    return app


def register_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address from X-Forwarded-For:
    otherwise every citizen would share the proxy's address and its per-IP limit."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


# Every page's Content-Security-Policy: styles and scripts only from app/static (no inline code),
# images also as data: URIs (the ticket's QR), no plugins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def register_security(app: Flask) -> None:
    """Security headers on every answer (flask-talisman): CSP, no framing, nosniff, a referrer
    policy and HSTS over HTTPS. Plain http is redirected only when `FORCE_HTTPS` is on."""
    Talisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        frame_options=DENY,
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="strict-origin-when-cross-origin",
        # Secure follows SESSION_COOKIE_SECURE (config.py): talisman would force it over http too.
        session_cookie_secure=False,
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )


def register_extensions(app: Flask) -> None:
    import surveys.models  # noqa: F401  (every table known to Flask-Migrate)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)  # who is signed in: app/auth/access.py
    limiter.init_app(app)  # rate limits: app/public/guard.py, README "Abuse resistance"
    # Touchpoints and the instrument as submissions last read them (surveys/responses/snapshots.py).
    app.extensions[SNAPSHOTS] = SnapshotCache()


def register_blueprints(app: Flask) -> None:
    from app.admin import bp as admin_bp
    from app.api import bp as api_bp
    from app.auth import bp as auth_bp
    from app.cli import bp as cli_bp
    from app.evaluations import bp as evaluations_bp
    from app.public import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(evaluations_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # API clients authenticate with a key, not a browser session
    app.register_blueprint(cli_bp)


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register

    register(app)


def register_language(app: Flask) -> None:
    """Expose the page language to templates and remember an explicit choice (`?lang=id|en`)."""

    @app.context_processor
    def page_language():
        return {"language": str(get_locale())}

    @app.after_request
    def remember_language(response):
        chosen = request.args.get("lang")
        if chosen in app.config["LANGUAGES"]:
            response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax",
                                secure=request.is_secure or app.config["SESSION_COOKIE_SECURE"])
        return response
