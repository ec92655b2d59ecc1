"""The benchmark's harness: gunicorn on a loopback socket, and a keep-alive client pool."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).parent / "gunicorn"


# --- server ---------------------------------------------------------------------------------

class Server:
    """gunicorn on a loopback socket opened here (fd://), access log with request times (µs)."""

    def __init__(self, url: str, workers: int | None, threads: int | None, workdir: Path, *,
                 app: str = "bench.wsgi_bench:app", ready_path: str = "/_bench/hello",
                 config: Path = ROOT / "gunicorn.conf.py", env: dict | None = None,
                 database: str | None = None):
        """`env` adds to or overrides the server's environment; `database` (a name) counts only
        the PostgreSQL backends serving that database, plus the background processes."""
        self.access_log = workdir / "access.log"
        self.error_log = workdir / "error.log"
        self.ready_path = ready_path
        self.database = database
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(2048)
        listener.set_inheritable(True)
        self.port = listener.getsockname()[1]
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret",
               "RATELIMIT_ENABLED": "0", "PYTHONPATH": str(ROOT), **(env or {})}
        self.process = subprocess.Popen(
            [str(GUNICORN), "--config", str(config),
             "--bind", f"fd://{listener.fileno()}",
             *(["--workers", str(workers)] if workers else []),
             *(["--threads", str(threads)] if threads else []),
             "--no-control-socket", "--preload", "--access-logfile", str(self.access_log),
             "--access-logformat", "%(m)s %(U)s %(s)s %(D)s", "--error-logfile", str(self.error_log),
             app],
            cwd=ROOT, env=env, pass_fds=(listener.fileno(),),
        )
        listener.close()
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{self.error_log.read_text()}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", self.ready_path)
                if connection.getresponse().status == 200:
                    connection.close()
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("gunicorn did not answer within 120 s")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def server_errors(self) -> dict[str, int]:
        """The last line of every traceback in gunicorn's error log, counted."""
        errors: dict[str, int] = {}
        lines = self.error_log.read_text().splitlines()
        for number, line in enumerate(lines):
            if line.startswith("Traceback"):
                end = number + 1
                while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end]):
                    end += 1
                following = " ".join(lines[end + 1:end + 3])
                if "The above exception" in following or "During handling" in following:
                    continue  # a chained exception: count only the one that ended the request
                last = lines[end] if end < len(lines) else "?"
                errors[last[:300]] = errors.get(last[:300], 0) + 1
        return errors

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time used so far by the server (gunicorn and its workers) and by PostgreSQL."""
        return {"server": _cpu_seconds(lambda pid, ppid, _name: self.process.pid in (pid, ppid)),
                "database": _cpu_seconds(
                    lambda pid, _ppid, name: name.startswith("postgres")
                    and (self.database is None or _background(pid) or _serves(pid, self.database))),
                # part of "database": autovacuum, the WAL writer, the checkpointer, ...
                "database_background": _cpu_seconds(
                    lambda pid, _ppid, name: name.startswith("postgres") and _background(pid))}

    def server_times(self) -> dict[str, list[float]]:
        """Server-side milliseconds per request kind, from the access log (excludes the client)."""
        kinds: dict[str, list[float]] = {"hello": [], "db": [], "form": [], "submit": []}
        for line in self.access_log.read_text().splitlines():
            method, path, _status, micros = line.split()
            kind = ("hello" if path.startswith("/_bench/hello") else
                    "db" if path.startswith("/_bench/db") else
                    "form" if method == "GET" and path.startswith("/s/") else
                    "submit" if method == "POST" else None)
            if kind:
                kinds[kind].append(int(micros) / 1000)
        return kinds


def _cpu_seconds(chosen) -> float:
    """CPU seconds of the processes `chosen(pid, ppid, name)` picks, from /proc.

    Each live process counts its threads' run time in nanoseconds (`task/*/schedstat`; the
    `stat` file counts in 10 ms ticks, too coarse for a round of a few seconds over a dozen
    processes), plus what its ended children used (`cutime`, `cstime`). A backend or an
    autovacuum worker that ends during a round so moves its time to its parent's count instead
    of taking it out of the sum.
    """
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                line = stat.read()
            name = line[line.index("(") + 1:line.rindex(")")]
            fields = line[line.rindex(")") + 2:].split()
            if not chosen(int(entry), int(fields[1]), name):
                continue
            own = sum(_run_nanoseconds(f"/proc/{entry}/task/{task}/schedstat")
                      for task in os.listdir(f"/proc/{entry}/task"))
        except OSError:
            continue  # the process ended meanwhile: its parent counts it from now on
        total += own / 1e9 + (int(fields[13]) + int(fields[14])) / tick
    return total


_BACKGROUND = ("autovacuum", "checkpointer", "background writer", "walwriter",
               "logical replication", "stats", "archiver")


def _background(pid: int) -> bool:
    """A PostgreSQL process that serves no client (its title: `postgres: 15/main: walwriter`)."""
    title = _title(pid)
    role = title.split(":", 2)[2].strip() if title.count(":") >= 2 else ""
    return role.startswith(_BACKGROUND)


def _serves(pid: int, database: str) -> bool:
    """A PostgreSQL backend of `database` (its title: `postgres: 15/main: user database ...`)."""
    title = _title(pid)
    return title.count(":") >= 2 and database in title.split(":", 2)[2].split()[:2]


def _title(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _run_nanoseconds(path: str) -> int:
    try:
        with open(path) as schedstat:
            return int(schedstat.read().split()[0])
    except OSError:
        return 0  # the thread ended meanwhile


# --- client ---------------------------------------------------------------------------------

@dataclass
class Phase:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)  # wall time of each round
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # per part, all rounds

    def record(self, status: int, ms: float) -> None:
        self.latencies_ms.append(ms)
        self.statuses[status] = self.statuses.get(status, 0) + 1


class Client:
    """Thread pool; each thread keeps one keep-alive connection (the same for every kind)."""

    def __init__(self, port: int, concurrency: int):
        self.port = port
        self.concurrency = concurrency
        self._local = threading.local()
        self._lock = threading.Lock()

    def _connection(self) -> http.client.HTTPConnection:
        if getattr(self._local, "connection", None) is None:
            self._local.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return self._local.connection

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, http.client.HTTPMessage, bytes, float]:
        """(status, headers, body, milliseconds); reconnects once when keep-alive was dropped.

        Retrying a POST is safe here: the form's submission key makes a replay count once.
        """
        for attempt in (1, 2):
            connection = self._connection()
            try:
                start = time.perf_counter()
                connection.request(method, path, body=body, headers=headers or {})
                reply = connection.getresponse()
                payload = reply.read()
                elapsed = (time.perf_counter() - start) * 1000
                return reply.status, reply.msg, payload, elapsed
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                connection.close()
                self._local.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def run(self, jobs: list, work, phase: Phase, server: Server | None = None) -> list:
        """Runs `work(job)` for every job on the pool; records the round's wall time and the
        CPU time the server, the database and this client used meanwhile."""
        before = self._cpu(server)
        start = time.perf_counter()
        with ThreadPoolExecutor(self.concurrency) as pool:
            results = list(pool.map(work, jobs))
        phase.seconds.append(time.perf_counter() - start)
        for part, seconds in self._cpu(server).items():
            phase.cpu_seconds[part] = phase.cpu_seconds.get(part, 0.0) + seconds - before[part]
        with self._lock:
            for status, ms, _ in results:
                phase.record(status, ms)
        return [extra for _, _, extra in results]

    @staticmethod
    def _cpu(server: Server | None) -> dict[str, float]:
        own = os.times()
        return {"client": own.user + own.system, **(server.cpu_seconds() if server else {})}


def session_cookie(headers: http.client.HTTPMessage) -> str:
    return "; ".join(value.split(";", 1)[0] for value in headers.get_all("Set-Cookie") or [])
