"""Fixtures shared by every test: `app`, `client`, `runner` and `db`.

Every database test runs on SQLite and, when `TEST_DATABASE_URL` is set, on PostgreSQL too.

The suite may run in parallel with pytest-xdist (`make test` passes `-n 2`). Each pytest process
then needs its own database:

- SQLite: a file under the process's own temporary folder (xdist gives each worker its own).
- PostgreSQL: the tables live in a schema of the `TEST_DATABASE_URL` database named after the
  xdist worker, `w_gw0`, `w_gw1`, ... (`w_master` without xdist), selected through libpq's
  `options=-csearch_path=<schema>`. The schema is dropped (if a crashed run left it) and created
  when the session first needs PostgreSQL, and dropped when it is done; the `public` schema stays
  untouched. Migration tests get a throwaway `migr_<random>` schema each (`migration_url`).

Two runs at once on the same `TEST_DATABASE_URL` database would still share `w_master` or `w_gwN`:
give each run its own database (`.ci/run` takes `CI_DB_NAME`). PostgreSQL advisory locks are
per database, not per schema, so the roll-up lock (surveys/reporting/rollup.py) is shared by the
workers: they take turns on it, as concurrent requests of one server do.
"""
from __future__ import annotations

import os
import secrets
from collections import Counter

import pytest
from sqlalchemy import create_engine, delete, make_url, text

from app import create_app
from app.config import database_url as normalise_database_url
from surveys.db import db as _db
from surveys.responses.instruments import ensure_default_instrument

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])


def postgres_url() -> str:
    """TEST_DATABASE_URL with the psycopg 3 driver named (its default search path: `public`)."""
    saved = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = TEST_DATABASE_URL
    try:
        return normalise_database_url("")
    finally:
        if saved is None:
            del os.environ["DATABASE_URL"]
        else:
            os.environ["DATABASE_URL"] = saved


def with_search_path(url: str, schema: str) -> str:
    """`url` with libpq's `options=-csearch_path=<schema>`: its tables are the schema's."""
    return make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}) \
        .render_as_string(hide_password=False)


def worker_schema() -> str:
    """This pytest process's PostgreSQL schema: `w_` and the xdist worker (`gw0`, ...), `w_master`
    without xdist (pytest-xdist sets PYTEST_XDIST_WORKER in each worker)."""
    return f"w_{os.environ.get('PYTEST_XDIST_WORKER', 'master')}"


def pytest_configure(config):
    if os.environ.get("CI") and not TEST_DATABASE_URL:
        raise pytest.UsageError("CI must run the suite on PostgreSQL: set TEST_DATABASE_URL")


def pytest_report_header(config):
    return f"database backends: {', '.join(BACKENDS)}"


def pytest_terminal_summary(terminalreporter):
    """Say how many tests passed on each backend, so a PostgreSQL run is visible in CI's log.

    Under xdist this runs in the controller, whose `stats` hold every worker's reports."""
    passed = Counter()
    for report in terminalreporter.stats.get("passed", []):
        for backend in BACKENDS:
            if f"[{backend}" in report.nodeid or f"-{backend}" in report.nodeid:
                passed[backend] += 1
    terminalreporter.write_line(
        "passed per database backend: "
        + ", ".join(f"{backend}={passed[backend]}" for backend in BACKENDS)
    )


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """The session's database: an SQLite file of this process, or this process's own PostgreSQL
    schema (`worker_schema`), made empty first and dropped at the end."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.db'}"
        return
    base = postgres_url()
    schema = worker_schema()
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield with_search_path(base, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def migration_url(request, tmp_path):
    """An empty database, for `flask db upgrade`: a new SQLite file, or a new PostgreSQL schema
    (`migr_<random>`, selected through libpq's `options=-csearch_path=...`, dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    base = postgres_url()
    schema = f"migr_{secrets.token_hex(6)}"
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield with_search_path(base, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def _schema(database_url):
    """Creates the tables once per backend; each test then starts from empty tables but for the
    default instrument, which the migrations store in a real database (`app` seeds it).

    No app context stays pushed between tests: the CLI runner must see the test's own app.
    """
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "schema"})
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        _db.engine.dispose()
    yield
    with app.app_context():
        _db.drop_all()
        _db.engine.dispose()


def _test_config(database_url: str) -> dict:
    return {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret"}


@pytest.fixture
def app(database_url, _schema, tmp_path):
    app = create_app(_test_config(database_url))
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        ensure_default_instrument(_db.session)
        _db.session.commit()
        _db.session.remove()
    yield app
    with app.app_context():
        _db.session.remove()
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(delete(table))
        _db.engine.dispose()


@pytest.fixture
def db(app, database_url):
    """The database handle, in the context of a second app instance on the same database.

    Requests from `client` then get their own app context, `g` and session, as in production,
    instead of sharing the test's (a shared `g` would, for one, reuse a stale CSRF token).
    """
    test_side = create_app(_test_config(database_url))
    with test_side.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
