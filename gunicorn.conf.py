"""gunicorn settings for `make run` and the submission benchmark.

PostgreSQL: processes, not threads. A submission is short bursts of Python between database round
trips; threads of one process queue for the GIL after every round trip (4 workers × 4 threads
served fewer submissions than one thread per worker: bench/results/submit-2026-11-23.md).
SQLite (the default database): one process with threads. SQLite takes one writer at a time
anyway, and one process keeps the in-memory rate limits exact (each process counts on its own).
GUNICORN_WORKERS and GUNICORN_THREADS override the defaults.
"""
import multiprocessing
import os

_postgresql = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql"))
workers = int(os.environ.get("GUNICORN_WORKERS",
                             2 * multiprocessing.cpu_count() + 1 if _postgresql else 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1 if _postgresql else 8))
worker_class = "gthread"  # keeps connections alive even with one thread
keepalive = 5


def when_ready(server):
    """Say so when rate limits are counted per process (README "Configuration")."""
    storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    if workers > 1 and storage.startswith("memory://"):
        server.log.warning(
            "rate limits are counted in each of the %d worker processes: a limit can let up to "
            "%d times its number through; set RATELIMIT_STORAGE_URI (e.g. redis://...)",
            workers, workers)

