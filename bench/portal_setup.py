"""The schemas `portal_bench.py` measures: the demo loaded by the project's loader, the demo
with synthetic responses added up to n, and a kept `rollup_<n>` schema; every unit's 2026-Q2
and 2026-Q3 published through the publishing service. Only set-up: nothing here is timed.
"""
from __future__ import annotations

import os
import secrets
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import make_url, select

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql://suarawarga:suarawarga@127.0.0.1/suarawarga_bench_rollup")
DEMO_SCHEMA = "portal_demo"
SCALED_PREFIX = "portal_demo_"  # portal_demo_<n>: the demo with responses added up to n
DEMO_TODAY = "2026-12-04"  # the demo's "today" (WITA): Q2 and Q3 published, Q4 in review
PERIODS = ("2026-Q2", "2026-Q3")
ADMIN = "bench.portal.admin"
SCALED_REASON = ("Benchmark: data diperbesar dengan respons sintetis; angka dihitung ulang "
                 "dari semua respons.")


def url(schema: str, driver: str = "postgresql") -> str:
    """The bench database with `schema` as its search path."""
    return make_url(DATABASE_URL).set(drivername=driver).update_query_dict(
        {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def app_for(schema: str):
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url(schema, "postgresql+psycopg"),
                       "SECRET_KEY": "bench"})


def admin_sql(sql: str) -> None:
    if not make_url(DATABASE_URL).database.startswith("suarawarga_bench"):
        raise SystemExit("BENCH_DATABASE_URL must name a suarawarga_bench… database")
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        connection.execute(sql)


def require_schema(schema: str) -> None:
    """A clear stop when a kept schema to be read is not there."""
    with psycopg.connect(DATABASE_URL) as connection:
        found = connection.execute("SELECT 1 FROM information_schema.schemata "
                                   "WHERE schema_name = %s", (schema,)).fetchone()
    if not found:
        raise SystemExit(f"no schema {schema}: run bench/rollup_bench.py --sizes "
                         f"{schema.removeprefix('rollup_')} --keep first")


def scaled_size(schema: str) -> int | None:
    """n of a `portal_demo_<n>` schema, else None."""
    rest = schema.removeprefix(SCALED_PREFIX)
    return int(rest) if schema.startswith(SCALED_PREFIX) and rest.isdigit() else None


def load_demo(schema: str, reload: bool) -> float | None:
    """The demo in `schema` through `flask demo load`; the seconds it took, or None when it was
    there already."""
    if not schema.startswith("portal_"):
        raise SystemExit(f"{schema}: the demo goes only into a portal_* schema")
    if reload:
        admin_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    admin_sql(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    from surveys.db import db
    from surveys.demo.load import demo_loaded

    app = app_for(schema)
    with app.app_context():
        db.create_all()
        db.session.commit()
        if demo_loaded(db.session):
            db.engine.dispose()
            return None
        began = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["demo", "load", "--today", DEMO_TODAY])
        if result.exit_code != 0:
            raise SystemExit(f"flask demo load failed:\n{result.output}\n{result.exception!r}")
        db.engine.dispose()
    return time.perf_counter() - began


