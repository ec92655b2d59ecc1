"""Where a visit's CPU goes: one thread, in process (Flask test clients, no network, no gunicorn).

Median thread CPU time of each step of a visit (form GET, submission POST, receipt GET; the app as
shipped, rate limits on, a fresh device and address each time) and of a bare app's request, then a
cProfile of N visits listing the functions by cumulative time. Companion of visit_bench.py.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bare_app import app as bare_app  # noqa: E402
from bench.submit_bench import answers, prepare_database, scratch_dir  # noqa: E402
from bench.visit_bench import address  # noqa: E402
from tests.factories import hidden_fields  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    import random

    from app import create_app

    url = f"sqlite:///{scratch_dir()}/profile.db"
    targets = prepare_database(url, counters=args.n * 3 // 30 + 2)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "profile"})
    cpu: dict[str, list[float]] = {"form": [], "submit": [], "receipt": [], "bare": []}

    def timed(step, call):
        start = time.thread_time()
        reply = call()
        cpu[step].append((time.thread_time() - start) * 1000)
        return reply

    def visit(number: int) -> None:
        client, target = app.test_client(), targets[number % len(targets)]
        environ = {"REMOTE_ADDR": address(number)}
        path = f"/s/{target['code']}"
        page = timed("form", lambda: client.get(path, environ_base=environ))
        form = {**hidden_fields(page.text), **answers(random.Random(number), target)}
        posted = timed("submit", lambda: client.post(path, data=form, environ_base=environ))
        assert posted.status_code == 303, posted.status_code
        timed("receipt", lambda: client.get(posted.location, environ_base=environ))
        bare = bare_app.test_client()
        timed("bare", lambda: bare.get("/"))

    for number in range(args.n):  # warm, then timed
        visit(number)
    for values in cpu.values():
        values.clear()
    for number in range(args.n, 2 * args.n):
        visit(number)
    medians = {step: statistics.median(values) for step, values in cpu.items()}
    visit_ms = medians["form"] + medians["submit"] + medians["receipt"]
    print("median thread CPU ms: " + ", ".join(f"{k} {v:.3f}" for k, v in medians.items()))
    print(f"visit {visit_ms:.3f} ms = {visit_ms / (3 * medians['bare']):.1f}x three bare requests")
    profile = cProfile.Profile()
    profile.enable()
    for number in range(2 * args.n, 3 * args.n):
        visit(number)
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
