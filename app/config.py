"""Configuration from the environment, with safe defaults for a fresh machine."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

# The names of this machine that `make run` and the tests reach the app by.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def database_url(instance_path: str) -> str:
    """`DATABASE_URL`, or an SQLite file under `instance/`."""
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the driver `postgres`; SQLAlchemy wants psycopg 3 named.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgres://")
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    return f"sqlite:///{Path(instance_path) / 'suarawarga.db'}"


def secret_key(instance_path: str) -> str:
    """`SECRET_KEY`, or a random key generated once and kept in `instance/secret_key`."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def flag(name: str, default: bool = False) -> bool:
    """An on/off environment setting: unset or empty is `default`; 0/false/no/off is off."""
    value = (os.environ.get(name) or "").strip().lower()
    return default if not value else value not in ("0", "false", "no", "off")


def trusted_hosts(public_base_url: str | None) -> list[str]:
    """The Host names this site answers to: `TRUSTED_HOSTS` (comma-separated), else the host of
    `PUBLIC_BASE_URL`, else only the loopback names. Any other Host gets 400, so no link is ever
    built from a Host header a client chose."""
    listed = [host.strip() for host in os.environ.get("TRUSTED_HOSTS", "").split(",")]
    if any(listed):
        return [host for host in listed if host]
    host = urlsplit(public_base_url or "").hostname
    return [host] if host else list(LOOPBACK_HOSTS)


def defaults(instance_path: str) -> dict:
    public_base_url = os.environ.get("PUBLIC_BASE_URL")
    scheme = os.environ.get("PREFERRED_URL_SCHEME") or (
        "https" if (public_base_url or "").startswith("https://") else "http")
    return {
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Makassar",
        "LANGUAGES": ("id", "en"),
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Cookies only over HTTPS when the site is served so (PUBLIC_BASE_URL https://...).
        "PREFERRED_URL_SCHEME": scheme,
        "SESSION_COOKIE_SECURE": flag("SESSION_COOKIE_SECURE", default=scheme == "https"),
        # Redirect plain http to https (off: `make run` serves http on 127.0.0.1).
        "FORCE_HTTPS": flag("FORCE_HTTPS"),
        "TRUSTED_HOSTS": trusted_hosts(public_base_url),
        # A signed-in session ends after this long without a request (and at sign-out).
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
        "WTF_CSRF_TIME_LIMIT": 4 * 3600,
        # Absolute base of the URLs in QR codes, e.g. https://suarawarga.kupangkota.go.id
        "PUBLIC_BASE_URL": public_base_url,
        # Contacts given for a reply are deleted after this many days (UU 27/2022).
        "REPLY_CONTACT_RETENTION_DAYS": 365,
        # Reverse proxies (nginx, a load balancer) in front of the app whose X-Forwarded-For,
        # -Proto and -Host headers are believed. 0: none, and the headers are ignored (a client
        # could forge them to dodge the per-IP limit).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
    }