def scale_demo(schema: str, n: int) -> str:
    """Synthetic responses (bench/synthetic.py) added to the demo's units up to n in all, the
    roll-up rebuilt, and every published period corrected through the service so that what
    the public sees is computed from all n. Idempotent; returns what it did."""
    from bench.synthetic import copy_responses, directory_from

    with psycopg.connect(url(schema)) as connection:
        have = connection.execute("SELECT count(*) FROM response").fetchone()[0]
        directory = directory_from(connection)
    notes = []
    if have < n:
        copy_seconds = copy_responses(url(schema), directory, n - have)
        with psycopg.connect(url(schema), autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE response")
        from surveys.db import db
        from surveys.reporting import rollup

        app = app_for(schema)
        with app.app_context():
            began = time.perf_counter()
            rollup.rebuild(db.session)
            db.session.commit()
            build_seconds = time.perf_counter() - began
            db.engine.dispose()
        with psycopg.connect(url(schema), autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
        notes.append(f"{n - have:,} synthetic responses by COPY in {copy_seconds:.0f} s, "
                     f"roll-up rebuilt in {build_seconds:.0f} s")
    corrected = _correct_all(schema)
    if corrected:
        notes.append(f"{corrected} published versions corrected from all responses")
    return "; ".join(notes) or f"its {n:,} responses kept"


def _correct_all(schema: str) -> int:
    """Every unit's current PERIODS version corrected once with SCALED_REASON."""
    from surveys.db import db
    from surveys.models import Unit
    from surveys.publishing import reads, service

    made = 0
    app = app_for(schema)
    with app.app_context():
        session = db.session
        admin = bench_admin(session)
        for unit in session.scalars(select(Unit).order_by(Unit.id)).all():
            for code in PERIODS:
                row = reads.current(session, unit, code)
                if row is not None and row.correction_reason != SCALED_REASON:
                    service.correct(session, admin, row, SCALED_REASON,
                                    at(date.fromisoformat(DEMO_TODAY), unit.timezone))
                    made += 1
            session.commit()
        db.engine.dispose()
    return made


def bench_admin(session):
    """The benchmark's admin account in this schema (made once, with a random password)."""
    from surveys.models import RoleGrant, User

    user = session.scalars(select(User).where(User.username == ADMIN)).one_or_none()
    if user is None:
        user = User(username=ADMIN, display_name="Admin benchmark portal",
                    grants=[RoleGrant(role="admin")])
        user.set_password(secrets.token_urlsafe(24))
        session.add(user)
        session.flush()
    return user


def at(day: date, zone: str, hour: int = 9) -> datetime:
    return datetime.combine(day, clock(hour), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def publish_all(schema: str) -> dict:
    """Every unit's PERIODS published through surveys.publishing.service: prepared on the day
    after the period (09:00 local), published the day after its review. Idempotent."""
    from surveys.db import db
    from surveys.models import Unit
    from surveys.periods import Period
    from surveys.publishing import reads, service

    counts = {"already": 0, "prepared": 0, "published": 0}
    began = time.perf_counter()
    app = app_for(schema)
    with app.app_context():
        session = db.session
        for unit in session.scalars(select(Unit).order_by(Unit.id)).all():
            for code in PERIODS:
                if reads.current(session, unit, code) is not None:
                    counts["already"] += 1
                    continue
                admin = bench_admin(session)
                drafts = service.versions(session, unit, code)
                if drafts and drafts[0].status == "draft":
                    row = drafts[0]
                else:
                    row = service.prepare(session, admin, unit, code,
                                          at(Period.parse(code).end, unit.timezone))
                    counts["prepared"] += 1
                service.publish(session, admin, row,
                                at(row.review_until + timedelta(days=1), unit.timezone))
                counts["published"] += 1
            session.commit()
        db.engine.dispose()
    counts["seconds"] = time.perf_counter() - began
    return counts


@contextmanager
def burst_checked(schema: str):
    """Burst detection's state as a running server leaves it: checked just now, up to the newest
    response. Responses loaded by COPY were never checked, so the first unit page would run the
    window checks over all of them; the state is put back as it was afterwards. Yields what
    was changed ("", "set" or "advanced")."""
    with psycopg.connect(url(schema), autocommit=True) as connection:
        old = connection.execute(
            "SELECT checked_at, last_response_id FROM burst_check WHERE id = 1").fetchone()
        newest = connection.execute("SELECT coalesce(max(id), 0) FROM response").fetchone()[0]
        if old is None:
            connection.execute("INSERT INTO burst_check (id, checked_at, last_response_id) "
                               "VALUES (1, now() AT TIME ZONE 'UTC', %s)", (newest,))
        elif old[1] < newest:
            connection.execute("UPDATE burst_check SET checked_at = now() AT TIME ZONE 'UTC', "
                               "last_response_id = %s WHERE id = 1", (newest,))
    changed = "set" if old is None else "advanced" if old[1] < newest else ""
    try:
        yield changed
    finally:
        with psycopg.connect(url(schema), autocommit=True) as connection:
            if old is None:
                connection.execute("DELETE FROM burst_check WHERE id = 1")
            elif changed:
                connection.execute("UPDATE burst_check SET checked_at = %s, "
                                   "last_response_id = %s WHERE id = 1", old)


def describe(schema: str) -> dict:
    """What the schema holds: responses, units, published versions, database size."""
    with psycopg.connect(url(schema)) as connection:
        def one(sql: str, *parameters):
            return connection.execute(sql, parameters).fetchone()[0]

        return {
            "responses": one("SELECT count(*) FROM response"),
            "units": one("SELECT count(*) FROM unit"),
            "touchpoints": one("SELECT count(*) FROM touchpoint"),
            "published": one("SELECT count(*) FROM publication WHERE status = 'published'"),
            "publications": one("SELECT count(*) FROM publication"),
            "database_mb": one(
                "SELECT (sum(pg_total_relation_size(c.oid)) / 1048576)::int FROM pg_class c "
                "JOIN pg_namespace s ON s.oid = c.relnamespace "
                "WHERE s.nspname = %s AND c.relkind = 'r'", schema),
        }
