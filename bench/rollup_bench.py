"""Benchmark: every unit's and every officer's quarterly results from the daily roll-up, beside a
plain pandas computation over the raw rows, at 100k and 1M synthetic responses on PostgreSQL.

    .venv/bin/python bench/rollup_bench.py [--sizes 100000 1000000] [--out bench/results/...md]

Creates the database suarawarga_bench_rollup (role suarawarga, which may create databases),
loads responses generated with numpy through COPY, builds the roll-up with one INSERT … SELECT …
GROUP BY (`surveys.reporting.rollup.rebuild`), then times each computation in a fresh subprocess so its
peak memory (ru_maxrss, and tracemalloc's peak of Python allocations) is its own. Drops the
database at the end. Manual only: never part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE = "suarawarga_bench_rollup"
SERVER = os.environ.get("BENCH_SERVER", "postgresql://suarawarga:suarawarga@127.0.0.1")
URL = f"{SERVER}/{DATABASE}"
SQLALCHEMY_URL = URL.replace("postgresql://", "postgresql+psycopg://", 1)
QUARTER = ("2026-Q3", date(2026, 7, 1), date(2026, 10, 1))
# The synthetic province: 60 units (every fourth a sub-unit of the one before), 6 services,
# 3 counters and 10 officers each (600 officers), three time zones, one year of responses.
UNITS, SERVICES, COUNTERS, OFFICERS = 60, 6, 3, 10
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
CHANNELS = ("counter_qr", "staff_qr", "ticket", "kiosk", "paper")


def _admin(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def _app():
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": SQLALCHEMY_URL, "SECRET_KEY": "bench"})


def setup_directory() -> dict:
    """Schema, instrument, units, services, counters and officers; returns their ids."""
    from surveys.db import db
    from surveys.responses.instruments import ensure_default_instrument
    from surveys.models import Counter, Organization, Service, Staff, Unit

    app = _app()
    with app.app_context():
        db.create_all()
        session = db.session
        instrument = ensure_default_instrument(session)
        org = Organization(code="bench", name="Provinsi Uji")
        units = []
        for u in range(UNITS):
            parent = units[u - 1] if u % 4 == 3 else None
            units.append(Unit(organization=org, code=f"u{u:03d}", name=f"Unit {u}",
                              timezone=ZONES[u % 3], parent=parent))
        services = [Service(unit=unit, code=f"s{s}", name=f"Layanan {s}")
                    for unit in units for s in range(SERVICES)]
        counters = [Counter(unit=unit, code=f"c{c}", name=f"Loket {c}")
                    for unit in units for c in range(COUNTERS)]
        staff = [Staff(nip=f"199001012015{1 + i // 1000:02d}1{i % 1000:03d}",
                       name=f"Petugas {i}", position="Staf", unit=units[i // OFFICERS])
                 for i in range(UNITS * OFFICERS)]
        session.add_all([org, *units, *services, *counters, *staff])
        session.commit()
        ids = {"instrument": instrument.id, "units": [u.id for u in units],
               "services": [s.id for s in services], "counters": [c.id for c in counters],
               "staff": [s.id for s in staff]}
        db.engine.dispose()
    return ids


def generate(ids: dict, n: int, seed: int = 2026) -> list[np.ndarray]:
    """n responses over 2026 with unit, officer and item effects, blanks in U4/U9."""
    rng = np.random.default_rng(seed)
    unit = rng.integers(0, UNITS, n)
    officer = unit * OFFICERS + rng.integers(0, OFFICERS, n)
    named = rng.random(n) < 0.6
    service = unit * SERVICES + rng.integers(0, SERVICES, n)
    counter = unit * COUNTERS + (officer % COUNTERS)
    channel = rng.choice(len(CHANNELS), n, p=[0.5, 0.15, 0.1, 0.15, 0.1])
    start = datetime(2026, 1, 1, tzinfo=UTC).timestamp()
    seconds = rng.integers(0, 365 * 86400, n)
    unit_effect = rng.normal(0, 0.3, UNITS)[unit]
    officer_effect = rng.normal(0, 0.25, UNITS * OFFICERS)[officer]
    latent = 0.6 + unit_effect + rng.normal(0, 0.5, n)
    answers = []
    for j in range(10):
        loading = 1.0 if j in (5, 6, 9) else 0.25
        x = latent + loading * officer_effect + rng.normal(0, 0.6, n)
        y = 1 + (x >= -1.5).astype(int) + (x >= -0.5).astype(int) + (x >= 0.9).astype(int)
        answers.append(y.astype(np.float64))
    answers[3][rng.random(n) < 0.15] = np.nan  # U4 not applicable
    answers[8][rng.random(n) < 0.10] = np.nan  # U9 not applicable
    answers[9][~named | (rng.random(n) < 0.2)] = np.nan  # officer rating
    as_ids = {key: np.asarray(value) for key, value in ids.items() if key != "instrument"}
    return [as_ids["units"][unit], as_ids["services"][service], as_ids["counters"][counter],
            np.where(named, as_ids["staff"][officer], -1), channel, start + seconds, *answers]


def load(ids: dict, n: int) -> dict:
    """COPY n responses (and 1% suspicious flags) into PostgreSQL, then rebuild the roll-up."""
    columns = generate(ids, n)
    names = ["receipt", "instrument_id", "channel", "unit_id", "service_id", "counter_id",
             "staff_id", "submitted_at", *(f"u{j}" for j in range(1, 10)), "officer_rating"]
    timings = {}
    began = time.perf_counter()
    with psycopg.connect(URL) as connection:
        connection.execute("TRUNCATE response_flag, response, daily_rollup RESTART IDENTITY CASCADE")
        with connection.cursor() as cursor:
            with cursor.copy(f"COPY response ({', '.join(names)}) FROM STDIN") as copy:
                unit, service, counter, staff, channel, moment, *answers = columns
                for i in range(n):
                    copy.write_row((
                        f"B{i:011d}", ids["instrument"], CHANNELS[channel[i]], int(unit[i]),
                        int(service[i]), int(counter[i]), None if staff[i] < 0 else int(staff[i]),
                        datetime.fromtimestamp(float(moment[i]), UTC).replace(tzinfo=None),
                        *(None if np.isnan(a[i]) else int(a[i]) for a in answers)))
            cursor.execute("INSERT INTO response_flag (response_id, kind, reason, created_at) "
                           "SELECT id, 'suspicious', 'bench', now() FROM response "
                           "WHERE id % 100 = 0")
        connection.commit()
    timings["copy_s"] = time.perf_counter() - began

    from surveys.reporting import rollup
    from surveys.db import db

    app = _app()
    with app.app_context():
        began = time.perf_counter()
        cells = rollup.rebuild(db.session)
        db.session.commit()
        timings["rollup_build_s"] = time.perf_counter() - began
        timings["rollup_cells"] = cells
        db.engine.dispose()
    with psycopg.connect(URL, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE response")
        connection.execute("VACUUM ANALYZE daily_rollup")
        timings["quarter_cells"] = connection.execute(
            "SELECT count(*) FROM daily_rollup WHERE day >= %s AND day < %s",
            (QUARTER[1], QUARTER[2])).fetchone()[0]
    return timings


# --- the two computations, each run in its own process --------------------------------------


def compute_rollup(start_measuring) -> dict:
    """Every unit tree's IKM and every officer's shrunk score for the quarter, from the roll-up."""
    from analysis.officers import officer_scores
    from surveys.db import db
    from surveys.reporting.aggregate import Scope, officer_frame
    from surveys.reporting.service import unit_tree_indices

    app = _app()
    with app.app_context():
        db.session.execute(db.text("SELECT 1"))  # connect before the clock starts
        start_measuring()
        began = time.perf_counter()
        units = unit_tree_indices(db.session, QUARTER[1], QUARTER[2])
        officers = officer_scores(officer_frame(db.session, Scope(QUARTER[1], QUARTER[2])))
        elapsed = time.perf_counter() - began
    return {"seconds": elapsed, "units": len(units), "officers": len(officers.frame),
            "check": {str(k): v.ikm_exact for k, v in sorted(units.items())[:3]},
            "tau2": officers.tau2}


def compute_pandas(start_measuring) -> dict:
    """The same results the plain way: read the quarter's raw rows into pandas, then compute."""
    import pandas as pd

    from analysis import compute_ikm
    from analysis.officers import officer_scores
    from surveys.periods import Period

    connection = psycopg.connect(URL)  # connect before the clock starts
    start_measuring()
    began = time.perf_counter()
    with connection:
        zones = dict(connection.execute("SELECT id, timezone FROM unit").fetchall())
        parents = dict(connection.execute("SELECT id, parent_id FROM unit").fetchall())
        officer_units = dict(connection.execute("SELECT id, unit_id FROM staff").fetchall())
        frames = []
        # The quarter in each zone: widest UTC bounds, then each unit's own local bounds.
        period = Period.parse(QUARTER[0])
        low = min(period.utc_bounds(z)[0] for z in set(zones.values())).replace(tzinfo=None)
        high = max(period.utc_bounds(z)[1] for z in set(zones.values())).replace(tzinfo=None)
        cursor = connection.execute(
            "SELECT r.unit_id, r.staff_id, r.submitted_at, "
            + ", ".join(f"r.u{j}" for j in range(1, 10)) + ", r.officer_rating FROM response r "
            "WHERE r.submitted_at >= %s AND r.submitted_at < %s AND NOT EXISTS ("
            "SELECT 1 FROM response_flag f WHERE f.response_id = r.id AND f.kind = 'excluded')",
            (low, high))
        frames = pd.DataFrame(cursor.fetchall(), columns=[
            "unit", "staff", "at", *(f"U{j}" for j in range(1, 10)), "OFFICER"])
    raw = frames
    bounds = {u: [b.replace(tzinfo=None) for b in period.utc_bounds(z)] for u, z in zones.items()}
    start = raw["unit"].map(lambda u: bounds[u][0])
    end = raw["unit"].map(lambda u: bounds[u][1])
    raw = raw[(raw["at"] >= start) & (raw["at"] < end)]
    codes = [f"U{j}" for j in range(1, 10)]
    results = {}
    for unit_id in zones:
        tree = [u for u in zones if u == unit_id or parents[u] == unit_id]
        rows = raw[raw["unit"].isin(tree)]
        if len(rows):
            results[unit_id] = compute_ikm(rows[codes].astype("float64"))
    named = raw[raw["staff"].notna()].copy()
    named["score"] = 25 * named[["U6", "U7", "OFFICER"]].astype("float64").mean(axis=1)
    grouped = named.groupby("staff")["score"].agg(["count", "sum", lambda s: (s * s).sum()])
    grouped.columns = ["n", "sum", "sumsq"]
    grouped = grouped.reset_index()
    grouped["officer"] = grouped["staff"].astype(int).astype(str)
    grouped["unit"] = grouped["staff"].map(lambda s: officer_units[int(s)])
    officers = officer_scores(grouped[["officer", "unit", "n", "sum", "sumsq"]])
    elapsed = time.perf_counter() - began
    return {"seconds": elapsed, "units": len(results), "officers": len(officers.frame),
            "check": {str(k): v.ikm_exact for k, v in sorted(results.items())[:3]},
            "tau2": officers.tau2, "rows_read": int(len(frames))}


