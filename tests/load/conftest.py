"""A real gunicorn server (several worker processes, threads in each) on the test database."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
# Importing the app (pandas, scipy) takes seconds on a busy machine: --preload imports it once in
# the master before forking, and the wait allows for a loaded CI runner.
STARTUP_SECONDS = 120
# SQLite allows one writer at a time and pysqlite waits 5 s for the lock: with 16 concurrent
# requests on a loaded machine some waits run out ("database is locked", a 500; see
# bench/results/submit-2026-11-23.md), so SQLite gets 4 concurrent requests. PostgreSQL must
# take the full shape.
SERVER_SHAPE = {"postgresql": (4, 4), "sqlite": (2, 2)}  # (worker processes, threads each)


def pytest_configure(config):
    config.addinivalue_line("markers", "load: drives a real gunicorn server with concurrent clients")


def _backend(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


def _wait_until_serving(base_url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(base_url + "/", timeout=10) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    pytest.fail(f"gunicorn did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")


@pytest.fixture
def gunicorn_server(app, database_url, tmp_path):
    """Serves tests/load/wsgi_load.py (rate limits off) on a free loopback port; yields (base
    URL, backend). Depends on `app`, whose teardown empties the tables afterwards."""
    yield from _serve("tests.load.wsgi_load:app", database_url, tmp_path, {"RATELIMIT_ENABLED": "0"})


@pytest.fixture
def shipped_gunicorn_server(app, database_url, tmp_path):
    """Serves the app as shipped (wsgi.py: rate limits and abuse checks on); yields (base URL,
    backend). Each simulated citizen must then come from its own loopback address (DESIGN §8)."""
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith(("RATELIMIT_", "ABUSE_"))}
    yield from _serve("wsgi:app", database_url, tmp_path, {}, environment)


def _serve(app_path: str, database_url: str, tmp_path: Path, settings: dict,
           environment: dict | None = None):
    """gunicorn with the load tests' shape; the listening socket is opened here and handed to
    gunicorn (`fd://`), so no other process can take the port in between."""
    backend = _backend(database_url)
    workers, threads = SERVER_SHAPE[backend]
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    listener.set_inheritable(True)
    port = listener.getsockname()[1]
    env = {
        **(os.environ if environment is None else environment),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "load-test-secret",
        "PYTHONPATH": str(ROOT),
        **settings,
    }
    log = tmp_path / "gunicorn.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [str(GUNICORN), "--bind", f"fd://{listener.fileno()}", "--workers", str(workers),
             "--threads", str(threads), "--worker-class", "gthread", "--no-control-socket",
             "--graceful-timeout", "5", "--preload", "--timeout", "60", app_path],
            cwd=ROOT, env=env, pass_fds=(listener.fileno(),), stdout=log_file, stderr=log_file,
        )
    listener.close()  # gunicorn holds its own copy
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base_url, process, log)
        yield base_url, backend
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    server_errors = [line for line in log.read_text().splitlines() if "Traceback" in line]
    assert not server_errors, f"the server logged errors:\n{log.read_text()}"
