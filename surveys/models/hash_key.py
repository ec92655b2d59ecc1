"""The random key of one UTC day's IP and device hashes (surveys/responses/hash_keys.py)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from surveys.db import db


class HashKey(db.Model):
    """Made on the day's first submission and deleted once the day is over: after that nobody,
    not even someone holding SECRET_KEY and the database, can recompute that day's hashes."""

    __tablename__ = "hash_key"

    day: Mapped[date] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))  # 32 random bytes, hex
