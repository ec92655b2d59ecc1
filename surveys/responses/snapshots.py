"""Plain, immutable copies of what every submission reads (a touchpoint, the instrument), kept
per process for a short while so a submission does not load them from the database each time.

Nothing here decides whether an answer counts: the storing INSERT re-checks in the database that
the touchpoint is still open and that the officer and service belong to it (`surveys.responses.store`), so
a revoked code stops counting at once even while its snapshot is still cached.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy.orm import Session

from surveys.organization.directory import open_touchpoint
from surveys.responses.instruments import default_instrument

# How long a snapshot is reused. Only a unit's time zone could change in that time, and it only
# decides which local day the roll-up files a response under.
SNAPSHOT_SECONDS = 300.0


@dataclass(frozen=True)
class TouchpointSnapshot:
    """What storing a response needs to know of the touchpoint it came through."""

    id: int
    public_code: str
    kind: str
    unit_id: int
    counter_id: int | None
    staff_id: int | None
    timezone: str


@dataclass(frozen=True)
class ItemSnapshot:
    id: int
    code: str
    kind: str
    required: bool


@dataclass(frozen=True)
class InstrumentSnapshot:
    id: int
    items: tuple[ItemSnapshot, ...]


def touchpoint_snapshot(session: Session, public_code: str) -> TouchpointSnapshot:
    """Loads an open touchpoint (TouchpointNotFound / TouchpointClosed otherwise)."""
    touchpoint = open_touchpoint(session, public_code)
    return TouchpointSnapshot(touchpoint.id, touchpoint.public_code, touchpoint.kind,
                              touchpoint.unit_id, touchpoint.counter_id, touchpoint.staff_id,
                              touchpoint.unit.timezone)


def instrument_snapshot(session: Session) -> InstrumentSnapshot:
    """The current SKM instrument (InstrumentMissing before the migrations stored it)."""
    instrument = default_instrument(session)
    return InstrumentSnapshot(instrument.id, tuple(
        ItemSnapshot(item.id, item.code, item.kind, item.required) for item in instrument.items))


class SnapshotCache:
    """Snapshots by key, each reused for `seconds`; one per app (so per process), thread-safe.

    A stale entry is harmless by design (see the module docstring); `clear` drops everything.
    """

    def __init__(self, seconds: float = SNAPSHOT_SECONDS, clock=time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self._entries: dict[object, tuple[float, object]] = {}
        self._lock = threading.Lock()

    def touchpoint(self, session: Session, public_code: str) -> TouchpointSnapshot:
        return self._get(("touchpoint", public_code), lambda: touchpoint_snapshot(session, public_code))

    def instrument(self, session: Session) -> InstrumentSnapshot:
        return self._get(("instrument",), lambda: instrument_snapshot(session))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _get(self, key: object, load):
        now = self._clock()
        entry = self._entries.get(key)
        if entry is not None and now - entry[0] < self.seconds:
            return entry[1]
        value = load()  # outside the lock: a slow load must not hold up other threads
        with self._lock:
            if len(self._entries) > 10_000:  # codes probed by a scanner must not grow it forever
                self._entries.clear()
            self._entries[key] = (now, value)
        return value


class NoCache:
    """Loads every time: for scripts and tests that call the services directly."""

    def touchpoint(self, session: Session, public_code: str) -> TouchpointSnapshot:
        return touchpoint_snapshot(session, public_code)

    def instrument(self, session: Session) -> InstrumentSnapshot:
        return instrument_snapshot(session)
