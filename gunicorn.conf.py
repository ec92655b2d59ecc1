"""gunicorn settings for `make run` and the submission benchmark: processes, not threads.

A submission is short bursts of Python between database round trips. Threads of one process
queue for the GIL after every round trip; with 4 workers × 4 threads the same machine served
fewer submissions than with one thread per worker (bench/results/submit-2026-11-23.md).
GUNICORN_WORKERS and GUNICORN_THREADS override the defaults.
"""
import multiprocessing
import os

workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_class = "gthread"  # keeps connections alive even with one thread
keepalive = 5