def _maxrss_mb() -> float:
    """Peak RSS of this address space (VmHWM): unlike ru_maxrss it is not inherited across
    exec from the parent that generated the data."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measured(kind: str, trace: bool) -> dict:
    """One computation; with `trace`, tracemalloc's peak (it slows Python down, so timed runs
    go without it). The RSS baseline is taken after imports and the connection."""
    baseline = {}

    def start_measuring():
        baseline["rss"] = _maxrss_mb()
        if trace:
            tracemalloc.start()

    result = (compute_rollup if kind == "rollup" else compute_pandas)(start_measuring)
    if trace:
        result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    result["maxrss_mb"] = _maxrss_mb()
    result["rss_growth_mb"] = result["maxrss_mb"] - baseline["rss"]
    return result


def _once(kind: str, trace: bool) -> dict:
    arguments = [sys.executable, __file__, "--compute", kind] + (["--trace"] if trace else [])
    output = subprocess.run(arguments, check=True, capture_output=True, text=True,
                            timeout=900).stdout
    return json.loads(output.strip().splitlines()[-1])


def _run(kind: str) -> dict:
    """Best of three fresh interpreters for time and RSS, a fourth under tracemalloc."""
    runs = [_once(kind, trace=False) for _ in range(3)]
    best = min(runs, key=lambda r: r["seconds"])
    best["all_seconds"] = [r["seconds"] for r in runs]
    best["tracemalloc_peak_mb"] = _once(kind, trace=True)["tracemalloc_peak_mb"]
    return best


def _report(rows: list[dict], out: Path) -> None:
    lines = [
        "# Roll-up benchmark: every unit's and every officer's quarterly results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({os.cpu_count()} cores, shared), PostgreSQL, Python {platform.python_version()}.",
        f"Synthetic province: {UNITS} units (15 with a parent), {UNITS * SERVICES} services, "
        f"{UNITS * COUNTERS} counters, {UNITS * OFFICERS} officers, three time zones, one year of "
        "responses (blanks in U4/U9, 60% naming an officer, 1% flagged suspicious).",
        f"Computed: {QUARTER[0]} index of every unit tree (with interval, every NRR, percent "
        "satisfied, grade probability) and every officer's shrunk score (REML).",
        "Time: best of three fresh processes (all three listed), after imports and the database "
        "connection; memory: the computing process's peak RSS (VmHWM, interpreter and "
        "libraries included), its growth during the computation, and tracemalloc's peak of "
        "Python/numpy allocations during the computation (a fourth run: tracemalloc slows Python).",
        "",
        "| responses | roll-up cells (quarter) | method | time (s) | runs (s) | peak RSS (MB) "
        "| RSS growth (MB) | tracemalloc peak (MB) | rows read |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        for kind in ("rollup", "pandas"):
            r = row[kind]
            lines.append(
                f"| {row['n']:,} | {row['rollup_cells']:,} ({row['quarter_cells']:,}) | "
                f"{'roll-up (SQL SUM)' if kind == 'rollup' else 'pandas on raw rows'} | "
                f"{r['seconds']:.2f} | {', '.join(f'{s:.2f}' for s in r['all_seconds'])} | "
                f"{r['maxrss_mb']:.0f} | {r['rss_growth_mb']:.0f} | "
                f"{r['tracemalloc_peak_mb']:.1f} | "
                f"{r.get('rows_read', row['quarter_cells']):,} |")
    lines += ["", "| responses | load by COPY (s) | roll-up build (s) | pandas / roll-up time |",
              "|---|---|---|---|"]
    for row in rows:
        ratio = row["pandas"]["seconds"] / row["rollup"]["seconds"]
        lines.append(f"| {row['n']:,} | {row['copy_s']:.1f} | {row['rollup_build_s']:.1f} | "
                     f"{ratio:.1f}× |")
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        lines += ["", f"Growth from {a['n']:,} to {b['n']:,} responses "
                  f"({b['n'] / a['n']:.0f}× the data): roll-up time "
                  f"{b['rollup']['seconds'] / a['rollup']['seconds']:.1f}×, pandas time "
                  f"{b['pandas']['seconds'] / a['pandas']['seconds']:.1f}×; roll-up cells "
                  f"{b['rollup_cells'] / a['rollup_cells']:.1f}×."]
    agree = all(abs(float(row["rollup"]["check"][k]) - float(row["pandas"]["check"][k])) < 1e-9
                for row in rows for k in row["rollup"]["check"])
    lines += ["", f"Spot check (first three units' IKM, roll-up vs pandas, 1e-9): "
              f"{'agree' if agree else 'DISAGREE'}.", ""]
    out.write_text("\n".join(lines))
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--out", type=Path,
                        default=ROOT / "bench" / "results" / f"rollup-{date.today()}.md")
    parser.add_argument("--compute", choices=["rollup", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compute:
        print(json.dumps(_measured(args.compute, args.trace)))
        return
    _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    _admin(f"CREATE DATABASE {DATABASE}")
    try:
        ids = setup_directory()
        rows = []
        for n in args.sizes:
            row = {"n": n, **load(ids, n)}
            print(f"{n}: loaded {row}", file=sys.stderr)
            row["rollup"], row["pandas"] = _run("rollup"), _run("pandas")
            print(f"{n}: {row['rollup']['seconds']:.2f}s vs {row['pandas']['seconds']:.2f}s",
                  file=sys.stderr)
            rows.append(row)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        _report(rows, args.out)
    finally:
        _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


if __name__ == "__main__":
    main()
