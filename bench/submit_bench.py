"""Submissions per second through gunicorn, next to a bare Flask "hello" on the same server.

For each database backend: prepare a fresh schema with one unit and a few counters, start
gunicorn (bench/wsgi_bench.py) on a loopback port, then from this process (the client; the server
is separate) run rounds of: N bare GETs of /_bench/hello, N form GETs (each a new citizen: no
cookie, so a fresh session and CSRF token), N POSTs of those forms, and one POST /_bench/fold that
adds the round's queued submissions to the roll-up. The submission is the POST plus its share of
the fold; the form GET is reported on its own. Writes JSON and a markdown table.
See bench/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import atexit
import shutil
import tempfile
import urllib.parse
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import Client, Phase, Server, session_cookie  # noqa: E402
from tests.factories import hidden_fields  # noqa: E402

GOAL_RATIO = 3.0
COUNTERS = 10


def scratch_dir() -> str:
    """A temporary directory for the SQLite database, removed when the run ends."""
    path = tempfile.mkdtemp(prefix="submit-bench-")
    atexit.register(shutil.rmtree, path, True)
    return path


# --- database -------------------------------------------------------------------------------

def prepare_database(url: str, counters: int = COUNTERS) -> list[dict]:
    """Empty schema plus one unit with `counters` counters, two officers on duty at each.

    Returns, per counter touchpoint, its public code, officer ids and service ids.
    """
    from app import create_app
    from surveys.db import db
    from surveys.models import (
        Counter, CounterAssignment, Organization, Service, Staff, Touchpoint, Unit,
    )
    from surveys.responses.instruments import ensure_default_instrument

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-setup"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        ensure_default_instrument(db.session)
        org = Organization(code="bench", name="Pemerintah Kota Bench")
        unit = Unit(organization=org, code="bench", name="Unit Bench", timezone="Asia/Makassar")
        services = [Service(unit=unit, code=f"s{i}", name=f"Layanan {i}") for i in range(3)]
        db.session.add_all([org, unit, *services])
        touchpoints = []
        for c in range(counters):
            counter = Counter(unit=unit, code=f"L{c}", name=f"Loket {c}")
            officers = [
                Staff(nip=f"19850312201001{1 + s}{2 * c + s + 1:03d}", name=f"Petugas {c}-{s}",
                      position="Pelaksana", unit=unit)
                for s in range(2)
            ]
            db.session.add_all([counter, *officers])
            db.session.add_all(CounterAssignment(staff=o, counter=counter, starts_on=date(2026, 1, 1))
                               for o in officers)
            touchpoint = Touchpoint(kind="counter", unit=unit, counter=counter)
            db.session.add(touchpoint)
            touchpoints.append((touchpoint, officers))
        db.session.commit()
        result = [{"code": tp.public_code, "staff": [o.id for o in officers],
                   "services": [s.id for s in services]} for tp, officers in touchpoints]
        db.engine.dispose()
    return result


def checkpoint(url: str) -> bool:
    """PostgreSQL: writes out what setting up the schema dirtied (a thousand files are created
    and dropped), so that no checkpoint of the set-up is charged to the requests measured.
    Needs the role `pg_checkpoint` (README); returns whether it ran."""
    from sqlalchemy import create_engine, exc, text

    if not url.startswith("postgresql"):
        return False
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("CHECKPOINT"))
        return True
    except exc.ProgrammingError as refused:
        print(f"no CHECKPOINT before measuring ({refused.orig}); "
              "GRANT pg_checkpoint TO the bench role", file=sys.stderr)
        return False
    finally:
        engine.dispose()


def count_responses(url: str) -> int:
    from sqlalchemy import create_engine, func, select

    from surveys.models import Response

    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(Response))
    engine.dispose()
    return count


# --- one backend ----------------------------------------------------------------------------

def answers(rng: random.Random, target: dict) -> dict[str, str]:
    form = {f"U{j}": str(rng.choice((2, 3, 3, 4, 4))) for j in range(1, 10)}
    form["OFFICER"] = str(rng.randint(2, 4))
    form["staff"] = str(rng.choice(target["staff"]))
    form["service"] = str(rng.choice(target["services"]))
    return form


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(phase: Phase, server_ms: list[float]) -> dict:
    ok = sum(n for status, n in phase.statuses.items() if status in (200, 303))
    count = len(phase.latencies_ms)
    return {
        "requests": count,
        "per_second": round(count / sum(phase.seconds), 1),
        "per_second_rounds": [round(count / len(phase.seconds) / s, 1) for s in phase.seconds],
        "p50_ms": round(percentile(phase.latencies_ms, 0.50), 2),
        "p99_ms": round(percentile(phase.latencies_ms, 0.99), 2),
        "server_p50_ms": round(percentile(server_ms, 0.50), 2) if server_ms else None,
        "server_mean_ms": round(statistics.fmean(server_ms), 2) if server_ms else None,
        # CPU milliseconds per request: the server's own, the database server's, the client's
        "cpu_ms": {part: round(seconds * 1000 / count, 3)
                   for part, seconds in sorted(phase.cpu_seconds.items())},
        "statuses": {str(k): v for k, v in sorted(phase.statuses.items())},
        "errors": count - ok,
    }


def cost_ms(result: dict) -> float:
    """What a request costs the machine serving it: server plus database CPU time."""
    return result["cpu_ms"]["server"] + result["cpu_ms"].get("database", 0.0)


def bench_backend(name: str, url: str, args) -> dict:
    targets = prepare_database(url)
    checkpointed = checkpoint(url)
    rng = random.Random(20261123)
    with tempfile.TemporaryDirectory(prefix="submit-bench-") as workdir:
        server = Server(url, args.workers, args.threads, Path(workdir))
        try:
            client = Client(server.port, args.concurrency)
            # Warm-up (not measured): one form first, since the first one creates the instrument.
            first = targets[0]
            status, headers, page, _ = client.request("GET", f"/s/{first['code']}")
            assert status == 200, f"form GET answered {status}"
            for path in ("/_bench/hello", "/_bench/db"):
                client.run(range(100), lambda _, path=path: (*client.request("GET", path)[::3], None),
                           Phase())

            hello, floor, form, submit, fold = Phase(), Phase(), Phase(), Phase(), Phase()
            per_round = args.submissions // args.rounds
            for _round in range(args.rounds):
                client.run(range(per_round),
                           lambda _: (*client.request("GET", "/_bench/hello")[::3], None),
                           hello, server)
                client.run(range(per_round),
                           lambda _: (*client.request("GET", "/_bench/db")[::3], None),
                           floor, server)
                chosen = [rng.choice(targets) for _ in range(per_round)]

                def get_form(target):
                    status, headers, page, ms = client.request("GET", f"/s/{target['code']}")
                    fields = hidden_fields(page.decode())
                    return status, ms, (target, session_cookie(headers), fields)

                forms = client.run(chosen, get_form, form, server)
                posts = [(t, cookie, urllib.parse.urlencode({**fields, **answers(rng, t)}).encode())
                         for t, cookie, fields in forms]

                def post_form(job):
                    target, cookie, body = job
                    status, _, _, ms = client.request(
                        "POST", f"/s/{target['code']}", body=body,
                        headers={"Cookie": cookie,
                                 "Content-Type": "application/x-www-form-urlencoded"})
                    return status, ms, None

                client.run(posts, post_form, submit, server)
                # What the submissions left to the roll-up: one fold of this round's queue.
                client.run([None], lambda _: (*client.request("POST", "/_bench/fold")[::3], None),
                           fold, server)
        finally:
            server.stop()
        times = server.server_times()
        server_errors = server.server_errors()
        stored = count_responses(url)
    submissions = per_round * args.rounds
    result = {
        "hello": summary(hello, times["hello"][-submissions:]),
        "db_floor": summary(floor, times["db"][-submissions:]),
        "form_get": summary(form, times["form"][-submissions:]),
        "submit": summary(submit, times["submit"]),
        "fold": summary(fold, []),
        "stored_responses": stored,
        "checkpoint_before_measuring": checkpointed,
        "server_errors": server_errors,
    }
    # Each submission is charged its share of the folds that added it to the roll-up.
    fold_seconds = sum(fold.seconds)
    result["fold_share"] = {
        "cpu_ms_per_submission": round(cost_ms(result["fold"]) * len(fold.seconds) / submissions, 3),
        "ms_per_submission": round(fold_seconds * 1000 / submissions, 3),
    }
    submit_seconds = sum(submit.seconds) + fold_seconds
    result["ratio_throughput"] = round(
        result["hello"]["per_second"] / (submissions / submit_seconds), 2)
    result["ratio_cost"] = round(
        (cost_ms(result["submit"]) + result["fold_share"]["cpu_ms_per_submission"])
        / cost_ms(result["hello"]), 2)
    result["ratio_p50"] = round(result["submit"]["p50_ms"] / result["hello"]["p50_ms"], 2)
    result["floor_ratio_throughput"] = round(
        result["hello"]["per_second"] / result["db_floor"]["per_second"], 2)
    result["floor_ratio_cost"] = round(cost_ms(result["db_floor"]) / cost_ms(result["hello"]), 2)
    return result


# --- report ---------------------------------------------------------------------------------

def markdown(report: dict) -> str:
    s = report["settings"]
    lines = [
        f"# Submission benchmark, {report['date']}",
        "",
        f"gunicorn (gunicorn.conf.py: gthread, {s['workers'] or 'default'} workers × "
        f"{s['threads'] or 'default'} threads) on 127.0.0.1; client: {s['concurrency']} threads "
        f"in a separate process, keep-alive; {s['submissions']} requests of each kind in "
        f"{s['rounds']} rounds; {report['machine']['cpus']} CPUs, load average "
        f"{report['machine']['loadavg_start']} at start; commit {report['commit']}.",
        "",
        "CPU ms per request: the server's (gunicorn and its workers), the database server's "
        "(PostgreSQL processes; SQLite runs inside the server) and the client's, in "
        "nanoseconds from each thread's schedstat, ended processes counted by their parent; "
        "\"background\" is the part of the database's used by PostgreSQL processes that serve no "
        "client (autovacuum, WAL writer, checkpointer; an autovacuum worker that ended meanwhile "
        "counts in the total only).",
        *(f"PostgreSQL: CHECKPOINT after setting up the schema, before measuring: "
          f"{'yes' if r['checkpoint_before_measuring'] else 'no (the role lacks pg_checkpoint)'}."
          for name, r in report["backends"].items() if name == "postgresql"),
        "",
        "| backend | request | req/s | p50 ms | p99 ms | server p50 ms | CPU server | CPU database "
        "| of which background | CPU client | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    labels = (("hello", "bare hello (GET)"), ("db_floor", "database floor: SELECT 1 + commit (GET)"),
              ("form_get", "form (GET)"), ("submit", "submission (POST)"))
    for backend, r in report["backends"].items():
        for key, label in labels:
            x, cpu = r[key], r[key]["cpu_ms"]
            lines.append(f"| {backend} | {label} | {x['per_second']} | {x['p50_ms']} | "
                         f"{x['p99_ms']} | {x['server_p50_ms']} | {cpu['server']} | "
                         f"{cpu.get('database', 0.0)} | {cpu.get('database_background', 0.0)} | "
                         f"{cpu['client']} | {x['errors']} |")
    lines += ["", "Each submission is charged its share of the roll-up folds (one `POST /_bench/fold` "
              "after each round, what `flask stats fold` or a public page view does):", "",
              "| backend | folds | fold CPU ms (server + database) | per submission: CPU ms | "
              "per submission: wall ms |", "|---|---:|---:|---:|---:|"]
    for backend, r in report["backends"].items():
        f = r["fold"]
        lines.append(f"| {backend} | {f['requests']} | {round(cost_ms(f), 2)} | "
                     f"{r['fold_share']['cpu_ms_per_submission']} | "
                     f"{r['fold_share']['ms_per_submission']} |")
    lines += ["", "| backend | hello/submit throughput | submit/hello cost (server + database CPU) "
              "| submit/hello p50 | floor: hello/db throughput | floor: db/hello cost "
              "| stored / expected | goal ≤ 3× |", "|---|---:|---:|---:|---:|---:|---:|---|"]
    for backend, r in report["backends"].items():
        verdict = "met" if max(r["ratio_throughput"], r["ratio_cost"]) <= GOAL_RATIO else "missed"
        lines.append(f"| {backend} | {r['ratio_throughput']}× | {r['ratio_cost']}× | "
                     f"{r['ratio_p50']}× | {r['floor_ratio_throughput']}× | "
                     f"{r['floor_ratio_cost']}× | {r['stored_responses']} / "
                     f"{r['expected_responses']} | {verdict} |")
    for backend, r in report["backends"].items():
        for error, count in r.get("server_errors", {}).items():
            lines.append(f"\n{backend}: {count} × `{error}` in the server's error log.")
    return "\n".join(lines) + "\n"


def backend_urls(backends: str) -> dict[str, str]:
    """The database URL of each benchmarked backend: a scratch SQLite file, and PostgreSQL from
    BENCH_DATABASE_URL (a database named suarawarga_bench*, whose tables are dropped)."""
    urls = {}
    for backend in backends.split(","):
        if backend == "sqlite":
            urls["sqlite"] = f"sqlite:///{scratch_dir()}/bench.db"
        elif backend == "postgresql":
            url = os.environ.get("BENCH_DATABASE_URL")
            if not url:
                raise SystemExit("set BENCH_DATABASE_URL=postgresql://.../suarawarga_bench... "
                                 "(its tables are dropped and recreated) or pass --backends sqlite")
            if not urllib.parse.urlsplit(url).path.lstrip("/").startswith("suarawarga_bench"):
                raise SystemExit("refusing to drop the tables of a database not named suarawarga_bench*")
            urls["postgresql"] = url.replace("postgresql://", "postgresql+psycopg://", 1)
        else:
            raise SystemExit(f"unknown backend {backend!r}")
    return urls


def run_header() -> dict:
    """When, on which commit (marked when the tree has uncommitted changes) and machine."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    if subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                      capture_output=True, text=True).stdout.strip():
        commit += "+uncommitted changes"
    return {
        "date": date.today().isoformat(),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "loadavg_start": [round(x, 2) for x in os.getloadavg()]},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, help="default: gunicorn.conf.py")
    parser.add_argument("--threads", type=int, help="default: gunicorn.conf.py")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--name", default=f"submit-{date.today().isoformat()}")
    args = parser.parse_args(argv)
    args.submissions -= args.submissions % args.rounds

    urls = backend_urls(args.backends)
    report = {
        **run_header(),
        "settings": {key: getattr(args, key) for key in
                     ("submissions", "rounds", "concurrency", "workers", "threads")},
        "goal_ratio": GOAL_RATIO,
        "backends": {},
    }
    for backend, url in urls.items():
        print(f"{backend}: {args.submissions} hello, form GETs and submissions ...", flush=True)
        result = bench_backend(backend, url, args)
        result["expected_responses"] = args.submissions
        report["backends"][backend] = result
        print(json.dumps(result, indent=1), flush=True)
    report["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{args.name}.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / f"{args.name}.md").write_text(markdown(report))
    print(markdown(report))
    failed = any(r["stored_responses"] != r["expected_responses"] or r["submit"]["errors"]
                 for r in report["backends"].values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
