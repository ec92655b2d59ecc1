"""Where a submission's time goes: one thread, in process (Flask test client, no network).

Times the bare hello, the database floor (`/_bench/db`: one SELECT and a commit), the form GET
and the submission POST (median of N, no profiler), then profiles N more of each with cProfile and
prints the project's functions by cumulative time. Companion of submit_bench.py; see bench/README.md.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.submit_bench import answers, prepare_database, scratch_dir  # noqa: E402
from tests.factories import hidden_fields  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    if args.backend == "sqlite":
        url = f"sqlite:///{scratch_dir()}/bench.db"
    else:
        url = os.environ.get("BENCH_DATABASE_URL", "")
        if not urlname(url).startswith("suarawarga_bench"):
            raise SystemExit("set BENCH_DATABASE_URL to a database named suarawarga_bench*")
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)

    from app import create_app
    from bench.endpoints import register

    targets = prepare_database(url)
    app = register(create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "profile",
                               "RATELIMIT_ENABLED": False, "ABUSE_MIN_SECONDS": 0}))
    from surveys.db import db

    rng = random.Random(1)
    statements = {"count": 0}
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute",
                     lambda *_: statements.__setitem__("count", statements["count"] + 1))
    queries: dict[str, list[int]] = {kind: [] for kind in ("hello", "db", "form", "submit")}
    profiles = {kind: cProfile.Profile() for kind in ("hello", "db", "form", "submit")}
    times: dict[str, list[float]] = {kind: [] for kind in profiles}

    def timed(kind: str, profile: bool, call):
        if profile:
            profiles[kind].enable()
        before = statements["count"]
        start = time.perf_counter()
        reply = call()
        times[kind].append((time.perf_counter() - start) * 1000)
        queries[kind].append(statements["count"] - before)
        if profile:
            profiles[kind].disable()
        return reply

    for round_ in ("warm", "time", "profile"):
        for _ in range(20 if round_ == "warm" else args.n):
            client, target = app.test_client(), rng.choice(targets)
            profile = round_ == "profile"
            timed("hello", profile, lambda: client.get("/_bench/hello"))
            timed("db", profile, lambda: client.get("/_bench/db"))
            page = timed("form", profile, lambda: client.get(f"/s/{target['code']}"))
            form = {**hidden_fields(page.text), **answers(rng, target)}
            posted = timed("submit", profile, lambda: client.post(f"/s/{target['code']}", data=form))
            assert posted.status_code == 303, posted.status_code
        if round_ == "warm":
            times = {kind: [] for kind in profiles}
        if round_ == "time":
            medians = {kind: statistics.median(values) for kind, values in times.items()}
    print(f"{args.backend}, single thread, in process: median ms "
          + ", ".join(f"{kind} {ms:.2f}" for kind, ms in medians.items())
          + f"; submit/hello {medians['submit'] / medians['hello']:.1f}×; SQL statements per "
          + "request (median): " + ", ".join(
              f"{kind} {statistics.median(values):g}" for kind, values in queries.items()))
    for kind in ("form", "submit"):
        out = io.StringIO()
        stats = pstats.Stats(profiles[kind], stream=out).sort_stats("cumulative")
        stats.print_stats(r"/work/main/(app|surveys|analysis)/|rollup|psycopg/connection|render", args.top)
        print(f"\n=== {kind}: project functions by cumulative time ({args.n} requests) ===")
        print(out.getvalue().split("ncalls", 1)[-1][:6000])
    return 0


def urlname(url: str) -> str:
    return url.rsplit("/", 1)[-1] if url else ""


if __name__ == "__main__":
    sys.exit(main())
