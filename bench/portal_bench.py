"""Benchmark: the portal index `/` and a unit page `/unit/<code>` as a visitor gets them, with
1,000,000 responses loaded next to the demo's ~12,000 (issue 14: the index within 2×).

    .venv/bin/python bench/portal_bench.py [--schemas rollup_1000000 portal_demo
                                            portal_demo_1000000] [--processes 3] [--warm 20]
                                           [--out FILE.md] [--profile] [--reload-demo]

Works in the database BENCH_DATABASE_URL (default .../suarawarga_bench_rollup), one schema per
data set, through libpq's search path as bench/rollup_bench.py does (set-up: portal_setup.py):
`portal_demo` is `create_all` plus the project's `flask demo load --today 2026-12-04`;
`portal_demo_<n>` the same with synthetic responses (bench/synthetic.py) added to the demo's
units up to n, the roll-up rebuilt and each published period corrected from all of them; a kept
`rollup_<n>` schema (`rollup_bench.py --keep`: 60 units) is used as it is, except that every
unit gets its 2026-Q2 and 2026-Q3 published through the publishing service by an admin account
made here (rows in app_user, role_grant, publication and audit_event only). Each page is then
timed in fresh processes (create_app on the schema, Flask's test client, no network): the first
request (cold) and the best of the warm ones, the SQL statements each sends and the body's
size. Manual only: never part of the test suite.
"""
from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.portal_setup import (  # noqa: E402
    DEMO_SCHEMA, app_for, burst_checked, describe, load_demo, publish_all, require_schema,
    scale_demo, scaled_size)

# The unit page timed in each kind of schema: a unit with a sub-unit in both.
DEMO_UNIT, ROLLUP_UNIT = "kupang-dukcapil", "u002"


def unit_page(schema: str) -> str:
    return DEMO_UNIT if schema.startswith(DEMO_SCHEMA) else ROLLUP_UNIT


# --- the measurement, in its own process -----------------------------------------------------


def _statements(engine) -> list:
    """A list that grows by one (seconds, first table after FROM) per SQL statement sent."""
    timings, started = [], {}

    @event.listens_for(engine, "before_cursor_execute")
    def before(conn, cursor, statement, parameters, context, executemany):
        started[id(cursor)] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def after(conn, cursor, statement, parameters, context, executemany):
        table = re.search(r"\bFROM\s+(\w+)", statement)
        timings.append((time.perf_counter() - started.pop(id(cursor), time.perf_counter()),
                        table.group(1) if table else statement.split()[0]))

    return timings


def measure(schema: str, path: str, warm: int) -> dict:
    """One fresh app: the first GET of `path`, then `warm` more; times, SQL, sizes."""
    began = time.perf_counter()
    from surveys.db import db

    app = app_for(schema)
    created = time.perf_counter() - began
    client = app.test_client()
    with app.app_context():
        sql = _statements(db.engine)

    def get() -> dict:
        sql.clear()
        start = time.perf_counter()
        response = client.get(path)
        body = response.get_data()
        seconds = time.perf_counter() - start
        if response.status_code != 200:
            raise SystemExit(f"GET {path} on {schema}: {response.status_code}")
        return {"seconds": seconds, "sql": len(sql), "sql_seconds": sum(t for t, _ in sql),
                "statements": [[table, round(1000 * t, 2)] for t, table in sql], "bytes": len(body),
                "gzip_bytes": len(gzip.compress(body, 6))}

    cold = get()
    runs = [get() for _ in range(warm)]
    best = min(runs, key=lambda r: r["seconds"])
    with app.app_context():
        db.engine.dispose()
    return {"schema": schema, "path": path, "app_seconds": created, "cold": cold,
            "warm": best, "warm_median": statistics.median(r["seconds"] for r in runs),
            "warm_seconds": [r["seconds"] for r in runs]}


def profile(schema: str, path: str, warm: int) -> str:
    """cProfile of `warm` warm GETs of `path` (after one cold), the top by cumulative time."""
    app = app_for(schema)
    client = app.test_client()
    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(warm):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(35)
    return out.getvalue()


