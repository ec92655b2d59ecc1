"""Configuration from the environment, with safe defaults for a fresh machine."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path


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
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def defaults(instance_path: str) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Makassar",
        "LANGUAGES": ("id", "en"),
        # Public figures over fewer respondents than this are not shown.
        "PUBLIC_MIN_RESPONDENTS": 10,
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # A signed-in session ends after this long without a request (and at sign-out).
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
        "WTF_CSRF_TIME_LIMIT": 4 * 3600,
        # Absolute base of the URLs in QR codes, e.g. https://suarawarga.kupangkota.go.id
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL"),
        # Contacts given for a reply are deleted after this many days (UU 27/2022).
        "REPLY_CONTACT_RETENTION_DAYS": 365,
        # Reverse proxies (nginx, a load balancer) in front of the app whose X-Forwarded-For,
        # -Proto and -Host headers are believed. 0: none, and the headers are ignored (a client
        # could forge them to dodge the per-IP limit).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
    }
