"""A citizen's whole visit through gunicorn, next to a bare Flask application, in the same run.

A visit: the form `GET /s/<code>`, the submission `POST /s/<code>` (the form's hidden fields plus
answers to U1..U9), and the receipt `GET /terima-kasih/<receipt>` its 303 leads to; each visit is a
fresh device (no cookie) on its own connection from its own loopback address (127.0.0.2, ...;
DESIGN §8), so the app runs as shipped (`wsgi:app`: rate limits and abuse checks on). The bare
application (bench/bare_app.py, one route) is served with the same gunicorn settings; a bare visit
is three GETs on one fresh connection. Reports server CPU per visit over the bare visit's, visits/s
and p50/p99 per step. See bench/README.md.
"""
from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import Phase, Server, session_cookie  # noqa: E402
from bench.submit_bench import (  # noqa: E402
    answers,
    backend_urls,
    checkpoint,
    percentile,
    prepare_database,
    run_header,
)
from tests.factories import hidden_fields  # noqa: E402

GOAL_RATIO = 3.0
# Visits per counter per run: below the touchpoint burst threshold (40 per 10 minutes), so the
# load spreads over counters as a town's citizens do, and no visit is flagged as a burst.
VISITS_PER_COUNTER = 30
STEPS = ("form", "submit", "receipt")


def address(number: int) -> str:
    """The `number`-th loopback source address from 127.0.0.2 on (never .0 or .255)."""
    high, low = divmod(number, 254)
    return f"127.{high // 256 % 256}.{high % 256}.{low + 1}"


