"""Submissions are written through a lean pool that does not ping before each use: a connection
the database dropped (a restart) costs a retry on a fresh one, never an error page or a double."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select, text

from app.extensions import LEAN_ENGINE
from surveys.db import utcnow
from surveys.responses.instruments import default_instrument
from surveys.models import Response
from tests.factories import full_answers, hidden_fields, make_unit


def _submit(app, code: str, value: int) -> int:
    client = app.test_client()
    page = client.get(f"/s/{code}")
    return client.post(f"/s/{code}", data={**hidden_fields(page.text), **full_answers(value)}).status_code


def test_a_submission_after_the_database_dropped_the_connection_is_stored_once(app, db, database_url):
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite is a file in the process: there is no server connection to lose")
    unit = make_unit(db.session)
    default_instrument(db.session)
    db.session.commit()
    assert _submit(app, unit.counter_code, 4) == 303
    # What a restart does to every pooled connection: the server ends their backends.
    ended = db.session.execute(text(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    db.session.commit()
    assert ended >= 1, "the lean pool kept its connection"
    assert _submit(app, unit.counter_code, 3) == 303
    assert db.session.scalar(select(func.count()).select_from(Response)) == 2


def test_the_submission_statement_is_planned_once_per_connection(app, db, database_url):
    """Left to choose, PostgreSQL plans a prepared statement afresh for its first five runs (and
    again after each ANALYZE of a growing table); the lean engine asks for one generic plan."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite has no plan cache to configure")
    unit = make_unit(db.session)
    default_instrument(db.session)
    db.session.commit()
    for value in (1, 2, 3, 4, 3, 2, 1):
        assert _submit(app, unit.counter_code, value) == 303
    raw = app.extensions[LEAN_ENGINE].raw_connection()  # the pool's one connection, reused
    try:
        cursor = raw.driver_connection.cursor()
        cursor.execute("SELECT sum(generic_plans), sum(custom_plans) FROM pg_prepared_statements "
                       "WHERE name LIKE 'sw\\_%'")
        generic, custom = cursor.fetchone()
    finally:
        raw.close()
    assert (generic, custom) == (7, 0)


def _scans_of(plan: dict, alias: str) -> list[dict]:
    """Every node of an EXPLAIN (FORMAT JSON) plan that reads the table under `alias`, with the
    bitmap index scans under a bitmap heap scan of it."""
    found = []
    if plan.get("Alias") == alias:
        found.append(plan)
        found += [child for child in plan.get("Plans", []) if "Index Name" in child]
    for child in plan.get("Plans", []):
        found += _scans_of(child, alias)
    return found


def test_the_device_check_reads_only_the_devices_answers_of_the_window(app, db, database_url):
    """Each submission counts its device's answers of the last minutes, in a plan made once for
    every device (a generic plan). Through an index on the device alone that count read the
    device's whole history (a shared tablet not set up as a kiosk: thousands of rows per
    submission); the index on device and time bounds it to the window."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite has no plan cache to configure")
    unit = make_unit(db.session)
    instrument = default_instrument(db.session)
    now = utcnow()
    # Three months of answers, each from its own device, with statistics to match.
    db.session.execute(insert(Response), [
        {"receipt": f"SW-TEST-{i:04d}-AAAA", "instrument_id": instrument.id, "channel": "counter_qr",
         "unit_id": unit.unit.id, "submitted_at": now - timedelta(hours=5 * i),
         "device_hash": f"{i:064x}"} for i in range(400)])
    db.session.commit()
    db.session.execute(text("ANALYZE response"))
    db.session.commit()
    assert _submit(app, unit.counter_code, 4) == 303  # prepares the statement, with a device
    raw = app.extensions[LEAN_ENGINE].raw_connection()
    try:
        cursor = raw.driver_connection.cursor()
        cursor.execute("SELECT name, cardinality(parameter_types) FROM pg_prepared_statements "
                       "WHERE name LIKE 'sw\\_%' AND statement LIKE '%earlier%'")
        (name, parameters), = cursor.fetchall()
        cursor.execute(f"EXPLAIN (FORMAT JSON) EXECUTE {name}({', '.join(['NULL'] * parameters)})")
        plan = cursor.fetchone()[0][0]["Plan"]
    finally:
        raw.close()
    index_scans = [scan for scan in _scans_of(plan, "earlier") if "Index Cond" in scan]
    assert len(index_scans) == 1, plan
    assert index_scans[0]["Index Name"] == "ix_response_device_hash_submitted_at"
    assert "device_hash" in index_scans[0]["Index Cond"]
    assert "submitted_at" in index_scans[0]["Index Cond"]
