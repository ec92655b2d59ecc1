"""Synthetic responses for the benchmarks, loaded into PostgreSQL by COPY in CSV chunks.

A `Directory` names the units with their services, counters and officers (the synthetic
province of `rollup_bench.py`, or the demo's units for `portal_bench.py`). `copy_responses`
draws responses over 2026 with unit, officer and item effects and blanks in U4/U9, generates
them with numpy a chunk at a time (so 10 million never sit in memory at once) and writes each
chunk as one CSV block through COPY: no Python work per row.
"""
from __future__ import annotations

import io
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import psycopg

CHANNELS = ("counter_qr", "staff_qr", "ticket", "kiosk", "paper")
CHANNEL_SHARES = (0.5, 0.15, 0.1, 0.15, 0.1)
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
COLUMNS = ("receipt", "instrument_id", "channel", "unit_id", "service_id", "counter_id",
           "staff_id", "submitted_at", *(f"u{j}" for j in range(1, 10)), "officer_rating")
CHUNK = 500_000


@dataclass(frozen=True)
class Directory:
    """Ids of a directory: per unit (same order), its services, counters and officers."""

    instrument: int
    units: list[int]
    services: list[list[int]]
    counters: list[list[int]]
    staff: list[list[int]]


def _pick(rng, unit: np.ndarray, lists: list[list[int]], draw: np.ndarray | None = None):
    """For each response's unit, one id of that unit's list (uniformly, or the `draw`-th modulo
    the list's length); -1 when the unit has none."""
    sizes = np.array([len(ids) for ids in lists])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    flat = np.array([i for ids in lists for i in ids] or [-1])
    size = sizes[unit]
    index = rng.integers(0, np.maximum(size, 1)) if draw is None else draw % np.maximum(size, 1)
    return np.where(size > 0, flat[np.minimum(offsets[unit] + index, len(flat) - 1)], -1)


class Generator:
    """Responses of one directory, chunk by chunk; the unit and officer effects are drawn once."""

    def __init__(self, directory: Directory, seed: int = 2026):
        self.directory, self.seed = directory, seed
        rng = np.random.default_rng(seed)
        self.unit_effect = rng.normal(0, 0.3, len(directory.units))
        self.officer_effect = [rng.normal(0, 0.25, len(ids)) for ids in directory.staff]

    def chunk(self, first: int, count: int) -> pd.DataFrame:
        """Responses number first … first + count − 1 as the COPY's columns (None: NULL)."""
        d = self.directory
        rng = np.random.default_rng([self.seed, first])
        unit = rng.integers(0, len(d.units), count)
        staff_sizes = np.array([len(ids) for ids in d.staff])
        officer = rng.integers(0, np.maximum(staff_sizes[unit], 1))  # drawn even when unnamed
        named = (rng.random(count) < 0.6) & (staff_sizes[unit] > 0)
        staff = np.where(named, _pick(rng, unit, d.staff, officer), -1)
        effects = np.concatenate([*self.officer_effect, np.zeros(1)])  # laid out as `offsets`
        offsets = np.concatenate([[0], np.cumsum(staff_sizes)[:-1]])
        officer_effect = np.where(staff_sizes[unit] > 0, effects[offsets[unit] + officer], 0.0)
        latent = 0.6 + self.unit_effect[unit] + rng.normal(0, 0.5, count)
        answers = {}
        for j in range(10):
            loading = 1.0 if j in (5, 6, 9) else 0.25
            x = latent + loading * officer_effect + rng.normal(0, 0.6, count)
            answers[j] = 1 + (x >= -1.5).astype(int) + (x >= -0.5).astype(int) + (x >= 0.9).astype(int)
        blank = {3: rng.random(count) < 0.15, 8: rng.random(count) < 0.10,  # U4, U9 n/a
                 9: ~named | (rng.random(count) < 0.2)}  # officer rating
        seconds = rng.integers(0, 365 * 86400, count)

        def nullable(values, missing):
            return pd.Series(values, dtype="Int64").mask(missing)

        frame = pd.DataFrame({
            "receipt": [f"B{i:011d}" for i in range(first, first + count)],
            "instrument_id": d.instrument,
            "channel": np.asarray(CHANNELS)[rng.choice(len(CHANNELS), count, p=CHANNEL_SHARES)],
            "unit_id": np.asarray(d.units)[unit],
        })
        service = _pick(rng, unit, d.services)
        counter = _pick(rng, unit, d.counters, officer)
        frame["service_id"] = nullable(service, service < 0)
        frame["counter_id"] = nullable(counter, counter < 0)
        frame["staff_id"] = nullable(staff, staff < 0)
        frame["submitted_at"] = pd.to_datetime(YEAR_START.timestamp() + seconds, unit="s")
        for j in range(10):
            name = "officer_rating" if j == 9 else f"u{j + 1}"
            frame[name] = nullable(answers[j], blank.get(j, np.zeros(count, dtype=bool)))
        return frame


def copy_responses(url: str, directory: Directory, n: int, first: int = 0,
                   seed: int = 2026) -> float:
    """COPY n responses (receipts B<first>…) into `response`; returns the seconds it took."""
    generator = Generator(directory, seed)
    began = time.perf_counter()
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        statement = f"COPY response ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)"
        for start in range(first, first + n, CHUNK):
            frame = generator.chunk(start, min(CHUNK, first + n - start))
            text = io.StringIO()
            frame.to_csv(text, header=False, index=False, date_format="%Y-%m-%d %H:%M:%S")
            with cursor.copy(statement) as copy:
                copy.write(text.getvalue())
            connection.commit()
    return time.perf_counter() - began


def directory_from(connection) -> Directory:
    """The directory already in a database (e.g. the demo's): every unit, its services,
    counters and officers, in id order."""
    units = [row[0] for row in connection.execute("SELECT id FROM unit ORDER BY id")]

    def per_unit(table: str) -> list[list[int]]:
        rows = connection.execute(f"SELECT unit_id, id FROM {table} ORDER BY id").fetchall()
        return [[i for u, i in rows if u == unit] for unit in units]

    instrument = connection.execute("SELECT min(id) FROM instrument").fetchone()[0]
    return Directory(instrument, units, per_unit("service"), per_unit("counter"), per_unit("staff"))
