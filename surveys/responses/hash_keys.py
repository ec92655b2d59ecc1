"""The keys of the daily IP and device hashes: random per UTC day, kept only for that day.

A key derived from the permanent secret would let anyone holding it recompute every past day's
hashes (the whole IPv4 space in a few CPU-hours a day) and so turn them back into addresses. A
random key, shared by the workers through the `hash_key` table and deleted once its day is over,
leaves nothing to recompute them with. Only today's key is ever needed: the burst and device
checks compare stored hashes (surveys/responses/abuse.py), they never recompute one, so a key
of an earlier day has no use. (As before, one device's hashes differ on either side of midnight.)
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from surveys.db import upsert_insert
from surveys.models import HashKey


def day_key(connection: Connection, day: date) -> bytes:
    """The key of `day`, made on its first use, and every earlier day's key deleted. Race-free
    between workers: each offers a new key (INSERT ... ON CONFLICT DO NOTHING) and all then read
    the one that won. Run it in a transaction of its own: a key outlives the request that made
    it."""
    offer = upsert_insert(connection.dialect.name)(HashKey).values(
        day=day, key=secrets.token_hex(32))
    connection.execute(offer.on_conflict_do_nothing(index_elements=[HashKey.day]))
    key = connection.scalar(select(HashKey.key).where(HashKey.day == day))
    connection.execute(delete(HashKey).where(HashKey.day < day))
    return bytes.fromhex(key)


def purge_hash_keys(session: Session, today: date) -> int:
    """Deletes the keys of the days before `today`; returns how many. Flushes, never commits."""
    return session.execute(delete(HashKey).where(HashKey.day < today)).rowcount


class DayHasher:
    """HMAC-SHA256 hashes under the current day's key, which it loads once per process and day
    (`load`: a day -> its key, e.g. `day_key` in a transaction of its own). It holds only the
    newest day's key: a request still dated before it (a moment after midnight) hashes with the
    newer key rather than bring a deleted one back."""

    def __init__(self, load: Callable[[date], bytes]):
        self._load = load
        self._lock = threading.Lock()
        self._current: tuple[date, dict[str, hmac.HMAC]] | None = None

    def hash(self, kind: str, value: str, day: date) -> str:
        """The hash of `value` for `kind` ("ip", "device"): each kind keyed apart."""
        mac = self._macs(day)[kind].copy()
        mac.update(value.encode())
        return mac.hexdigest()

    def _macs(self, day: date) -> dict[str, hmac.HMAC]:
        current = self._current
        if current is None or day > current[0]:
            with self._lock:
                current = self._current
                if current is None or day > current[0]:
                    key = self._load(day)
                    current = (day, _KindMacs(key))
                    self._current = current  # the older key's objects are dropped with it
        return current[1]


class _KindMacs(dict):
    """The day's keyed HMAC per kind, before any message: each hash copies one."""

    def __init__(self, key: bytes):
        super().__init__()
        self._key = key

    def __missing__(self, kind: str) -> hmac.HMAC:
        return self.setdefault(kind, hmac.new(self._key, f"{kind}|".encode(), hashlib.sha256))
