"""gunicorn settings for `make run` and the submission benchmark.

PostgreSQL: processes, not threads. A submission is short bursts of Python between database round
trips; threads of one process queue for the GIL after every round trip (4 workers × 4 threads
served fewer submissions than one thread per worker: bench/results/submit-2026-11-23.md).
SQLite (the default database): one process with threads. SQLite takes one writer at a time
anyway, and one process keeps the in-memory rate limits exact (each process counts on its own).
GUNICORN_WORKERS and GUNICORN_THREADS override the defaults.

Slow clients: production sits behind a buffering proxy (nginx, README "Deployment"), which takes
whole requests from slow phones and hands them over at once; `make run` has no proxy, so a client
that goes quiet mid-request is dropped after GUNICORN_CLIENT_TIMEOUT seconds (see post_fork).
"""
import multiprocessing
import os
import socket
import struct

_postgresql = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql"))
workers = int(os.environ.get("GUNICORN_WORKERS",
                             2 * multiprocessing.cpu_count() + 1 if _postgresql else 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1 if _postgresql else 8))
worker_class = "gthread"  # keeps connections alive even with one thread
keepalive = 5  # seconds an idle kept-alive connection is held (in the poller, not a thread)
timeout = 30  # a worker whose main loop is silent this long is restarted
# Seconds a client may go quiet while sending a request or receiving an answer.
_client_timeout = int(os.environ.get("GUNICORN_CLIENT_TIMEOUT", 5))


def post_fork(server, worker):
    """Drop a client that stalls mid-request within GUNICORN_CLIENT_TIMEOUT seconds.

    gunicorn 27 has no setting for it: its gthread worker waits 5 s for a request's first bytes,
    then reads the headers and body with blocking calls and no limit, so a client that sends its
    headers and stalls its body would hold a thread for good. A receive and send timeout on the
    listening socket is inherited by every accepted connection (Linux): a stalled read then fails,
    the app sees a client that disconnected (400) and gunicorn closes the connection.
    """
    limit = struct.pack("ll", _client_timeout, 0)
    for listener in worker.sockets:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, limit)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, limit)


def when_ready(server):
    """Say so when rate limits are counted per process (README "Configuration")."""
    storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    if workers > 1 and storage.startswith("memory://"):
        server.log.warning(
            "rate limits are counted in each of the %d worker processes: a limit can let up to "
            "%d times its number through; set RATELIMIT_STORAGE_URI (e.g. redis://...)",
            workers, workers)

