"""Benchmark: every unit's and every officer's quarterly results from the roll-up, beside a
plain pandas computation over the raw rows, at 100k, 1M and 10M synthetic responses on PostgreSQL.

    .venv/bin/python bench/rollup_bench.py [--sizes 100000 1000000 10000000] [--out FILE.md]
                                           [--repeats 3] [--keep] [--reuse]

Works in the database BENCH_DATABASE_URL (default .../suarawarga_bench_rollup; create it once,
as bench/README.md says), one schema per size, rollup_<n>, selected through libpq's search path.
Loads responses generated with numpy in chunks through COPY (bench/synthetic.py), builds the
roll-up with `surveys.reporting.rollup.rebuild` (one INSERT … SELECT … GROUP BY per grain: daily
cells from the responses, monthly ones from the daily), then times each computation in a fresh
subprocess so its peak memory (VmHWM, and tracemalloc's peak of Python allocations) is its own.
Drops the schemas at the end (`--keep` keeps them; `--reuse` measures a kept schema again
instead of loading it anew). Manual only: never part of the test suite.
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

import psycopg
from sqlalchemy import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import Directory, copy_responses  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql://suarawarga:suarawarga@127.0.0.1/suarawarga_bench_rollup")
QUARTER = ("2026-Q3", date(2026, 7, 1), date(2026, 10, 1))
# The synthetic province: 60 units (every fourth a sub-unit of the one before), 6 services,
# 3 counters and 10 officers each (600 officers), three time zones, one year of responses.
UNITS, SERVICES, COUNTERS, OFFICERS = 60, 6, 3, 10
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
GRAIN_TABLES = ("daily_rollup", "monthly_rollup", "unit_month_rollup")


def schema(n: int) -> str:
    return f"rollup_{n}"


def url(n: int, driver: str = "postgresql") -> str:
    """The bench database with the size's schema as its search path."""
    return make_url(DATABASE_URL).set(drivername=driver).update_query_dict(
        {"options": f"-csearch_path={schema(n)}"}).render_as_string(hide_password=False)


def sqlalchemy_url(n: int) -> str:
    return url(n, "postgresql+psycopg")


def _admin(sql: str) -> None:
    if not make_url(DATABASE_URL).database.startswith("suarawarga_bench"):
        raise SystemExit("BENCH_DATABASE_URL must name a suarawarga_bench… database")
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        connection.execute(sql)


def _app(n: int):
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(n), "SECRET_KEY": "bench"})


def setup_directory(n: int) -> Directory:
    """Schema, instrument, units, services, counters and officers; returns their ids."""
    from surveys.db import db
    from surveys.responses.instruments import ensure_default_instrument
    from surveys.models import Counter, Organization, Service, Staff, Unit

    app = _app(n)
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
        services = [[Service(unit=unit, code=f"s{s}", name=f"Layanan {s}")
                     for s in range(SERVICES)] for unit in units]
        counters = [[Counter(unit=unit, code=f"c{c}", name=f"Loket {c}")
                     for c in range(COUNTERS)] for unit in units]
        staff = [[Staff(nip=f"199001012015{1 + i // 1000:02d}1{i % 1000:03d}",
                        name=f"Petugas {i}", position="Staf", unit=unit)
                  for i in range(u * OFFICERS, (u + 1) * OFFICERS)] for u, unit in enumerate(units)]
        session.add_all([org, *units, *(x for group in (*services, *counters, *staff) for x in group)])
        session.commit()
        directory = Directory(instrument.id, [u.id for u in units],
                              [[s.id for s in group] for group in services],
                              [[c.id for c in group] for group in counters],
                              [[s.id for s in group] for group in staff])
        db.engine.dispose()
    return directory