def _child(schema: str, path: str, warm: int, mode: str = "measure") -> dict | str:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--schemas", schema, "--path", path,
         "--warm", str(warm)], check=True, capture_output=True, text=True, timeout=900).stdout
    return json.loads(output.strip().splitlines()[-1]) if mode == "measure" else output


def _run(pages: list[tuple[str, str]], processes: int, warm: int) -> list[dict]:
    """For each (schema, path), the best of `processes` fresh interpreters (by warm time) with
    every process's figures. The pages take turns, one process each per round, so a change in
    the machine's other load falls on all of them alike."""
    runs: dict[tuple[str, str], list[dict]] = {page: [] for page in pages}
    for round_number in range(processes):
        for schema, path in pages:
            run = _child(schema, path, warm)
            runs[schema, path].append(run)
            print(f"round {round_number + 1}: {schema} {path}: cold "
                  f"{_ms(run['cold']['seconds'])} ms, warm {_ms(run['warm']['seconds'])} ms",
                  file=sys.stderr)
    rows = []
    for page in pages:
        best = min(runs[page], key=lambda r: r["warm"]["seconds"])
        best["processes_warm"] = [r["warm"]["seconds"] for r in runs[page]]
        best["processes_cold"] = [r["cold"]["seconds"] for r in runs[page]]
        rows.append(best)
    return rows


# --- the report ------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:.1f}"


