"""Per-unit API keys for queue machines and integrators; only a hash of the key is stored."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import UTCDateTime, db, utcnow
from surveys.models.organization import Unit


def hash_api_key(key: str) -> str:
    """SHA-256 of a key: keys are long random strings, so a fast hash is enough."""
    return hashlib.sha256(key.encode()).hexdigest()


class UnitApiKey(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    unit: Mapped[Unit] = relationship()

    @classmethod
    def issue(cls, unit: Unit, name: str) -> tuple[UnitApiKey, str]:
        """A new key for `unit`: (row, the plain key, shown once and never stored)."""
        plain = "swk_" + secrets.token_urlsafe(32)
        return cls(unit=unit, name=name, key_hash=hash_api_key(plain)), plain