def load(n: int) -> dict:
    """COPY n responses (and 1% suspicious flags) into a new database, rebuild the roll-up;
    the timings are kept in the database (table bench_timings) for `--reuse`."""
    directory = setup_directory(n)
    timings = {"copy_s": copy_responses(url(n), directory, n)}
    with psycopg.connect(url(n)) as connection:
        connection.execute("INSERT INTO response_flag (response_id, kind, reason, created_at) "
                           "SELECT id, 'suspicious', 'bench', now() FROM response "
                           "WHERE id % 100 = 0")
    with psycopg.connect(url(n), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE response")

    from surveys.reporting import rollup
    from surveys.db import db

    app = _app(n)
    with app.app_context():
        began = time.perf_counter()
        rollup.rebuild(db.session)
        db.session.commit()
        timings["rollup_build_s"] = time.perf_counter() - began
        db.engine.dispose()
    with psycopg.connect(url(n), autocommit=True) as connection:
        for table in GRAIN_TABLES:
            connection.execute(f"VACUUM ANALYZE {table}")
        timings["cells"] = {table: connection.execute(
            f"SELECT count(*) FROM {table}").fetchone()[0] for table in GRAIN_TABLES}
        timings["quarter_cells"] = {}
        for table in GRAIN_TABLES:
            time_column = "day" if table == "daily_rollup" else "month"
            timings["quarter_cells"][table] = connection.execute(
                f"SELECT count(*) FROM {table} WHERE {time_column} >= %s AND {time_column} < %s",
                (QUARTER[1], QUARTER[2])).fetchone()[0]
        timings["database_mb"] = connection.execute(
            "SELECT (sum(pg_total_relation_size(c.oid)) / 1048576)::int FROM pg_class c JOIN "
            "pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = %s AND c.relkind = 'r'",
            (schema(n),)).fetchone()[0]
        connection.execute("CREATE TABLE bench_timings (n bigint, doc text)")
        connection.execute("INSERT INTO bench_timings VALUES (%s, %s)", (n, json.dumps(timings)))
    return timings


def loaded(n: int) -> dict | None:
    """The timings of a kept database of n responses, or None when there is none."""
    try:
        with psycopg.connect(url(n)) as connection:
            row = connection.execute("SELECT n, doc FROM bench_timings").fetchone()
    except psycopg.Error:
        return None
    return json.loads(row[1]) if row and row[0] == n else None


# --- the two computations, each run in its own process --------------------------------------


PASSES = 3  # per process: the first pays for start-up (mapper set-up, statement compiles)


def _passes(results: list[dict]) -> dict:
    """The best warm pass (what a running server's request costs), with the cold first one."""
    warm = min(results[1:], key=lambda r: r["seconds"])
    return {**warm, "cold_seconds": results[0]["seconds"],
            "warm_seconds": [r["seconds"] for r in results[1:]]}


def compute_rollup(n: int, start_measuring) -> dict:
    """Every unit tree's IKM and every officer's shrunk score for the quarter, from the roll-up
    (the reads the pages use: whole months come from the monthly grains)."""
    from analysis.officers import officer_scores
    from surveys.db import db
    from surveys.reporting.aggregate import Scope, officer_frame
    from surveys.reporting.service import unit_tree_indices

    def once() -> dict:
        began = time.perf_counter()
        units = unit_tree_indices(db.session, QUARTER[1], QUARTER[2])
        units_done = time.perf_counter()
        frame = officer_frame(db.session, Scope(QUARTER[1], QUARTER[2]))
        frame_done = time.perf_counter()
        officers = officer_scores(frame)
        elapsed = time.perf_counter() - began
        return {"seconds": elapsed, "units": len(units), "officers": len(officers.frame),
                "phases": {"unit_indices": units_done - began,
                           "officer_sums": frame_done - units_done,
                           "officer_model": began + elapsed - frame_done},
                "check": {str(k): v.ikm_exact for k, v in sorted(units.items())[:3]},
                "tau2": officers.tau2}

    app = _app(n)
    with app.app_context():
        db.session.execute(db.text("SELECT 1"))  # connect before the clock starts
        start_measuring()
        return _passes([once() for _ in range(PASSES)])


def compute_pandas(n: int, start_measuring) -> dict:
    """The same results the plain way: read the quarter's raw rows into pandas, then compute."""
    import pandas  # noqa: F401  (imported before the clock starts)

    import analysis  # noqa: F401

    connection = psycopg.connect(url(n))  # connect before the clock starts
    start_measuring()
    with connection:
        return _passes([_pandas_pass(connection) for _ in range(PASSES)])


def _pandas_pass(connection) -> dict:
    import pandas as pd

    from analysis import compute_ikm
    from analysis.officers import officer_scores
    from surveys.periods import Period

    began = time.perf_counter()
    zones = dict(connection.execute("SELECT id, timezone FROM unit").fetchall())
    parents = dict(connection.execute("SELECT id, parent_id FROM unit").fetchall())
    officer_units = dict(connection.execute("SELECT id, unit_id FROM staff").fetchall())
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


def _measured(kind: str, n: int, trace: bool) -> dict:
    """One computation; with `trace`, tracemalloc's peak (it slows Python down, so timed runs
    go without it). The RSS baseline is taken after imports and the connection."""
    baseline = {}

    def start_measuring():
        baseline["rss"] = _maxrss_mb()
        if trace:
            tracemalloc.start()

    result = (compute_rollup if kind == "rollup" else compute_pandas)(n, start_measuring)
    if trace:
        result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    result["maxrss_mb"] = _maxrss_mb()
    result["rss_growth_mb"] = result["maxrss_mb"] - baseline["rss"]
    return result


def _once(kind: str, n: int, trace: bool) -> dict:
    arguments = [sys.executable, __file__, "--compute", kind, "--sizes", str(n)] + (
        ["--trace"] if trace else [])
    output = subprocess.run(arguments, check=True, capture_output=True, text=True,
                            timeout=1800).stdout
    return json.loads(output.strip().splitlines()[-1])


def _run(kind: str, n: int, repeats: int) -> dict:
    """Best of `repeats` fresh interpreters for time and RSS, one more under tracemalloc."""
    runs = [_once(kind, n, trace=False) for _ in range(repeats)]
    best = min(runs, key=lambda r: r["seconds"])
    best["all_seconds"] = [r["seconds"] for r in runs]
    best["tracemalloc_peak_mb"] = _once(kind, n, trace=True)["tracemalloc_peak_mb"]
    return best


def _report(rows: list[dict], out: Path) -> None:
    """The results as a Markdown table (`out`) and as JSON beside it; the reading is written
    by hand below the table."""
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
        f"Time: each fresh process connects, then computes {PASSES} times; \"warm\" is the best "
        "later pass (what a running server pays per request), \"cold\" the first (it also pays "
        "for SQLAlchemy's mapper set-up and statement compiles, once per process); best of the "
        "processes listed. Memory: the computing process's peak RSS (VmHWM, interpreter and "
        "libraries included), its growth over the passes, and tracemalloc's peak of "
        "Python/numpy allocations (one more process: tracemalloc slows Python).",
        "",
        "| responses | method | warm (s) | warm, each process (s) | cold (s) | peak RSS (MB) "
        "| RSS growth (MB) | tracemalloc peak (MB) | rows read |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        quarter = row["quarter_cells"]
        for kind in ("rollup", "pandas"):
            r = row[kind]
            read = (f"{quarter['unit_month_rollup']:,} + {quarter['monthly_rollup']:,} cells"
                    if kind == "rollup" else f"{r['rows_read']:,} responses")
            lines.append(
                f"| {row['n']:,} | {'roll-up (SQL SUM)' if kind == 'rollup' else 'pandas on raw rows'} | "
                f"{r['seconds']:.3f} | {', '.join(f'{s:.3f}' for s in r['all_seconds'])} | "
                f"{r['cold_seconds']:.3f} | {r['maxrss_mb']:.0f} | {r['rss_growth_mb']:.0f} | "
                f"{r['tracemalloc_peak_mb']:.1f} | {read} |")
    lines += ["", "| responses | pandas / roll-up | roll-up phases: unit indices / officer sums / "
              "officer model (ms) | cells: daily / monthly / unit-month (quarter's) | load by COPY (s) "
              "| roll-up build (s) | database (MB) |", "|---|---|---|---|---|---|---|"]
    for row in rows:
        ratio = row["pandas"]["seconds"] / row["rollup"]["seconds"]
        phases = " / ".join(f"{1000 * v:.0f}" for v in row["rollup"]["phases"].values())
        cells = " / ".join(f"{row['cells'][t]:,} ({row['quarter_cells'][t]:,})" for t in GRAIN_TABLES)
        lines.append(f"| {row['n']:,} | **{ratio:.1f}×** | {phases} | {cells} | "
                     f"{row['copy_s']:.0f} | {row['rollup_build_s']:.0f} | {row['database_mb']:,} |")
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        lines += ["", f"Growth from {a['n']:,} to {b['n']:,} responses "
                  f"({b['n'] / a['n']:.0f}× the data): roll-up time "
                  f"{b['rollup']['seconds'] / a['rollup']['seconds']:.1f}×, pandas time "
                  f"{b['pandas']['seconds'] / a['pandas']['seconds']:.1f}×."]
    agree = all(abs(float(row["rollup"]["check"][k]) - float(row["pandas"]["check"][k])) < 1e-9
                for row in rows for k in row["rollup"]["check"])
    lines += ["", f"Spot check (first three units' IKM, roll-up vs pandas, 1e-9): "
              f"{'agree' if agree else 'DISAGREE'}.", ""]
    out.write_text("\n".join(lines))
    out.with_suffix(".json").write_text(json.dumps(rows, indent=1))
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each computation")
    parser.add_argument("--out", type=Path,
                        default=ROOT / "bench" / "results" / f"rollup-{date.today()}.md")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--reuse", action="store_true",
                        help="measure a kept database of a size again instead of loading it")
    parser.add_argument("--compute", choices=["rollup", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compute:
        print(json.dumps(_measured(args.compute, args.sizes[0], args.trace)))
        return
    try:
        rows = []
        for n in args.sizes:
            timings = loaded(n) if args.reuse else None
            if timings is None:
                _admin(f"DROP SCHEMA IF EXISTS {schema(n)} CASCADE")
                _admin(f"CREATE SCHEMA {schema(n)}")
                timings = load(n)
            row = {"n": n, **timings}
            print(f"{n}: loaded {row}", file=sys.stderr)
            row["rollup"] = _run("rollup", n, args.repeats)
            row["pandas"] = _run("pandas", n, args.repeats)
            print(f"{n}: {row['rollup']['seconds']:.3f}s vs {row['pandas']['seconds']:.3f}s",
                  file=sys.stderr)
            rows.append(row)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        _report(rows, args.out)
    finally:
        if not args.keep:
            for n in args.sizes:
                _admin(f"DROP SCHEMA IF EXISTS {schema(n)} CASCADE")


if __name__ == "__main__":
    main()