def stored_counts(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, func, select

    from surveys.models import Response, ResponseFlag

    engine = create_engine(url)
    with engine.connect() as connection:
        counts = {"stored": connection.scalar(select(func.count()).select_from(Response)),
                  "flagged_too_fast": connection.scalar(
                      select(func.count()).select_from(ResponseFlag)
                      .where(ResponseFlag.reason.like("%terlalu cepat%")))}
    engine.dispose()
    return counts


# --- one visit ------------------------------------------------------------------------------

def _send(connection, method, path, body=None, headers=None):
    start = time.perf_counter()
    connection.request(method, path, body=body, headers=headers or {})
    reply = connection.getresponse()
    payload = reply.read()
    return reply.status, reply.msg, payload, (time.perf_counter() - start) * 1000


def visit(port: int, source: str, target: dict, rng: random.Random) -> list[tuple[int, float]]:
    """One citizen's visit; (status, ms) of each step (a step not reached: status 0)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60,
                                            source_address=(source, 0))
    steps = []
    try:
        path = f"/s/{target['code']}"
        status, headers, page, ms = _send(connection, "GET", path)
        steps.append((status, ms))
        if status != 200:
            return steps + [(0, 0.0)] * 2
        cookie = session_cookie(headers)
        body = urllib.parse.urlencode({**hidden_fields(page.decode()), **answers(rng, target)})
        status, headers, _, ms = _send(connection, "POST", path, body.encode(), {
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        steps.append((status, ms))
        location = headers.get("Location") or ""
        if status != 303 or "/terima-kasih/" not in location:
            return steps + [(0, 0.0)]
        receipt = urllib.parse.urlsplit(location).path
        status, _, page, ms = _send(connection, "GET", receipt, headers={"Cookie": cookie})
        ok = status == 200 and receipt.rsplit("/", 1)[1].encode() in page
        steps.append((status if ok else -status, ms))
        return steps
    finally:
        connection.close()


def bare_visit(port: int, source: str) -> list[tuple[int, float]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60,
                                            source_address=(source, 0))
    try:
        return [_send(connection, "GET", "/")[::3] for _ in STEPS]
    finally:
        connection.close()


# --- rounds ---------------------------------------------------------------------------------

def cpu(servers: dict[str, Server]) -> dict[str, float]:
    own = os.times()
    parts = {"client": own.user + own.system}
    for name, server in servers.items():
        seconds = server.cpu_seconds()
        parts[f"{name}_server"] = seconds["server"]
        parts[f"{name}_database"] = seconds["database"]
        parts[f"{name}_database_background"] = seconds["database_background"]
    return parts


def run_round(jobs, work, concurrency, servers, visits: Phase, steps: dict[str, Phase]) -> None:
    before = cpu(servers)
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(work, jobs))
    visits.seconds.append(time.perf_counter() - start)
    for part, seconds in cpu(servers).items():
        visits.cpu_seconds[part] = visits.cpu_seconds.get(part, 0.0) + seconds - before[part]
    for result in results:
        failed = any(status not in (200, 303) for status, _ in result)
        visits.record(0 if failed else 200, sum(ms for _, ms in result))
        for step, (status, ms) in zip(STEPS, result):
            steps[step].record(status, ms)


def step_summary(phase: Phase, server_ms: list[float]) -> dict:
    return {"p50_ms": round(percentile(phase.latencies_ms, 0.50), 2),
            "p99_ms": round(percentile(phase.latencies_ms, 0.99), 2),
            "server_p50_ms": round(percentile(server_ms, 0.50), 2) if server_ms else None,
            "statuses": {str(k): v for k, v in sorted(phase.statuses.items())}}


def visit_summary(phase: Phase, server: str, database: bool) -> dict:
    """`database`: whether PostgreSQL serves it (otherwise its processes are other work's)."""
    count = len(phase.latencies_ms)
    cpu_ms = {part.removeprefix(f"{server}_"): round(seconds * 1000 / count, 3)
              for part, seconds in sorted(phase.cpu_seconds.items())
              if part == "client" or part.startswith(f"{server}_")}
    if not database:
        cpu_ms.update(database=0.0, database_background=0.0)
    return {"visits": count, "per_second": round(count / sum(phase.seconds), 1),
            "per_second_rounds": [round(count / len(phase.seconds) / s, 1) for s in phase.seconds],
            "p50_ms": round(percentile(phase.latencies_ms, 0.50), 2),
            "p99_ms": round(percentile(phase.latencies_ms, 0.99), 2),
            "cpu_ms": cpu_ms, "failed": phase.statuses.get(0, 0)}


def server_step_times(server: Server) -> dict[str, list[float]]:
    """Server-side milliseconds of each step, from gunicorn's access log (`%(D)s`, µs)."""
    times: dict[str, list[float]] = {step: [] for step in STEPS}
    for line in server.access_log.read_text().splitlines():
        method, path, _status, micros = line.split()
        step = ("form" if method == "GET" and path.startswith("/s/") else
                "submit" if method == "POST" and path.startswith("/s/") else
                "receipt" if path.startswith("/terima-kasih/") else None)
        if step:
            times[step].append(int(micros) / 1000)
    return times


def bench_backend(name: str, url: str, args) -> dict:
    warm = 2 * args.concurrency
    counters = math.ceil((args.visits + warm) / VISITS_PER_COUNTER)
    targets = prepare_database(url, counters)
    checkpoint(url)  # PostgreSQL: the set-up's dirty pages are not written in a measured round
    database = urllib.parse.urlsplit(url).path.lstrip("/") if name == "postgresql" else None
    rng = random.Random(20261202)
    with tempfile.TemporaryDirectory(prefix="visit-bench-") as workdir:
        (Path(workdir) / "app").mkdir()
        (Path(workdir) / "bare").mkdir()
        env = {"RATELIMIT_ENABLED": "1"}  # as shipped: wsgi:app reads the rest from its defaults
        ours = Server(url, args.workers, args.threads, Path(workdir) / "app", app="wsgi:app",
                      ready_path="/", env=env, database=database)
        bare = None
        try:
            bare = Server(url, args.workers, args.threads, Path(workdir) / "bare",
                          app="bench.bare_app:app", ready_path="/",
                          config=ROOT / "bench" / "bare_gunicorn.conf.py")
            numbers = iter(range(10**6))
            plan = [(next(numbers), targets[i % len(targets)]) for i in range(warm + args.visits)]

            def our_visit(job):
                number, target = job
                return visit(ours.port, address(number), target, random.Random(number))

            def their_visit(number):
                return bare_visit(bare.port, address(number))

            scratch = {step: Phase() for step in STEPS}
            run_round(plan[:warm], our_visit, args.concurrency, {}, Phase(), scratch)
            run_round(range(warm), their_visit, args.concurrency, {}, Phase(), dict(scratch))
            visits, bare_visits = Phase(), Phase()
            steps = {step: Phase() for step in STEPS}
            bare_steps = {step: Phase() for step in STEPS}
            per_round = args.visits // args.rounds
            for number in range(args.rounds):
                chosen = plan[warm + number * per_round:warm + (number + 1) * per_round]
                run_round([n for n, _ in chosen], their_visit, args.concurrency,
                          {"bare": bare}, bare_visits, bare_steps)
                run_round(chosen, our_visit, args.concurrency, {"app": ours}, visits, steps)
        finally:
            ours.stop()
            if bare is not None:
                bare.stop()
        times = server_step_times(ours)
        errors = ours.server_errors()
    counts = stored_counts(url)
    result = {
        "visit": visit_summary(visits, "app", database is not None),
        "steps": {step: step_summary(steps[step], times[step][warm:]) for step in STEPS},
        "bare_visit": visit_summary(bare_visits, "bare", False),
        "counters": counters,
        "stored_responses": counts["stored"],
        "expected_responses": warm + args.visits,
        "flagged_too_fast": counts["flagged_too_fast"],
        "server_errors": errors,
    }
    cost = result["visit"]["cpu_ms"]["server"] + result["visit"]["cpu_ms"]["database"]
    result["visit_cost_ms"] = round(cost, 3)
    result["ratio_cost"] = round(cost / result["bare_visit"]["cpu_ms"]["server"], 2)
    result["ratio_server_only"] = round(
        result["visit"]["cpu_ms"]["server"] / result["bare_visit"]["cpu_ms"]["server"], 2)
    result["ratio_throughput"] = round(
        result["bare_visit"]["per_second"] / result["visit"]["per_second"], 2)
    return result


# --- report ---------------------------------------------------------------------------------

def markdown(report: dict) -> str:
    s, m = report["settings"], report["machine"]
    lines = [
        f"# Visit benchmark, {report['date']}{' (' + s['label'] + ')' if s['label'] else ''}",
        "",
        f"gunicorn (gunicorn.conf.py; workers × threads {s['workers'] or 'default'} × "
        f"{s['threads'] or 'default'}) serving `wsgi:app` as shipped (rate limits and abuse checks "
        f"on) and bench/bare_app.py; {s['visits']} visits of each in {s['rounds']} rounds, "
        f"{s['concurrency']} client threads, each visit a fresh device on its own connection from "
        f"its own loopback address; {m['cpus']} CPUs, load average {m['loadavg_start']} at start, "
        f"{m['loadavg_end']} at end; commit {report['commit']}.",
        "",
        "Cost: server CPU (gunicorn and its workers) plus, on PostgreSQL, the CPU of its backends "
        "serving the benchmark's database and of its background processes, per visit, over the "
        "bare app's server CPU per bare visit (three GETs).",
        "",
        "| backend | visits/s | bare visits/s | visit CPU ms (server + db) | bare visit CPU ms "
        "| cost ratio | goal ≤ 3× | form p50/p99 ms | submit p50/p99 ms | receipt p50/p99 ms "
        "| stored / expected | flagged too fast |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for backend, r in report["backends"].items():
        v, b, st = r["visit"], r["bare_visit"], r["steps"]
        lines.append(
            f"| {backend} | {v['per_second']} | {b['per_second']} | {r['visit_cost_ms']} "
            f"({v['cpu_ms']['server']} + {v['cpu_ms']['database']}) | {b['cpu_ms']['server']} | "
            f"{r['ratio_cost']}× | {'met' if r['ratio_cost'] <= GOAL_RATIO else 'missed'} | "
            + " | ".join(f"{st[k]['p50_ms']} / {st[k]['p99_ms']}" for k in STEPS)
            + f" | {r['stored_responses']} / {r['expected_responses']} | "
              f"{r['flagged_too_fast']} |")
    lines += ["", "Server-side p50 per step (gunicorn's request time), and throughput ratio:", "",
              "| backend | form | submit | receipt | bare/visit throughput | server-only cost ratio |",
              "|---|---:|---:|---:|---:|---:|"]
    for backend, r in report["backends"].items():
        lines.append(f"| {backend} | " + " | ".join(
            f"{r['steps'][k]['server_p50_ms']}" for k in STEPS)
            + f" | {r['ratio_throughput']}× | {r['ratio_server_only']}× |")
    lines += ["", "Every visit answers instantly, so the shipped \"too fast\" check flags each "
              "response: flagged responses are stored and counted like the others."]
    for backend, r in report["backends"].items():
        for error, count in r.get("server_errors", {}).items():
            lines.append(f"\n{backend}: {count} × `{error}` in the server's error log.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--visits", type=int, default=1200)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--quick", action="store_true",
                        help="400 visits in 2 rounds, 8 client threads: under 2 minutes")
    parser.add_argument("--workers", type=int, help="default: gunicorn.conf.py")
    parser.add_argument("--threads", type=int, help="default: gunicorn.conf.py")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--label", default="", help="added to the name, e.g. before-cache")
    parser.add_argument("--name", help="default: visit-YYYY-MM-DD[-LABEL]")
    args = parser.parse_args(argv)
    if args.quick:
        args.visits, args.rounds, args.concurrency = 400, 2, 8
    args.visits -= args.visits % args.rounds
    args.name = args.name or "-".join(filter(None, (f"visit-{date.today()}", args.label)))

    urls = backend_urls(args.backends)
    report = {
        **run_header(),
        "settings": {key: getattr(args, key) for key in
                     ("visits", "rounds", "concurrency", "workers", "threads", "label")},
        "goal_ratio": GOAL_RATIO,
        "backends": {},
    }
    for backend, url in urls.items():
        print(f"{backend}: {args.visits} visits and bare visits ...", flush=True)
        report["backends"][backend] = bench_backend(backend, url, args)
        print(json.dumps(report["backends"][backend], indent=1), flush=True)
    report["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{args.name}.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / f"{args.name}.md").write_text(markdown(report))
    print(markdown(report))
    failed = any(r["stored_responses"] != r["expected_responses"] or r["visit"]["failed"]
                 or r["server_errors"] for r in report["backends"].values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