def _report(setup: dict, rows: list[dict], out: Path, warm: int, load: tuple) -> list[str]:
    lines = [
        "# Portal benchmark: the index and a unit page, 1,000,000 responses vs the demo",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} ({os.cpu_count()} "
        f"cores, shared with other work running; load average {load[0]:.2f} at start, "
        f"{load[1]:.2f} at end), PostgreSQL, Python {platform.python_version()}.",
        "In process: `create_app` on the schema, Flask's test client (no network, no gunicorn), "
        "the app as shipped (rate limits on). Each row: fresh processes; in each the first GET "
        f"(cold: connects, sets up mappers, compiles statements and templates, draws the charts) "
        f"and {warm} more (warm: best of them; median beside it); best process by warm time, every "
        "process listed. SQL: statements the request sent and their time in the driver; rest: "
        "everything else (Flask, the ORM's result handling, Jinja). The index shows 50 units a "
        "page.",
        "",
        "| schema | responses | units | page | cold (ms) | warm best (ms) | warm median (ms) "
        "| warm, each process (ms) | cold, each process (ms) | SQL statements (ms) | rest (ms) "
        "| body (KB) | gzip (KB) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        info, warm_row = setup[row["schema"]], row["warm"]
        lines.append(
            f"| {row['schema']} | {info['responses']:,} | {info['units']} | `{row['path']}` | "
            f"{_ms(row['cold']['seconds'])} | **{_ms(warm_row['seconds'])}** | "
            f"{_ms(row['warm_median'])} | {', '.join(_ms(s) for s in row['processes_warm'])} | "
            f"{', '.join(_ms(s) for s in row['processes_cold'])} | "
            f"{warm_row['sql']} ({_ms(warm_row['sql_seconds'])}) | "
            f"{_ms(warm_row['seconds'] - warm_row['sql_seconds'])} | "
            f"{warm_row['bytes'] / 1024:.1f} | {warm_row['gzip_bytes'] / 1024:.1f} |")
    by = {(row["schema"], "index" if row["path"] == "/" else "unit"): row for row in rows}
    schemas = list(dict.fromkeys(row["schema"] for row in rows))
    big = [s for s in schemas if s != DEMO_SCHEMA]
    if DEMO_SCHEMA in schemas and big:
        lines += ["", "| page | ratio | warm best | warm median | cold | target |",
                  "|---|---|---|---|---|---|"]
        for kind in ("index", "unit"):
            for schema in big:
                a, b = by.get((schema, kind)), by.get((DEMO_SCHEMA, kind))
                if not (a and b):
                    continue
                ratio = a["warm"]["seconds"] / b["warm"]["seconds"]
                target = ("≤ 2×: **" + ("met" if ratio <= 2 else "not met") + "**"
                          if kind == "index" else "(none)")
                lines.append(
                    f"| {kind} | {schema} / {DEMO_SCHEMA} | **{ratio:.2f}×** | "
                    f"{a['warm_median'] / b['warm_median']:.2f}× | "
                    f"{a['cold']['seconds'] / b['cold']['seconds']:.2f}× | {target} |")
    lines += ["", "SQL of each page's best warm request, in order (first table after FROM, ms):",
              ""]
    lines += [f"- {row['schema']} `{row['path']}`: " + ", ".join(
        f"{table} {ms:.2f}" for table, ms in row["warm"]["statements"]) for row in rows]
    lines += ["", "| schema | touchpoints | published / all versions | database (MB) | set-up |",
              "|---|---|---|---|---|"]
    for schema in schemas:
        info = setup[schema]
        lines.append(f"| {schema} | {info['touchpoints']} | {info['published']} / "
                     f"{info['publications']} | {info['database_mb']:,} | {info['setup']} |")
    lines.append("")
    out.write_text("\n".join(lines))
    out.with_suffix(".json").write_text(json.dumps({"setup": setup, "rows": rows}, indent=1))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemas", nargs="+",
                        default=["rollup_1000000", DEMO_SCHEMA, f"{DEMO_SCHEMA}_1000000"])
    parser.add_argument("--processes", type=int, default=3, help="fresh processes per page")
    parser.add_argument("--warm", type=int, default=20, help="warm requests per process")
    parser.add_argument("--out", type=Path,
                        default=ROOT / "bench" / "results" / f"portal-{date.today()}.md")
    parser.add_argument("--reload-demo", action="store_true",
                        help=f"drop and load the {DEMO_SCHEMA}* schemas again")
    parser.add_argument("--profile", action="store_true",
                        help="also write a cProfile of each page's warm requests beside --out")
    parser.add_argument("--child", choices=["measure", "profile"], help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        schema = args.schemas[0]
        if args.child == "measure":
            print(json.dumps(measure(schema, args.path, args.warm)))
        else:
            print(profile(schema, args.path, args.warm))
        return
    load_start = os.getloadavg()[0]
    setup, profiles = {}, []
    for schema in args.schemas:
        if not schema.startswith(("rollup_", "portal_")):
            raise SystemExit(f"{schema}: only rollup_* (read) and portal_* schemas")
        if schema.startswith("rollup_"):
            require_schema(schema)
        notes = []
        if schema.startswith(DEMO_SCHEMA):
            seconds = load_demo(schema, args.reload_demo)
            notes.append("demo kept" if seconds is None else f"demo loaded in {seconds:.0f} s")
        if scaled_size(schema):
            notes.append(scale_demo(schema, scaled_size(schema)))
        published = publish_all(schema)
        notes.append(f"{published['published']} published here ({published['prepared']} "
                     f"prepared) in {published['seconds']:.0f} s, {published['already']} already")
        print(f"{schema}: {'; '.join(notes)}", file=sys.stderr)
        setup[schema] = {**describe(schema), "setup": "; ".join(notes)}
    pages = [(schema, path) for schema in args.schemas
             for path in ("/", f"/unit/{unit_page(schema)}")]
    with ExitStack() as stack:
        for schema in args.schemas:
            changed = stack.enter_context(burst_checked(schema))
            if changed:
                setup[schema]["setup"] += (f"; burst-check state {changed} for the run, "
                                           "then put back")
        rows = _run(pages, args.processes, args.warm)
        if args.profile:
            profiles = [f"## {schema} GET {path}\n\n```\n"
                        f"{_child(schema, path, args.warm, 'profile')}```\n"
                        for schema, path in pages]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    lines = _report(setup, rows, args.out, args.warm, (load_start, os.getloadavg()[0]))
    if profiles:
        args.out.with_name(args.out.stem + "-profile.md").write_text("\n".join(profiles))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
